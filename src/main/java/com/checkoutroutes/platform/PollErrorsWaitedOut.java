package com.checkoutroutes.platform;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.function.LongConsumer;
import org.apache.camel.component.kafka.PollExceptionStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a Kafka consumer does when its poll itself fails (a corrupt fetch, a record its deserializer cannot read, an
 * authorisation the broker withdrew): it waits, then polls again from where it stood, the wait doubling from
 * {@link #FIRST} to {@link #LONGEST}, until the poll works again; each failure is logged and counted
 * ({@code checkout.kafka.poll.errors}). Never a record passed over: Camel's default (ERROR_HANDLER) seeks every
 * partition of the consumer one record on, past records no route saw, which the next commit leaves behind for good.
 * Never the consumer closed and made again (RECONNECT): each time the group, which every consumer route shares,
 * would rebalance, and the order lanes with it. One strategy for all consumers (it is the component's), so each
 * consumer thread keeps its own waits.
 */
public final class PollErrorsWaitedOut implements PollExceptionStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(PollErrorsWaitedOut.class);
    static final Duration FIRST = Duration.ofSeconds(1);
    /** Well within max.poll.interval.ms (5 min): the consumer keeps its partitions while it waits. */
    static final Duration LONGEST = Duration.ofSeconds(30);
    /** A failure this long after the last one starts again from {@link #FIRST}. */
    static final Duration QUIET = Duration.ofMinutes(2);

    private final MeterRegistry meters;
    private final LongConsumer sleep;
    private final ThreadLocal<long[]> lastFailureAndWait = ThreadLocal.withInitial(() -> new long[] {0, 0});

    public PollErrorsWaitedOut(MeterRegistry meters) {
        this(meters, PollErrorsWaitedOut::sleep);
    }

    PollErrorsWaitedOut(MeterRegistry meters, LongConsumer sleep) {
        this.meters = meters;
        this.sleep = sleep;
    }

    @Override
    public boolean canContinue() {
        return true;
    }

    @Override
    public void reset() {
        lastFailureAndWait.remove();
    }

    @Override
    public void handle(long partitionLastOffset, Exception exception) {
        long[] state = lastFailureAndWait.get();
        long now = System.nanoTime();
        boolean quietSince = state[1] == 0 || now - state[0] > QUIET.toNanos();
        long wait = quietSince ? FIRST.toMillis() : Math.min(state[1] * 2, LONGEST.toMillis());
        state[0] = now;
        state[1] = wait;
        meters.counter("checkout.kafka.poll.errors", "exception", exception.getClass().getSimpleName()).increment();
        LOG.error("a Kafka poll failed on {} (polled again from the same offsets in {} ms; no record is passed over):"
                + " {}", Thread.currentThread().getName(), wait, exception.toString());
        sleep.accept(wait);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        }
    }
}
