package com.checkoutroutes.sandbox;

/**
 * The one counter behind every id the sandbox issues (paymentId, captureId, refundId, cancelId, session and
 * notification ids). Ids are reserved in blocks, and a block is journaled before its first id is handed out, so a
 * restart continues above every id ever issued, even if the record of the last payment was lost. A restart skips
 * the rest of the block; the ids have twelve digits to spare.
 */
final class IdSequence {

    static final long FIRST = 100_000;
    private static final long BLOCK = 1_000;

    private final SandboxJournal journal;
    private long last;
    private long reserved;

    /** Continues after {@code reservedBefore}, the highest reservation journaled (0 for a fresh sandbox). */
    IdSequence(SandboxJournal journal, long reservedBefore) {
        this.journal = journal;
        this.last = Math.max(FIRST, reservedBefore);
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
