package com.checkoutroutes.ledger;

/**
 * How a dispute's step that Antom's notifyDispute brought is written in its payment's history ({@code detail}), and
 * read back: by the console's timeline, and by reconciliation, which does not flag again a dispute a notification
 * already brought.
 */
public final class DisputeHistory {

    private static final String PREFIX = "dispute ";

    private DisputeHistory() {
    }

    /** The history detail of a notified step: the dispute's id and the step's type. */
    public static String detail(String disputeId, String type) {
        return PREFIX + disputeId + " " + type;
    }

    /** Whether a history detail is a notified dispute's step. */
    public static boolean notified(String detail) {
        return detail != null && detail.startsWith(PREFIX);
    }

    /** Whether a history detail is a notified step of the dispute {@code disputeId}. */
    public static boolean notified(String detail, String disputeId) {
        return detail != null && detail.startsWith(PREFIX + disputeId + " ");
    }
}
