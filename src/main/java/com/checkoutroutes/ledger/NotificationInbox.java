package com.checkoutroutes.ledger;

import java.time.Clock;
import java.time.OffsetDateTime;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The notifications we have accepted, one row per distinct content, with what became of each (a resend is a no-op). */
@Component
public class NotificationInbox {

    public enum Outcome {
        /** the ledger changed (or already was in that state) */
        APPLIED,
        /** applied, but amount or currency differ from the attempt: flagged, order held from shipment */
        MISMATCH,
        /** contradicts a final state (FAIL after SUCCESS, an old PENDING): nothing undone, conflict recorded */
        CONFLICT,
        /** no attempt with this paymentRequestId / paymentId (no refund with this refundRequestId): kept for reconciliation */
        UNMATCHED,
        /** a notification type this service does not act on */
        IGNORED
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public NotificationInbox(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** True (and counted) if this content was accepted before. */
    public boolean seenBefore(String dedupeKey) {
        return jdbc.update("UPDATE notification_inbox SET times_received = times_received + 1, last_received_at = ? "
                + "WHERE dedupe_key = ?", OffsetDateTime.now(clock), dedupeKey) > 0;
    }

    /** Who a notification is about (a payment, a capture, a refund), and its content key. */
    public record Entry(String dedupeKey, String notifyType, String paymentRequestId, String paymentId,
                        String captureRequestId, String refundRequestId) {
    }

    public void record(Entry n, Outcome outcome, String detail, String body) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        jdbc.update("INSERT INTO notification_inbox (dedupe_key, notify_type, payment_request_id, payment_id, "
                        + "capture_request_id, refund_request_id, outcome, detail, body, received_at, "
                        + "last_received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                n.dedupeKey(), n.notifyType(), n.paymentRequestId(), n.paymentId(), n.captureRequestId(),
                n.refundRequestId(), outcome.name(), detail, body, now, now);
    }

    /** Bodies of notifications that named this paymentId before the ledger knew it (a capture ahead of its payment). */
    public java.util.List<String> unmatchedFor(String paymentId) {
        return jdbc.queryForList("SELECT body FROM notification_inbox WHERE outcome = 'UNMATCHED' AND payment_id = ? "
                + "ORDER BY id", String.class, paymentId);
    }

    /** How long a notification kept UNMATCHED is counted (the gauge): an authorisation's life at Antom. */
    public static final java.time.Duration COUNTED_FOR = java.time.Duration.ofDays(7);

    /**
     * Payment and capture notifications kept UNMATCHED since the one parameter (columns of notification_inbox only); a
     * refund's and a dispute's (notify type DISPUTE) are never placed later.
     */
    private static final String UNPLACED = "outcome = 'UNMATCHED' AND received_at >= ? "
            + "AND notify_type NOT IN ('REFUND_RESULT', 'DISPUTE')";

    /** The payment and capture notifications kept UNMATCHED since {@code since}, placeable yet or not. */
    public long unplacedSince(OffsetDateTime since) {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM notification_inbox WHERE " + UNPLACED, Long.class, since);
        return n == null ? 0 : n;
    }

    /**
     * The paymentIds of notifications kept UNMATCHED since {@code since} whose payment the ledger has by now, past its
     * open states, at most {@code limit}: what the rematch of the change that recorded the paymentId did not see (that
     * change and the notification committed at the same moment, each before it could see the other). Not refunds'
     * (ours are stored before Antom hears of them: an UNMATCHED one is not ours, and flagged as such on arrival).
     */
    public java.util.List<String> placeableSince(OffsetDateTime since, int limit) {
        return jdbc.queryForList("SELECT DISTINCT i.payment_id FROM notification_inbox i "
                + "JOIN payment_attempt a ON a.payment_id = i.payment_id WHERE " + UNPLACED + " AND a.state NOT IN ("
                + PaymentState.sqlList(PaymentState::isOpen) + ") LIMIT ?", String.class, since, limit);
    }

    /** A notification as kept in the inbox, for an operator's view of a payment. */
    public record Received(String notifyType, String outcome, String detail, int timesReceived,
            OffsetDateTime receivedAt, OffsetDateTime lastReceivedAt, String body) {
    }

    /** The notifications about this attempt, oldest first. */
    public java.util.List<Received> about(String paymentRequestId, String paymentId) {
        return jdbc.query("SELECT notify_type, outcome, detail, times_received, received_at, last_received_at, body "
                        + "FROM notification_inbox WHERE payment_request_id = ? OR payment_id = ? ORDER BY id",
                (rs, i) -> new Received(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                        rs.getObject(5, OffsetDateTime.class), rs.getObject(6, OffsetDateTime.class), rs.getString(7)),
                paymentRequestId, paymentId == null ? paymentRequestId : paymentId);
    }

    public void resolve(String dedupeKey, Outcome outcome, String detail) {
        jdbc.update("UPDATE notification_inbox SET outcome = ?, detail = ? WHERE dedupe_key = ?", outcome.name(),
                detail, dedupeKey);
    }

    public int count(Outcome outcome) {
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM notification_inbox WHERE outcome = ?", Integer.class,
                outcome.name());
        return n == null ? 0 : n;
    }

    /**
     * Deletes at most {@code limit} notifications placed (any outcome but UNMATCHED, which waits for its payment) and
     * last received before {@code cutoff} (housekeeping); how many. Antom resends within 24 hours: one received again
     * after its row was deleted is applied again, which the state machine makes a no-op.
     */
    public int forgetPlacedBefore(OffsetDateTime cutoff, int limit) {
        // in the primary key's order, the oldest first: an index walk, not a scan of the table per batch
        return jdbc.update("DELETE FROM notification_inbox WHERE id IN (SELECT id FROM notification_inbox "
                + "WHERE outcome <> 'UNMATCHED' AND received_at < ? AND last_received_at < ? ORDER BY id LIMIT ?)",
                cutoff, cutoff, limit);
    }
}
