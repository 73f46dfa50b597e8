package com.checkoutroutes.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtDecoderInitializationException;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/**
 * Tokens of key ids no token verified with yet (each a fetch of the provider's keys) hold at most a few threads, the
 * rest refused at once; tokens of a known key go through whatever those do.
 */
class BoundedJwtDecoderTest {

    private static final Jwt VALID = Jwt.withTokenValue("t").header("alg", "RS256").subject("someone")
            .issuedAt(Instant.now()).build();

    private final CountDownLatch fetching = new CountDownLatch(2);
    private final CountDownLatch providerAnswers = new CountDownLatch(1);
    /** The provider: tokens of the key "current" verify at once; any other key id waits for the key fetch. */
    private final JwtDecoder provider = token -> {
        if (!token.equals(token("current"))) {
            fetching.countDown();
            try {
                providerAnswers.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return VALID;
    };
    private final ExecutorService callers = Executors.newFixedThreadPool(2);

    @AfterEach
    void stop() {
        providerAnswers.countDown();
        callers.shutdownNow();
    }

    @Test
    void tokensOfUnknownKeysBeyondTheBoundAreRefusedAtOnceWhileTheOthersWait() throws Exception {
        BoundedJwtDecoder decoder = new BoundedJwtDecoder(provider, 2);
        Future<Jwt> first = callers.submit(() -> decoder.decode(token("made-up-1")));
        Future<Jwt> second = callers.submit(() -> decoder.decode(token("made-up-2")));
        assertThat(fetching.await(5, TimeUnit.SECONDS)).isTrue();

        assertThatThrownBy(() -> decoder.decode(token("made-up-3"))).as("not bad: unchecked, 503")
                .isInstanceOf(JwtException.class).isNotInstanceOf(BadJwtException.class)
                .hasMessageContaining("at once");

        providerAnswers.countDown();
        assertThat(first.get(5, TimeUnit.SECONDS)).isSameAs(VALID);
        assertThat(second.get(5, TimeUnit.SECONDS)).isSameAs(VALID);
        assertThat(decoder.decode(token("made-up-4"))).as("a place is free again").isSameAs(VALID);
    }

    @Test
    void aTokenOfAKeyThatVerifiedBeforeGoesThroughWhileUnknownKeysFillEveryPlace() throws Exception {
        BoundedJwtDecoder decoder = new BoundedJwtDecoder(provider, 2);
        assertThat(decoder.decode(token("current"))).isSameAs(VALID);
        callers.submit(() -> decoder.decode(token("made-up-1")));
        callers.submit(() -> decoder.decode(token("made-up-2")));
        assertThat(fetching.await(5, TimeUnit.SECONDS)).isTrue();

        assertThat(decoder.decode(token("current"))).isSameAs(VALID);
        assertThatThrownBy(() -> decoder.decode(token("made-up-3"))).isInstanceOf(JwtException.class);
    }

    /** The provider's keys or its discovery document unreadable: the token is unchecked (503), not bad (401). */
    @Test
    void aTokenTheIdentityProviderCouldNotCheckIsNotBad() {
        for (RuntimeException failure : List.of(new JwtException("Couldn't retrieve remote JWK set"),
                new JwtDecoderInitializationException("discovery failed", new IllegalStateException("502")))) {
            BoundedJwtDecoder decoder = new BoundedJwtDecoder(token -> {
                throw failure;
            }, 1);
            assertThatThrownBy(() -> decoder.decode(token("k"))).isInstanceOf(JwtException.class)
                    .isNotInstanceOf(BadJwtException.class).hasMessageContaining("could not be read");
        }
    }

    @Test
    void aFailedCheckGivesItsPlaceBackAndANonTokenIsRefused() {
        BoundedJwtDecoder decoder = new BoundedJwtDecoder(token -> {
            throw new BadJwtException("bad signature");
        }, 1);
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> decoder.decode(token("k"))).hasMessage("bad signature");
        }
        assertThatThrownBy(() -> decoder.decode("not-a-token")).isInstanceOf(BadJwtException.class);
    }

    /** A signed-looking token naming {@code keyId} (its signature is never checked here). */
    private static String token(String keyId) {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        return url.encodeToString(("{\"alg\":\"RS256\",\"kid\":\"" + keyId + "\"}").getBytes(StandardCharsets.UTF_8))
                + "." + url.encodeToString("{\"sub\":\"someone\"}".getBytes(StandardCharsets.UTF_8)) + ".c2ln";
    }
}
