package com.checkoutroutes.benchmark;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Timing helpers of the load driver: an open-loop schedule (no coordinated omission) and bounded waits. */
final class Pacer {

    private Pacer() {
    }

    /** Parks until {@code startNanos + index / ratePerSecond}: the i-th send happens on schedule, not after the last. */
    static void awaitSlot(long startNanos, long index, double ratePerSecond) {
        long due = startNanos + (long) (index * 1_000_000_000d / ratePerSecond);
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    /** Polls a condition every 20 ms until it holds or the time is up; says which. */
    static boolean until(BooleanSupplier condition, long timeoutMillis) {
        long end = System.nanoTime() + timeoutMillis * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                return false;
            }
            LockSupport.parkNanos(20_000_000);
        }
        return true;
    }
}
