package com.checkoutroutes.platform;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.context.SmartLifecycle;

/**
 * A bean that refreshes what it caches on a daemon thread of its own, every {@code every} from its start until its
 * stop (gauges read from the database: a scrape never queries it).
 */
public abstract class PeriodicRefresh implements SmartLifecycle {

    private final String threadName;
    private final Duration every;
    private ScheduledExecutorService timer;

    protected PeriodicRefresh(String threadName, Duration every) {
        this.threadName = threadName;
        this.every = every;
    }

    /** One refresh; it handles its own failures (a throw would end the refreshes). */
    protected abstract void refresh();

    @Override
    public synchronized void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::refresh, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return timer != null;
    }
}
