package com.checkoutroutes.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/** Bearer tokens waiting for the identity provider hold at most a few threads; the rest are refused at once. */
class BoundedJwtDecoderTest {

    private static final Jwt VALID = Jwt.withTokenValue("t").header("alg", "RS256").subject("someone")
            .issuedAt(Instant.now()).build();

    @Test
    void tokensBeyondTheBoundAreRefusedAtOnceWhileTheOthersWait() throws Exception {
        CountDownLatch fetching = new CountDownLatch(2);
        CountDownLatch providerAnswers = new CountDownLatch(1);
        JwtDecoder slowProvider = token -> {
            fetching.countDown();
            try {
                providerAnswers.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return VALID;
        };
        BoundedJwtDecoder decoder = new BoundedJwtDecoder(slowProvider, 2);
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try {
            var first = callers.submit(() -> decoder.decode("a"));
            var second = callers.submit(() -> decoder.decode("b"));
            assertThat(fetching.await(5, TimeUnit.SECONDS)).isTrue();

            assertThatThrownBy(() -> decoder.decode("c")).isInstanceOf(BadJwtException.class)
                    .hasMessageContaining("at once");

            providerAnswers.countDown();
            assertThat(first.get(5, TimeUnit.SECONDS)).isSameAs(VALID);
            assertThat(second.get(5, TimeUnit.SECONDS)).isSameAs(VALID);
            assertThat(decoder.decode("d")).as("a place is free again").isSameAs(VALID);
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void aFailedCheckGivesItsPlaceBack() {
        BoundedJwtDecoder decoder = new BoundedJwtDecoder(token -> {
            throw new BadJwtException("bad signature");
        }, 1);
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> decoder.decode("x")).hasMessage("bad signature");
        }
    }
}
