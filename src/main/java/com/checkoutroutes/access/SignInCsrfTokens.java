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
 * by another service on the same host, which ignores ports, cannot stand in for one).
 */
final class SignInCsrfTokens implements CsrfTokenRepository {

    private final CookieCsrfTokenRepository beforeSignIn = new CookieCsrfTokenRepository();
    private final HttpSessionCsrfTokenRepository signedIn = new HttpSessionCsrfTokenRepository();

    SignInCsrfTokens(String path) {
        beforeSignIn.setCookieCustomizer(cookie -> cookie.path(path).sameSite("Strict"));
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
        return current(request).loadToken(request);
    }

    private CsrfTokenRepository current(HttpServletRequest request) {
        return request.getSession(false) == null ? beforeSignIn : signedIn;
    }
}
