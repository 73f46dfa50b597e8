package com.checkoutroutes.testsupport;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** The largest heap in use seen while it runs, sampled at a fixed period; the whole JVM (app, broker, sandbox, test). */
public final class HeapSampler implements AutoCloseable {

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final AtomicLong maxUsed = new AtomicLong();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "heap-sampler");
        t.setDaemon(true);
        return t;
    });

    public HeapSampler(Duration period) {
        timer.scheduleAtFixedRate(() -> maxUsed.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max),
                0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    public long maxUsedBytes() {
        return maxUsed.get();
    }

    public long maxUsedMb() {
        return maxUsed.get() / (1024 * 1024);
    }

    public void reset() {
        maxUsed.set(0);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
