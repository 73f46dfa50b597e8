package com.checkoutroutes.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.password.PasswordEncoder;

/** A match is checked once; a mismatch every time; the memory is bounded. */
class RememberingPasswordEncoderTest {

    private final AtomicInteger checks = new AtomicInteger();
    private final PasswordEncoder counting = new PasswordEncoder() {
        @Override
        public String encode(CharSequence raw) {
            return "{x}" + raw;
        }

        @Override
        public boolean matches(CharSequence raw, String encoded) {
            checks.incrementAndGet();
            return encoded.equals("{x}" + raw);
        }
    };

    @Test
    void aMatchIsCheckedOnceAMismatchEveryTime() {
        PasswordEncoder encoder = new RememberingPasswordEncoder(counting, 10);
        for (int i = 0; i < 5; i++) {
            assertThat(encoder.matches("right", "{x}right")).isTrue();
            assertThat(encoder.matches("wrong", "{x}right")).isFalse();
        }
        assertThat(checks).hasValue(1 + 5);
        // the same password against another hash (another user) is checked on its own
        assertThat(encoder.matches("right", "{x}other")).isFalse();
        assertThat(encoder.upgradeEncoding("{x}right")).isFalse();
    }

    @Test
    void atMostCapacityMatchesAreRemembered() {
        PasswordEncoder encoder = new RememberingPasswordEncoder(counting, 2);
        encoder.matches("a", "{x}a");
        encoder.matches("b", "{x}b");
        encoder.matches("c", "{x}c"); // "a" leaves
        checks.set(0);
        encoder.matches("c", "{x}c");
        encoder.matches("a", "{x}a");
        assertThat(checks).hasValue(1);
    }
}
