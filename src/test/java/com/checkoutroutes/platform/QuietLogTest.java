package com.checkoutroutes.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A line anyone can cause goes out once per key each window; the next says how many were left out. */
class QuietLogTest {

    @Test
    void oneLinePerKeyEachWindowTheNextCountingTheRest() {
        AtomicLong now = new AtomicLong();
        QuietLog log = new QuietLog(Duration.ofSeconds(10), now::get);

        assertThat(log.admit("INVALID_SIGNATURE")).isZero();
        assertThat(log.admit("INVALID_SIGNATURE")).isNegative();
        assertThat(log.admit("INVALID_SIGNATURE")).isNegative();
        assertThat(log.admit("EMPTY_BODY")).as("another key, its own window").isZero();
        now.addAndGet(Duration.ofSeconds(10).toNanos());

        long leftOut = log.admit("INVALID_SIGNATURE");

        assertThat(leftOut).isEqualTo(2);
        assertThat(QuietLog.more(leftOut)).isEqualTo(" (and 2 more since the last line)");
        assertThat(QuietLog.more(0)).isEmpty();
    }
}
