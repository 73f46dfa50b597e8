package com.checkoutroutes.platform;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Lines anyone can cause (a rejected notification, a refused request, a record read again in an outage): at most one
 * per key each window, the next one saying how many were left out. Keys are codes and names, a fixed set: never a
 * caller's text.
 */
public final class QuietLog {

    private final long windowNanos;
    private final LongSupplier nanoTime;
    private final Map<String, Window> byKey = new ConcurrentHashMap<>();

    /** A key's window: when its last line went out, and how many were left out since. */
    private static final class Window {
        long loggedAt;
        boolean logged;
        long leftOut;
    }

    public QuietLog(Duration window) {
        this(window, System::nanoTime);
    }

    QuietLog(Duration window, LongSupplier nanoTime) {
        this.windowNanos = window.toNanos();
        this.nanoTime = nanoTime;
    }

    /**
     * Whether a line for {@code key} may go out now: -1 if not (counted as left out), else how many were left out
     * since its last line.
     */
    public long admit(String key) {
        long now = nanoTime.getAsLong();
        Window window = byKey.computeIfAbsent(key, k -> new Window());
        synchronized (window) {
            if (window.logged && now - window.loggedAt < windowNanos) {
                window.leftOut++;
                return -1;
            }
            long leftOut = window.leftOut;
            window.leftOut = 0;
            window.loggedAt = now;
            window.logged = true;
            return leftOut;
        }
    }

    /** " (and N more since the last line)" for {@code leftOut} above 0, else "". */
    public static String more(long leftOut) {
        return leftOut > 0 ? " (and " + leftOut + " more since the last line)" : "";
    }
}
