package com.checkoutroutes.orderintake;

import org.springframework.stereotype.Component;

/**
 * Named points in the order flow where a test can make the process fail as a crash would (nothing after the point
 * runs and the Kafka offset is not committed). Inert unless a test arms it.
 */
@Component
public class CrashPoints {

    /** Antom answered, nothing recorded yet: a redelivery must send the identical request again. */
    public static final String AFTER_ANTOM_CALL = "after-antom-call";
    /** The outcome is durable, the offset not yet committed: a redelivery must not call Antom again. */
    public static final String AFTER_OUTCOME_RECORDED = "after-outcome-recorded";

    private volatile String armed;
    private volatile int remaining;

    /** Fails the next {@code times} passes through {@code point}. */
    public void arm(String point, int times) {
        this.remaining = times;
        this.armed = point;
    }

    /** How many armed crashes have not happened yet. */
    public int pending() {
        return armed == null ? 0 : remaining;
    }

    public void disarm() {
        this.armed = null;
    }

    void reached(String point) {
        if (point.equals(armed)) {
            synchronized (this) {
                if (remaining > 0) {
                    remaining--;
                    throw new SimulatedCrash(point);
                }
            }
        }
    }

    /** Thrown only when a test armed a crash point. */
    public static class SimulatedCrash extends RuntimeException {
        public SimulatedCrash(String point) {
            super("simulated crash at " + point);
        }
    }
}
