package com.checkoutroutes.access;

import java.util.concurrent.Semaphore;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * At most {@code permits} bearer tokens checked at once; one more is refused as invalid at once (401). A token whose
 * key id the cached key set lacks makes the decoder fetch the identity provider's keys, one fetch at a time, up to
 * two timeouts each: a flood of made-up key ids held a container thread per request, behind that one fetch, and so
 * every door. A token of a known key is checked in well under a millisecond, so the bound only bites in such a flood
 * (or while the provider is down), and then refuses bearer tokens, never the threads of Basic users or Antom.
 */
final class BoundedJwtDecoder implements JwtDecoder {

    private final JwtDecoder delegate;
    private final Semaphore checks;

    BoundedJwtDecoder(JwtDecoder delegate, int permits) {
        this.delegate = delegate;
        this.checks = new Semaphore(permits);
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        if (!checks.tryAcquire()) {
            throw new BadJwtException("too many bearer tokens being checked at once");
        }
        try {
            return delegate.decode(token);
        } finally {
            checks.release();
        }
    }
}
