package com.checkoutroutes.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.password.PasswordEncoder;

/** A match is checked once; a mismatch every time; the memory and the checks at once are bounded. */
class RememberingPasswordEncoderTest {

    private final HeldChecks counting = new HeldChecks(null);
    private final AtomicInteger checks = counting.checks;

    @Test
    void aMatchIsCheckedOnceAMismatchEveryTime() {
        PasswordEncoder encoder = new RememberingPasswordEncoder(counting, 10, 1, 16, Duration.ZERO);
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
        PasswordEncoder encoder = new RememberingPasswordEncoder(counting, 2, 1, 16, Duration.ZERO);
        encoder.matches("a", "{x}a");
        encoder.matches("b", "{x}b");
        encoder.matches("c", "{x}c"); // "a" leaves
        checks.set(0);
        encoder.matches("c", "{x}c");
        encoder.matches("a", "{x}a");
        assertThat(checks).hasValue(1);
    }

    @Test
    void aCheckBeyondTheBoundIsRefusedAtOnceWhileRememberedOnesPass() throws Exception {
        HeldChecks slow = new HeldChecks("flood");
        PasswordEncoder encoder = new RememberingPasswordEncoder(slow, 10, 1, 16, Duration.ZERO);
        assertThat(encoder.matches("right", "{x}right")).isTrue(); // remembered from now on
        Thread flood = new Thread(() -> encoder.matches("flood-1", "{x}right"));
        flood.start();
        slow.checking.await();

        assertThat(encoder.matches("flood-2", "{x}right")).as("refused without a check").isFalse();
        assertThat(encoder.matches("new", "{x}new")).as("a new client while the bound is taken").isFalse();
        assertThat(encoder.matches("right", "{x}right")).as("a remembered client").isTrue();
        assertThat(slow.checks).hasValue(2);

        slow.release.countDown();
        flood.join();
        assertThat(encoder.matches("new", "{x}new")).isTrue();
    }

    /** A client's first requests at once: one checks, the others wait their turn and find the match remembered. */
    @Test
    void requestsWithTheSameCredentialsWaitForOneCheck() throws Exception {
        HeldChecks slow = new HeldChecks("right");
        PasswordEncoder encoder = new RememberingPasswordEncoder(slow, 10, 1, 16, Duration.ofSeconds(30));
        AtomicInteger matched = new AtomicInteger();
        Thread first = new Thread(() -> matched.addAndGet(encoder.matches("right", "{x}right") ? 1 : 0));
        Thread second = new Thread(() -> matched.addAndGet(encoder.matches("right", "{x}right") ? 1 : 0));
        first.start();
        slow.checking.await();
        second.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> second.getState() == Thread.State.TIMED_WAITING);

        slow.release.countDown();
        first.join();
        second.join();
        assertThat(matched).hasValue(2);
        assertThat(slow.checks).hasValue(1);
    }

    /**
     * A flood of made-up credentials while a check runs: one waits its turn, the next is refused at once, so the flood
     * holds two threads here (a check and a waiter), not one per request.
     */
    @Test
    void beyondTheWaitersACheckIsRefusedWithoutWaiting() throws Exception {
        HeldChecks slow = new HeldChecks("flood");
        PasswordEncoder encoder = new RememberingPasswordEncoder(slow, 10, 1, 1, Duration.ofSeconds(30));
        Thread checking = new Thread(() -> encoder.matches("flood-1", "{x}right"));
        checking.start();
        slow.checking.await();
        Thread waiting = new Thread(() -> encoder.matches("flood-2", "{x}right"));
        waiting.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> waiting.getState() == Thread.State.TIMED_WAITING);

        long start = System.nanoTime();
        assertThat(encoder.matches("flood-3", "{x}right")).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("refused without waiting")
                .isLessThan(Duration.ofSeconds(5));
        assertThat(slow.checks).hasValue(1);

        slow.release.countDown();
        checking.join();
        waiting.join();
    }

    /** Counts checks; those of passwords that start with {@code held} wait for {@link #release}, as bcrypt takes its time. */
    private static final class HeldChecks implements PasswordEncoder {

        final AtomicInteger checks = new AtomicInteger();
        final CountDownLatch checking = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final String held;

        HeldChecks(String held) {
            this.held = held;
        }

        @Override
        public String encode(CharSequence raw) {
            return "{x}" + raw;
        }

        @Override
        public boolean matches(CharSequence raw, String encoded) {
            checks.incrementAndGet();
            if (held != null && raw.toString().startsWith(held)) {
                checking.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return encoded.equals("{x}" + raw);
        }
    }
}
