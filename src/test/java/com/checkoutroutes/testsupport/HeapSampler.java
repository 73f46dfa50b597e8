package com.checkoutroutes.testsupport;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ListenerNotFoundException;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The largest heap in use seen while it runs, sampled at a fixed period, and the largest heap left right after a
 * garbage collection (what the JVM really needed; the sampled figure also counts garbage not yet collected, which a
 * collector lets grow towards -Xmx). The whole JVM: app, broker, sandbox, test.
 */
public final class HeapSampler implements AutoCloseable {

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final AtomicLong maxUsed = new AtomicLong();
    private final AtomicLong maxAfterGc = new AtomicLong();
    /** After a collection the JVM reports every memory pool, metaspace and code cache too: only these count. */
    private final List<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).toList();
    private final NotificationListener afterGc = (notification, handback) -> {
        if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            GcInfo gc = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData()).getGcInfo();
            long left = heapPools.stream().map(gc.getMemoryUsageAfterGc()::get).filter(Objects::nonNull)
                    .mapToLong(MemoryUsage::getUsed).sum();
            maxAfterGc.accumulateAndGet(left, Math::max);
        }
    };
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "heap-sampler");
        t.setDaemon(true);
        return t;
    });

    public HeapSampler(Duration period) {
        timer.scheduleAtFixedRate(() -> maxUsed.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max),
                0, period.toMillis(), TimeUnit.MILLISECONDS);
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(afterGc, null, null);
            }
        }
    }

    /** The most heap a garbage collection left in use since the last reset, in MB (0: no collection ran). */
    public long maxAfterGcMb() {
        return maxAfterGc.get() / (1024 * 1024);
    }

    public long maxUsedBytes() {
        return maxUsed.get();
    }

    public long maxUsedMb() {
        return maxUsed.get() / (1024 * 1024);
    }

    public void reset() {
        maxUsed.set(0);
        maxAfterGc.set(0);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof NotificationEmitter emitter) {
                try {
                    emitter.removeNotificationListener(afterGc);
                } catch (ListenerNotFoundException ignored) {
                    // never added
                }
            }
        }
    }
}
