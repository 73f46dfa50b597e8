package com.checkoutroutes.access;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;

/**
 * The console's CSRF tokens: in a cookie until the operator signs in, so that the sign-in page opens no session for
 * an anonymous visitor; in the session once signed in, so that the actions' tokens are bound to it (a cookie planted
 * by another service on the same host, which ignores ports, cannot stand in for one). The cookie's token is the sign-in
 * form's only: a POST without a session that is not the sign-in (an action sent with HTTP Basic credentials, which
 * open no session) has no token to match, and is refused.
 */
final class SignInCsrfTokens implements CsrfTokenRepository {

    private final CookieCsrfTokenRepository beforeSignIn = new CookieCsrfTokenRepository();
    private final HttpSessionCsrfTokenRepository signedIn = new HttpSessionCsrfTokenRepository();
    private final String signIn;

    SignInCsrfTokens(String path) {
        beforeSignIn.setCookieCustomizer(cookie -> cookie.path(path).sameSite("Strict"));
        this.signIn = path + "/sign-in";
    }

    @Override
    public CsrfToken generateToken(HttpServletRequest request) {
        return current(request).generateToken(request);
    }

    @Override
    public void saveToken(CsrfToken token, HttpServletRequest request, HttpServletResponse response) {
        current(request).saveToken(token, request, response);
    }

    @Override
    public CsrfToken loadToken(HttpServletRequest request) {
        if (request.getSession(false) == null && !"GET".equals(request.getMethod())
                && !request.getRequestURI().equals(request.getContextPath() + signIn)) {
            // a token nobody has, never saved: null would have a new one made and the sign-in form's cookie replaced
            return beforeSignIn.generateToken(request);
        }
        return current(request).loadToken(request);
    }

    private CsrfTokenRepository current(HttpServletRequest request) {
        return request.getSession(false) == null ? beforeSignIn : signedIn;
    }
}
