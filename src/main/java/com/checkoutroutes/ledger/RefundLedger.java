package com.checkoutroutes.ledger;

import com.checkoutroutes.platform.AntomTimeSerializer;
import com.checkoutroutes.platform.LogIds;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.commons.lang3.StringUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The refunds of payment attempts, changed only through {@link RefundState}'s state machine and {@link RefundRules}.
 * Every refund change holds its payment's row lock (so two refunds of one payment never both fit in what is left),
 * takes the payment's next version, and commits with its history row and its result event.
 */
@Component
public class RefundLedger {

    private static final Logger LOG = LoggerFactory.getLogger(RefundLedger.class);
    private static final String DUE_FOR_CHECK = RefundState.sqlList(RefundState::isDueForCheck);
    private static final String COLUMNS = "refund_request_id, payment_request_id, order_id, request_key, amount_value, "
            + "currency, state, refund_id, result_code, result_message, reason, requested_by, version, check_count, "
            + "next_check_at, confirmed_at, refunded_at, created_at, updated_at";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final PaymentLedger payments;
    private final PaymentEvents events;
    private final Outbox outbox;
    private final Clock clock;

    public RefundLedger(JdbcTemplate jdbc, TransactionTemplate tx, PaymentLedger payments, PaymentEvents events,
            Outbox outbox, Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.payments = payments;
        this.events = events;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** A refund as {@link #open} left it; {@code created} is false when the same request had stored it before. */
    public record Opened(Refund refund, boolean created) {
    }

    /** A refund after {@link #apply}; {@code changed} is false when it already was in the target state. */
    public record Changed(Refund refund, boolean changed) {
    }

    /** One step of a refund's history. */
    public record Step(RefundState from, RefundState to, String cause, String detail,
            @JsonSerialize(using = AntomTimeSerializer.class) OffsetDateTime at) {
    }

    /**
     * Stores a new refund of the attempt, REQUESTED with its refundRequestId, before anyone calls Antom. The same
     * {@code requestKey} again (a redelivered order event) finds the refund stored the first time, whatever its state;
     * with another amount it is refused ({@code REFUND_CHANGED}). {@code asked} null refunds all that is left.
     * Refused by {@link RefundRules} (with nothing stored) when the payment is not captured, the amount does not fit, a
     * cancel of the payment may be on its way to Antom, a dispute Antom notified is not cleared yet, or (for a named
     * amount) a refund made outside this service is not cleared yet.
     */
    public Opened open(String paymentRequestId, String requestKey, RefundAmount asked, String reason,
            String requestedBy) {
        return tx.execute(status -> {
            PaymentAttempt payment = payments.lock(paymentRequestId)
                    .orElseThrow(() -> new UnknownPaymentException(paymentRequestId));
            Optional<Refund> stored = byKey(paymentRequestId, requestKey);
            if (stored.isPresent()) {
                return new Opened(sameRequestOrRefuse(stored.get(), asked), false);
            }
            List<String> causes = causes(payment);
            if (asked != null) {
                // an amount named (a return, an operator's): Antom would take it on top of the refund made outside,
                // which may be for that very return. All that is left (null) is this service's count of what is
                // left: Antom refuses it when a refund outside took part of it (REFUND_AMOUNT_EXCEED, FAILED, flagged)
                RefundRules.refuseWhileRefundedOutside(payment, causes);
            }
            List<Refund> refunds = refundsOf(paymentRequestId);
            OffsetDateTime now = OffsetDateTime.now(clock);
            long amount = RefundRules.amountOf(payment, refunds, asked, payments.cancelOnItsWay(paymentRequestId, now));
            // after amountOf: a payment with nothing left to refund is NOTHING_TO_REFUND, disputed or not
            RefundRules.refuseWhileDisputed(payment, causes);
            String refundRequestId = "REF" + UUID.randomUUID().toString().replace("-", "");
            jdbc.update("INSERT INTO refund (refund_request_id, payment_request_id, order_id, request_key, amount_value, "
                            + "currency, state, reason, requested_by, created_at, updated_at) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    refundRequestId, paymentRequestId, payment.orderId(), requestKey, amount, payment.currency(),
                    RefundState.REQUESTED.name(), StringUtils.truncate(reason, 256),
                    StringUtils.truncate(requestedBy, 128), now, now);
            Refund refund = find(refundRequestId).orElseThrow();
            appendHistory(refundRequestId, null, RefundState.REQUESTED, "REFUND_REQUESTED",
                    amount + " " + payment.currency() + " by " + requestedBy + (reason == null ? "" : ": " + reason), now);
            changedPayment(payment, refund, null, RefundState.REQUESTED, "REFUND_REQUESTED", null, null, null,
                    refunded(refunds));
            return new Opened(refund, true);
        });
    }

    /**
     * Whether the refund's payment is flagged for a dispute no operator has cleared ({@link RefundRules#disputed}): a
     * refund Antom never received is then not sent again.
     */
    private boolean paymentDisputed(Refund refund) {
        return payments.find(refund.paymentRequestId())
                .map(payment -> RefundRules.disputed(payment, causes(payment)))
                .orElse(false);
    }

    /**
     * Claims a refund for a resend, as read (same version, so nothing answered or withheld it meanwhile) and not
     * final: notes {@code REFUND_RESENT} ({@code detail}) under its payment's lock, so that the janitor's
     * {@link #applyIfQuietSince} sees a send on its way, and returns it. Empty, and nothing noted, when it moved on,
     * or when Antom never had it and its payment is disputed ({@link #withheldWhileDisputed}): decided and noted in
     * one transaction, so a dispute or a withholding cannot slip in between the check and the note.
     */
    public Optional<Refund> claimResend(Refund asRead, String detail) {
        return tx.execute(status -> {
            Refund current = lock(asRead.refundRequestId()).orElseThrow();
            if (current.version() != asRead.version() || current.state().isFinal() || withheldWhileDisputed(current)) {
                return Optional.<Refund>empty();
            }
            appendHistory(current.refundRequestId(), current.state(), current.state(), "REFUND_RESENT", detail,
                    OffsetDateTime.now(clock));
            return Optional.of(current);
        });
    }

    /**
     * A refund Antom never accepted (no refundId, not ACCEPTED) whose payment is disputed: not sent again, as the
     * chargeback may give the money back (the janitor fails it once no send may be on its way).
     */
    public boolean withheldWhileDisputed(Refund refund) {
        return refund.refundId() == null && refund.state() != RefundState.ACCEPTED && paymentDisputed(refund);
    }

    /** The causes of a flagged payment's history in order; none for a payment not flagged (no flag to look for). */
    private List<String> causes(PaymentAttempt payment) {
        return payment.flagged() ? payments.history(payment.paymentRequestId()).stream()
                .map(PaymentLedger.StateChange::cause).toList() : List.of();
    }

    private static Refund sameRequestOrRefuse(Refund stored, RefundAmount asked) {
        if (asked != null && (asked.value() != stored.amountValue() || !asked.currency().equals(stored.currency()))) {
            throw new RefundRefusedException("REFUND_CHANGED", "this request (" + stored.requestKey() + ") refunded "
                    + stored.amountValue() + " " + stored.currency() + " before, now it asks " + asked.value() + " "
                    + asked.currency());
        }
        return stored;
    }

    /**
     * Moves a refund under its payment's lock. Moving to the state it is already in changes nothing (returns it
     * unchanged, emits nothing); a move the state machine refuses throws and changes nothing (callers decide on
     * conflicts first, {@link RefundState#canMoveTo}).
     */
    public Changed apply(String refundRequestId, RefundChange change) {
        return tx.execute(status -> {
            Refund unlocked = find(refundRequestId).orElseThrow(() -> new IllegalArgumentException(
                    "no refund " + refundRequestId));
            PaymentAttempt payment = payments.lock(unlocked.paymentRequestId()).orElseThrow();
            Refund current = find(refundRequestId).orElseThrow();
            if (current.state() == change.to) {
                return new Changed(current, false);
            }
            if (!current.state().canMoveTo(change.to)) {
                throw new IllegalStateException("refund " + refundRequestId + " cannot move from " + current.state()
                        + " to " + change.to);
            }
            OffsetDateTime now = OffsetDateTime.now(clock);
            int updated = jdbc.update("UPDATE refund SET state = ?, refund_id = COALESCE(?, refund_id), "
                            + "result_code = COALESCE(?, result_code), result_message = COALESCE(?, result_message), "
                            + "confirmed_at = CASE WHEN ? THEN ? ELSE confirmed_at END, "
                            // when Antom took it: its acceptance, or the final result if that came first
                            + "refunded_at = CASE WHEN ? THEN COALESCE(refunded_at, ?) ELSE refunded_at END, "
                            // a new state starts its own wait for the janitor (first-check.unknown for UNKNOWN),
                            // and its own backoff
                            + "next_check_at = NULL, check_count = 0, version = version + 1, updated_at = ? "
                            + "WHERE refund_request_id = ? AND version = ?",
                    change.to.name(), change.refundId, change.resultCode,
                    StringUtils.truncate(change.resultMessage, 512), change.confirmed, now,
                    change.to.isTakenByAntom(), now, now, refundRequestId, current.version());
            if (updated != 1) {
                throw new IllegalStateException("concurrent update of refund " + refundRequestId);
            }
            appendHistory(refundRequestId, current.state(), change.to, change.cause, change.detail, now);
            List<Refund> after = refundsOf(current.paymentRequestId());
            changedPayment(payment, current, current.state(), change.to, change.cause, change.refundId,
                    change.resultCode, change.resultMessage, refunded(after));
            return new Changed(find(refundRequestId).orElseThrow(), true);
        });
    }

    /**
     * Applies {@code change} only while the refund is as read (same version) and has had no step since
     * {@code quietSince} (a send is noted before it goes, so none may still be on its way); empty otherwise.
     */
    public Optional<Refund> applyIfQuietSince(Refund asRead, OffsetDateTime quietSince, RefundChange change) {
        return tx.execute(status -> {
            Refund current = lock(asRead.refundRequestId()).orElseThrow();
            List<Step> steps = history(current.refundRequestId());
            boolean quiet = steps.isEmpty() || steps.get(steps.size() - 1).at().isBefore(quietSince);
            if (current.version() != asRead.version() || !quiet) {
                return Optional.<Refund>empty();
            }
            return Optional.of(apply(current.refundRequestId(), change).refund());
        });
    }

    /** The payment's side of a refund change: its next version, the result event, a log line. */
    private void changedPayment(PaymentAttempt payment, Refund refund, RefundState from, RefundState to, String cause,
            String refundId, String code, String message, long refundedAfter) {
        int bumped = jdbc.update("UPDATE payment_attempt SET version = version + 1 "
                + "WHERE payment_request_id = ? AND version = ?", payment.paymentRequestId(), payment.version());
        if (bumped != 1) {
            throw new IllegalStateException("concurrent update of " + payment.paymentRequestId());
        }
        outbox.append(events.refundStateChanged(payment, refund, from, to, cause, refundId, code, message,
                refundedAfter));
        try (LogIds ids = LogIds.of(payment.orderId(), payment.paymentRequestId(), payment.paymentId())) {
            LOG.info("refund {} of payment {} (order {}, {} {}): {} -> {} ({})", refund.refundRequestId(),
                    payment.paymentRequestId(), payment.orderId(), refund.amountValue(), refund.currency(),
                    from == null ? "new" : from, to, cause);
        }
    }

    private static long refunded(List<Refund> refunds) {
        return refunds.stream().filter(r -> r.state() == RefundState.REFUNDED).mapToLong(Refund::amountValue).sum();
    }

    public Optional<Refund> find(String refundRequestId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM refund WHERE refund_request_id = ?", ROW, refundRequestId)
                .stream().findFirst();
    }

    /**
     * Reads a refund with its payment's row locked until the surrounding transaction ends (call inside one): no other
     * change of that payment's refunds can slip in between a decision and its write.
     */
    public Optional<Refund> lock(String refundRequestId) {
        Optional<Refund> unlocked = find(refundRequestId);
        if (unlocked.isEmpty()) {
            return unlocked;
        }
        payments.lock(unlocked.get().paymentRequestId());
        return find(refundRequestId);
    }

    public Optional<Refund> findByRefundId(String refundId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM refund WHERE refund_id = ?", ROW, refundId).stream().findFirst();
    }

    /**
     * The refunds with one of these refund request ids or one of these Antom refund ids, in no order: a report's
     * rows looked up a batch at a time.
     */
    public List<Refund> findAll(Collection<String> refundRequestIds, Collection<String> refundIds) {
        return ByIds.query(jdbc, "SELECT " + COLUMNS + " FROM refund", "refund_request_id", refundRequestIds,
                "refund_id", refundIds, ROW);
    }

    private Optional<Refund> byKey(String paymentRequestId, String requestKey) {
        return jdbc.query("SELECT " + COLUMNS + " FROM refund WHERE payment_request_id = ? AND request_key = ?", ROW,
                paymentRequestId, requestKey).stream().findFirst();
    }

    /** The refunds of one payment attempt, oldest first. */
    public List<Refund> refundsOf(String paymentRequestId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM refund WHERE payment_request_id = ? ORDER BY created_at, "
                + "refund_request_id", ROW, paymentRequestId);
    }

    /** The refunds of every attempt of one order, oldest first. */
    public List<Refund> refundsOfOrder(String orderId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM refund WHERE order_id = ? ORDER BY created_at, refund_request_id",
                ROW, orderId);
    }

    /** Refunds whose result the janitor should ask Antom about now (or whose first check is not scheduled yet). */
    public List<Refund> dueForCheck(OffsetDateTime now, int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM refund WHERE state IN (" + DUE_FOR_CHECK + ")"
                        + " AND (next_check_at IS NULL OR next_check_at <= ?)"
                        + " ORDER BY COALESCE(next_check_at, updated_at) LIMIT ?", ROW, now, limit);
    }

    /**
     * When the janitor should look at this refund next (and how many looks it has had), after a look at it as read
     * before: only while it is still in that state. One that changed meanwhile (a resend's answer while Antom was
     * asked) had its first check in the new state scheduled with the change, which a backoff from the old state would
     * put off by hours.
     */
    public void scheduleCheck(Refund asRead, OffsetDateTime next, boolean counted) {
        jdbc.update("UPDATE refund SET next_check_at = ?, check_count = check_count + ? WHERE refund_request_id = ? "
                + "AND state = ?", next, counted ? 1 : 0, asRead.refundRequestId(), asRead.state().name());
    }

    /** Marks the refund's current state as confirmed with Antom now. */
    public void confirm(String refundRequestId) {
        jdbc.update("UPDATE refund SET confirmed_at = ? WHERE refund_request_id = ?", OffsetDateTime.now(clock),
                refundRequestId);
    }

    /** Records something that happened to a refund without changing its state (a resend, a conflict). */
    public void note(String refundRequestId, String cause, String detail) {
        tx.executeWithoutResult(status -> {
            RefundState state = find(refundRequestId).orElseThrow().state();
            appendHistory(refundRequestId, state, state, cause, detail, OffsetDateTime.now(clock));
        });
    }

    public List<Step> history(String refundRequestId) {
        return jdbc.query("SELECT from_state, to_state, cause, detail, at FROM refund_transition "
                        + "WHERE refund_request_id = ? ORDER BY id",
                (rs, i) -> new Step(rs.getString(1) == null ? null : RefundState.valueOf(rs.getString(1)),
                        RefundState.valueOf(rs.getString(2)), rs.getString(3), rs.getString(4),
                        rs.getObject(5, OffsetDateTime.class)),
                refundRequestId);
    }

    private void appendHistory(String refundRequestId, RefundState from, RefundState to, String cause, String detail,
            OffsetDateTime at) {
        jdbc.update("INSERT INTO refund_transition (refund_request_id, from_state, to_state, cause, detail, at) "
                        + "VALUES (?, ?, ?, ?, ?, ?)", refundRequestId, from == null ? null : from.name(), to.name(),
                cause, StringUtils.truncate(detail, 2000), at);
    }

    private static final RowMapper<Refund> ROW = RefundLedger::map;

    private static Refund map(ResultSet rs, int row) throws SQLException {
        return new Refund(rs.getString("refund_request_id"), rs.getString("payment_request_id"),
                rs.getString("order_id"), rs.getString("request_key"), rs.getLong("amount_value"),
                rs.getString("currency"), RefundState.valueOf(rs.getString("state")), rs.getString("refund_id"),
                rs.getString("result_code"), rs.getString("result_message"), rs.getString("reason"),
                rs.getString("requested_by"), rs.getInt("version"), rs.getInt("check_count"),
                rs.getObject("next_check_at", OffsetDateTime.class), rs.getObject("confirmed_at", OffsetDateTime.class),
                rs.getObject("refunded_at", OffsetDateTime.class), rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("updated_at", OffsetDateTime.class));
    }
}
