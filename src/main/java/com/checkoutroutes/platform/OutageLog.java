package com.checkoutroutes.platform;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line when a dependency (the database) starts failing on a request path and one when it works again,
 * instead of a line (or a stack trace) per request while it is down: an outage of a minute under Antom's resends
 * and a busy order door would otherwise bury everything else in the log.
 */
public class OutageLog {

    private static final Logger LOG = LoggerFactory.getLogger(OutageLog.class);

    private final String dependency;
    private final AtomicBoolean down = new AtomicBoolean();
    private volatile long lastFailureNanos;
    private volatile long lastSuccessNanos;
    private volatile boolean everWorked;

    public OutageLog(String dependency) {
        this.dependency = dependency;
    }

    /** A call failed: logged (without stack trace) only if the dependency was up until now. */
    public void failed(String where, Throwable cause) {
        lastFailureNanos = System.nanoTime();
        if (down.compareAndSet(false, true)) {
            LOG.error("{} unavailable ({}): {}; answering 503 until it is back, logged once", dependency, where,
                    cause == null ? "?" : cause.toString());
        } else {
            LOG.debug("{} still unavailable ({})", dependency, where);
        }
    }

    /** A call worked: logged only if the dependency was down until now. */
    public void worked(String where) {
        lastSuccessNanos = System.nanoTime();
        everWorked = true;
        if (down.get() && down.compareAndSet(true, false)) {
            LOG.warn("{} available again ({})", dependency, where);
        }
    }

    public boolean isDown() {
        return down.get();
    }

    /** Whether a call worked less than {@code period} ago. */
    public boolean workedWithin(Duration period) {
        return everWorked && System.nanoTime() - lastSuccessNanos < period.toNanos();
    }

    /**
     * False while the dependency is down and a call failed less than {@code quietPeriod} ago: a request path then
     * answers at once instead of waiting on it again; after that one call probes whether it is back.
     */
    public boolean worthTrying(Duration quietPeriod) {
        return !down.get() || System.nanoTime() - lastFailureNanos >= quietPeriod.toNanos();
    }
}
