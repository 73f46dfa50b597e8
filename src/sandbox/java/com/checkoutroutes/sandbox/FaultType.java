package com.checkoutroutes.sandbox;

/** Faults the sandbox can inject into API answers (first four) and notifications (NOTIFY_*). */
public enum FaultType {
    /** Answer normally, but only after delayMs. */
    LATENCY,
    /** Apply the request, then answer after delayMs (longer than the client waits), like a slow Antom. */
    TIMEOUT,
    /** Answer 500/503 without applying the request. */
    HTTP_5XX,
    /** Answer U UNKNOWN_EXCEPTION without applying the request. */
    UNKNOWN_EXCEPTION,
    /** Deliver the notification twice. */
    NOTIFY_DUPLICATE,
    /** After the final result, also deliver a stale PAYMENT_PENDING. */
    NOTIFY_OUT_OF_ORDER,
    /** The first delivery carries a corrupted signature. */
    NOTIFY_BAD_SIGNATURE,
    /** Never notify. */
    NOTIFY_DROP;

    public boolean isNotificationFault() {
        return name().startsWith("NOTIFY_");
    }
}
