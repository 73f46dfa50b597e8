package com.checkoutroutes.sandbox;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The one counter behind every id the sandbox issues (paymentId, captureId, refundId, cancelId, session and
 * notification ids). Ids are reserved in blocks, and a block is journaled before its first id is handed out, so a
 * restart continues above every id ever issued, even if the record of the last payment was lost. A restart skips
 * the rest of the block; the ids have twelve digits to spare.
 */
final class IdSequence {

    static final long FIRST = 100_000;
    private static final long BLOCK = 1_000;
    /**
     * Each fresh sandbox of this JVM takes its own range of ids. The tests start one sandbox per Spring context, all
     * on one database; when each started at 100,001, a CAPTURE_RESULT (which names the payment by paymentId only)
     * of one context's payment was applied to an older payment of another with the same paymentId.
     */
    private static final long RANGE = 1_000_000_000L;
    private static final AtomicLong FRESH_IN_THIS_JVM = new AtomicLong();

    private final SandboxJournal journal;
    private long last;
    private long reserved;

    /**
     * Continues after {@code reservedBefore}, the highest reservation journaled; a fresh sandbox (0) starts after
     * 100,000, the next fresh one in the same JVM a billion higher.
     */
    IdSequence(SandboxJournal journal, long reservedBefore) {
        this.journal = journal;
        this.last = reservedBefore > 0 ? Math.max(FIRST, reservedBefore)
                : FIRST + FRESH_IN_THIS_JVM.getAndIncrement() * RANGE;
        this.reserved = last;
    }

    synchronized long next() {
        if (last == reserved) {
            reserved += BLOCK;
            journal.idsReserved(reserved);
        }
        return ++last;
    }
}
