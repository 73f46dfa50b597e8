package com.checkoutroutes.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.junit.jupiter.api.Test;

/** The waits between polls that keep failing: doubling from 1 s to 30 s, counted, per consumer thread. */
class PollErrorsWaitedOutTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<Long> waits = new ArrayList<>();
    private final PollErrorsWaitedOut strategy = new PollErrorsWaitedOut(meters, waits::add);

    @Test
    void eachFailureWaitsTwiceAsLongUpToThirtySecondsAndTheConsumerGoesOn() {
        for (int i = 0; i < 8; i++) {
            strategy.handle(-1, new CorruptRecordException("corrupt"));
            assertThat(strategy.canContinue()).isTrue();
        }

        assertThat(waits).containsExactly(1_000L, 2_000L, 4_000L, 8_000L, 16_000L, 30_000L, 30_000L, 30_000L);
        assertThat(meters.counter("checkout.kafka.poll.errors", "exception", "CorruptRecordException").count())
                .isEqualTo(8);
    }

    @Test
    void aNewConsumerStartsFromTheFirstWait() {
        strategy.handle(-1, new CorruptRecordException("corrupt"));
        strategy.handle(-1, new CorruptRecordException("corrupt"));
        strategy.reset();
        strategy.handle(-1, new CorruptRecordException("corrupt"));

        assertThat(waits).containsExactly(1_000L, 2_000L, 1_000L);
    }

    @Test
    void eachConsumerThreadWaitsOnItsOwn() throws Exception {
        strategy.handle(-1, new CorruptRecordException("corrupt"));
        Thread other = new Thread(() -> strategy.handle(-1, new CorruptRecordException("corrupt")));
        other.start();
        other.join();

        assertThat(waits).containsExactly(1_000L, 1_000L);
    }
}
