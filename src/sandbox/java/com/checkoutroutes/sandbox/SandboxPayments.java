package com.checkoutroutes.sandbox;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Payment state, indexed by paymentRequestId and paymentId. Callers synchronise on this object around any
 * read-modify-write, which keeps the state machine simple at sandbox volumes. Held in memory; with a state dir
 * every change is also journaled ({@link #save}).
 */
public final class SandboxPayments {

    private static final DateTimeFormatter ID_DATE = DateTimeFormatter.ofPattern("yyyyMMdd");

    private final Map<String, SandboxPayment> byRequestId = new LinkedHashMap<>();
    private final Map<String, SandboxPayment> byPaymentId = new LinkedHashMap<>();
    /** Never later than the earliest expiry of a PROCESSING payment (status never returns to PROCESSING). */
    private Instant nextExpiry;
    private final IdSequence ids;
    private final SandboxJournal journal;
    /** 0: keep every payment; else only the newest ones (see {@link SandboxServer#keepAtMost}). */
    private int kept;

    public SandboxPayments(IdSequence ids, SandboxJournal journal) {
        this.ids = ids;
        this.journal = journal;
    }

    public synchronized Optional<SandboxPayment> byRequestId(String paymentRequestId) {
        return Optional.ofNullable(paymentRequestId == null ? null : byRequestId.get(paymentRequestId));
    }

    public synchronized Optional<SandboxPayment> byPaymentId(String paymentId) {
        return Optional.ofNullable(paymentId == null ? null : byPaymentId.get(paymentId));
    }

    /** inquiry/cancel semantics: paymentId wins over paymentRequestId. */
    public synchronized Optional<SandboxPayment> find(String paymentId, String paymentRequestId) {
        return paymentId != null ? byPaymentId(paymentId) : byRequestId(paymentRequestId);
    }

    /** The refund with this refundId (which wins) or refundRequestId, of any payment. */
    public synchronized Optional<SandboxPayment.Refund> refund(String refundId, String refundRequestId) {
        return byRefund(refundId, refundRequestId).flatMap(p -> p.refunds.stream()
                .filter(r -> refundId != null ? refundId.equals(r.refundId())
                        : refundRequestId.equals(r.refundRequestId()))
                .findFirst());
    }

    /** The payment a refund belongs to, found by its refundId (which wins) or refundRequestId. */
    public synchronized Optional<SandboxPayment> byRefund(String refundId, String refundRequestId) {
        if (refundId == null && refundRequestId == null) {
            return Optional.empty();
        }
        return byRequestId.values().stream().filter(p -> p.refunds.stream().anyMatch(r -> refundId != null
                ? refundId.equals(r.refundId()) : refundRequestId.equals(r.refundRequestId()))).findFirst();
    }

    public synchronized void add(SandboxPayment payment) {
        byRequestId.put(payment.paymentRequestId, payment);
        byPaymentId.put(payment.paymentId, payment);
        nextExpiry = nextExpiry == null || payment.expiryTime.isBefore(nextExpiry) ? payment.expiryTime : nextExpiry;
        forgetOldest();
    }

    public synchronized void keepAtMost(int payments) {
        kept = Math.max(0, payments);
        forgetOldest();
    }

    private void forgetOldest() {
        Iterator<SandboxPayment> oldestFirst = byRequestId.values().iterator();
        while (kept > 0 && byRequestId.size() > kept) {
            SandboxPayment oldest = oldestFirst.next();
            oldestFirst.remove();
            byPaymentId.remove(oldest.paymentId);
        }
    }

    /**
     * Whether some payment may have reached its expiry by {@code now}: lets the sweep that runs on every API call
     * skip its scan of all payments (which made each call O(payments) under the lock, and load tests slow down).
     */
    public synchronized boolean anyExpiryPassed(Instant now) {
        return nextExpiry != null && now.isAfter(nextExpiry);
    }

    /** After a sweep: the earliest expiry among the payments still PROCESSING (null if none). */
    public synchronized void nextExpiry(Instant earliest) {
        nextExpiry = earliest;
    }

    /**
     * Records the payment's current state (a no-op without a state dir). Called after every change and before
     * the change is answered or notified, so that a kill right after an answer loses nothing.
     */
    public synchronized void save(SandboxPayment payment) {
        journal.payment(payment);
    }

    public synchronized List<SandboxPayment> all() {
        return new ArrayList<>(byRequestId.values());
    }

    public synchronized void clear() {
        nextExpiry = null;
        byRequestId.clear();
        byPaymentId.clear();
    }

    /** 35-digit ids shaped like Antom's: date, a kind-specific infix, a sequence number. */
    public String newId(String infix, Instant now) {
        String date = OffsetDateTime.ofInstant(now, SandboxClock.ANTOM_ZONE).format(ID_DATE);
        // 35 characters like Antom's ids; the sequence is kept whole so that every id is unique
        String sequenceDigits = String.format("%012d", ids.next());
        String prefix = date + infix;
        return prefix.substring(0, Math.min(prefix.length(), 35 - sequenceDigits.length())) + sequenceDigits;
    }
}
