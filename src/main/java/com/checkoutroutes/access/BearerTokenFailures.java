package com.checkoutroutes.access;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

/**
 * How a bearer token that did not get in is answered. A bad one (forged, expired, for another audience) gets 401 with
 * its WWW-Authenticate, as Spring Security answers it. One that could not be checked now (the identity provider's
 * keys unreadable, or too many tokens of new key ids being checked at once: BoundedJwtDecoder) gets 503 with
 * Retry-After, so the order system tries again instead of taking its credential for wrong; Spring Security's own
 * handler rethrows those, and the container answered 500.
 */
final class BearerTokenFailures implements AuthenticationFailureHandler {

    private final AuthenticationEntryPoint invalid = new BearerTokenAuthenticationEntryPoint();

    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
            AuthenticationException failure) throws IOException, jakarta.servlet.ServletException {
        if (!(failure instanceof AuthenticationServiceException)) {
            invalid.commence(request, response, failure);
            return;
        }
        byte[] body = ("{\"code\":\"TOKEN_NOT_CHECKED\",\"message\":\"the bearer token could not be checked now; try "
                + "again\"}").getBytes(StandardCharsets.UTF_8);
        response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setHeader("Retry-After", "1");
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
