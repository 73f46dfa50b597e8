package com.checkoutroutes.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Date;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * An identity provider that takes the connection and never answers (hung, or a firewall that drops the replies): a
 * request with a bearer token is refused after the fetch's timeout instead of holding its thread for as long as TCP
 * waits. The key set here, the discovery document the same way (one client for both).
 */
class JwtDecoderTimeoutTest {

    @Test
    void aKeySetThatNeverComesFailsTheTokenWithinTheTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            var decoder = DoorSecurity.jwtDecoder(new AccessSettings.Jwt(null,
                    "http://127.0.0.1:" + silent.getLocalPort() + "/jwks", "checkout-routes", "roles"));
            RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
            SignedJWT token = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(),
                    new JWTClaimsSet.Builder().subject("someone").audience("checkout-routes")
                            .expirationTime(new Date(System.currentTimeMillis() + 60_000)).build());
            token.sign(new RSASSASigner(key));

            long started = System.nanoTime();
            assertThatThrownBy(() -> decoder.decode(token.serialize())).isInstanceOf(JwtException.class);
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(took).isLessThan(DoorSecurity.IDENTITY_PROVIDER_TIMEOUT.multipliedBy(3));
        }
    }
}
