package com.checkoutroutes.access;

import com.checkoutroutes.platform.OutageLog;
import com.nimbusds.jwt.JWTParser;
import java.text.ParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Semaphore;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderInitializationException;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Bearer tokens signed with a key id that no token has verified with yet are checked at most {@code permits} at once;
 * one more is refused at once (503, try again: BearerTokenFailures). Such a token makes the decoder fetch the identity
 * provider's keys, one fetch at a time, up to two timeouts each: a flood of made-up key ids held a container thread
 * per request behind that fetch, and so every door. Tokens of a key id that verified before (the provider's current keys, cached) are
 * checked as they come, in well under a millisecond, whatever such a flood does; a new key after a rotation waits its
 * turn once, then joins them.
 */
final class BoundedJwtDecoder implements JwtDecoder {

    private static final int KNOWN_KEYS = 64;

    private final JwtDecoder delegate;
    private final OutageLog identityProvider = new OutageLog("identity provider");
    private final Semaphore unknownKeyChecks;
    /** Key ids that verified a token, most recent last (a provider keeps a few keys, rotated now and then). */
    private final Set<String> knownKeys = Collections.newSetFromMap(Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > KNOWN_KEYS;
                }
            }));

    BoundedJwtDecoder(JwtDecoder delegate, int permits) {
        this.delegate = delegate;
        this.unknownKeyChecks = new Semaphore(permits);
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        String keyId = keyIdOf(token);
        if (knownKeys.contains(keyId)) {
            return checked(token, false);
        }
        if (!unknownKeyChecks.tryAcquire()) {
            // not a bad token: one that cannot be checked now (BearerTokenFailures: 503, try again)
            throw new JwtException("too many bearer tokens of new key ids being checked at once");
        }
        try {
            Jwt jwt = checked(token, true);
            knownKeys.add(keyId);
            return jwt;
        } finally {
            unknownKeyChecks.release();
        }
    }

    /**
     * The delegate's check. A bad token (forged, expired, another audience) is refused as such; the identity provider
     * not giving its keys (down, slow, its discovery document failing) leaves the token unchecked, not bad: logged once
     * per outage and answered 503 (BearerTokenFailures), where its discovery failing used to answer 500.
     */
    private Jwt checked(String token, boolean newKey) {
        try {
            Jwt jwt = delegate.decode(token);
            if (newKey) {
                // only a new key id's check reads the provider's keys: cached ones verifying says nothing of it
                identityProvider.worked("bearer token of a new key id");
            }
            return jwt;
        } catch (BadJwtException e) {
            throw e;
        } catch (JwtException | JwtDecoderInitializationException e) {
            identityProvider.failed("bearer token", NestedExceptionUtils.getMostSpecificCause(e));
            throw new JwtException("the identity provider's keys could not be read: " + e.getMessage(), e);
        }
    }

    /** The token's key id as its header says, unverified (empty when it names none); not a token: refused. */
    private static String keyIdOf(String token) {
        try {
            return Objects.toString(JWTParser.parse(token).getHeader() instanceof com.nimbusds.jose.JWSHeader jws
                    ? jws.getKeyID() : null, "");
        } catch (ParseException e) {
            throw new BadJwtException("not a JWT: " + e.getMessage(), e);
        }
    }
}
