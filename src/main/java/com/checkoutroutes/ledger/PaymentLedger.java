package com.checkoutroutes.ledger;

import com.checkoutroutes.ledger.PaymentAttempt.Integration;
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
import java.util.function.Function;
import org.apache.commons.lang3.StringUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The payment ledger: attempts, their append-only history and the outbox, changed only through the state machine
 * of {@link PaymentState}. Every change, its history row and its events commit together.
 */
@Component
public class PaymentLedger {

    private static final Logger LOG = LoggerFactory.getLogger(PaymentLedger.class);
    private static final String PAID_STATES = PaymentState.sqlList(PaymentState::isPaid);
    private static final String COLUMNS = "payment_request_id, order_id, attempt_no, integration, payment_method_type, "
            + "amount_value, currency, capture_mode, terminal_type, os_type, state, payment_id, result_code, "
            + "result_message, expires_at, request_json, continuation_json, flagged, flag_reason, version, created_at, "
            + "updated_at, capture_request_id, capture_id, check_count, next_check_at, confirmed_at, paid_at";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Outbox outbox;
    private final Clock clock;
    private final OrderCancellations cancellations;
    private final CommittedTransitions committed;
    private final boolean skipLocked;
    /** PostgreSQL: a write and what comes with it in one statement (data-modifying WITH); H2 has no such thing. */
    private final boolean oneStatementWrites;
    private FirstChecks firstChecks = FirstChecks.NONE;

    public PaymentLedger(JdbcTemplate jdbc, TransactionTemplate tx, Outbox outbox, Clock clock,
            CommittedTransitions committed, OrderCancellations cancellations) {
        this.cancellations = cancellations;
        this.jdbc = jdbc;
        this.tx = tx;
        this.outbox = outbox;
        this.clock = clock;
        this.committed = committed;
        this.skipLocked = DatabaseDialect.supportsSkipLocked(jdbc);
        this.oneStatementWrites = DatabaseDialect.supportsWritesInWith(jdbc);
    }

    /** The janitor's first checks, scheduled as an attempt enters a state it checks (none without them). */
    @org.springframework.beans.factory.annotation.Autowired(required = false)
    public void setFirstChecks(FirstChecks firstChecks) {
        this.firstChecks = firstChecks;
    }

    /**
     * When the janitor first asks about an attempt with {@code captureMode} entering {@code state} now; null when it
     * does not look at it in that state, or schedules that itself.
     */
    private OffsetDateTime firstCheckAt(PaymentState state, String captureMode, OffsetDateTime now) {
        java.time.Duration delay = state.isDueForCheck(captureMode) ? firstChecks.after(state) : null;
        return delay == null ? null : now.plus(delay);
    }

    public Optional<PaymentAttempt> find(String paymentRequestId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM payment_attempt WHERE payment_request_id = ?", ROW,
                paymentRequestId).stream().findFirst();
    }

    /** The attempt's state as the ledger has it now (as read, were it gone). */
    public PaymentState stateNow(PaymentAttempt asRead) {
        return find(asRead.paymentRequestId()).map(PaymentAttempt::state).orElse(asRead.state());
    }

    /** Reads and row-locks an attempt until the surrounding transaction ends (call inside one). */
    public Optional<PaymentAttempt> lock(String paymentRequestId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM payment_attempt WHERE payment_request_id = ? FOR UPDATE", ROW,
                paymentRequestId).stream().findFirst();
    }

    public Optional<PaymentAttempt> findByPaymentId(String paymentId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM payment_attempt WHERE payment_id = ?", ROW, paymentId)
                .stream().findFirst();
    }

    /**
     * The attempts with one of these payment request ids or one of these Antom payment ids, in no order: a
     * report's rows looked up a batch at a time.
     */
    public List<PaymentAttempt> findAll(Collection<String> paymentRequestIds, Collection<String> paymentIds) {
        return ByIds.query(jdbc, "SELECT " + COLUMNS + " FROM payment_attempt", "payment_request_id", paymentRequestIds,
                "payment_id", paymentIds, ROW);
    }

    public List<PaymentAttempt> attemptsOf(String orderId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM payment_attempt WHERE order_id = ? ORDER BY attempt_no", ROW,
                orderId);
    }

    /** The order's attempt with this number, if the ledger has it. */
    public Optional<PaymentAttempt> attemptOf(String orderId, int attemptNo) {
        return PaymentAttempt.numbered(attemptsOf(orderId), attemptNo);
    }

    /**
     * The order's other attempts, locked in the current transaction (in one order, so two callers lock them alike):
     * what a payment about to be recorded as paid checks for an earlier one.
     */
    public List<PaymentAttempt> lockOtherAttempts(PaymentAttempt attempt) {
        return jdbc.query("SELECT " + COLUMNS + " FROM payment_attempt WHERE order_id = ? AND payment_request_id <> ? "
                + "ORDER BY payment_request_id FOR UPDATE", ROW, attempt.orderId(), attempt.paymentRequestId());
    }

    public List<PaymentAttempt> inState(PaymentState state, int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM payment_attempt WHERE state = ? ORDER BY updated_at LIMIT ?",
                ROW, state.name(), limit);
    }

    /**
     * Attempts for an operator's search, most recently changed first, at most {@code limit}: {@code id} (an orderId,
     * paymentRequestId or paymentId), {@code state}, {@code changedBefore} (unchanged since) and {@code flagged} each
     * narrow it when not null.
     */
    public List<PaymentAttempt> search(String id, PaymentState state, OffsetDateTime changedBefore, Boolean flagged,
            int limit) {
        return search(id, state, changedBefore, flagged, limit, false);
    }

    /**
     * {@link #search} without an id, longest unchanged first: what has waited longest for an operator (the console's
     * Needs attention) comes first, however many came after it.
     */
    public List<PaymentAttempt> longestUnchanged(PaymentState state, OffsetDateTime changedBefore, Boolean flagged,
            int limit) {
        return search(null, state, changedBefore, flagged, limit, true);
    }

    private List<PaymentAttempt> search(String id, PaymentState state, OffsetDateTime changedBefore, Boolean flagged,
            int limit, boolean oldestFirst) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM payment_attempt WHERE 1 = 1");
        List<Object> args = new java.util.ArrayList<>();
        if (id != null) {
            sql.append(" AND (order_id = ? OR payment_request_id = ? OR payment_id = ?)");
            args.addAll(List.of(id, id, id));
        }
        if (state != null) {
            sql.append(" AND state = ?");
            args.add(state.name());
        }
        if (changedBefore != null) {
            sql.append(" AND updated_at < ?");
            args.add(changedBefore);
        }
        if (flagged != null) {
            sql.append(" AND flagged = ?");
            args.add(flagged);
        }
        sql.append(oldestFirst ? " ORDER BY updated_at LIMIT ?" : " ORDER BY updated_at DESC LIMIT ?");
        args.add(limit);
        return jdbc.query(sql.toString(), ROW, args.toArray());
    }

    public List<StateChange> history(String paymentRequestId) {
        return jdbc.query("SELECT from_state, to_state, cause, detail, at FROM payment_transition "
                        + "WHERE payment_request_id = ? ORDER BY id",
                (rs, i) -> new StateChange(
                        rs.getString(1) == null ? null : PaymentState.valueOf(rs.getString(1)),
                        PaymentState.valueOf(rs.getString(2)), rs.getString(3), rs.getString(4),
                        rs.getObject(5, OffsetDateTime.class)),
                paymentRequestId);
    }

    /**
     * Returns the stored attempt for (order, attempt number), creating it first if it is new. A redelivered order
     * finds its attempt (and so its paymentRequestId) again; a new attempt for an order already paid is refused.
     * A new attempt is stored already REQUESTED ({@code api} is about to be called), with both steps in its history:
     * one transaction instead of two on the order path, and a crash after it still resends the stored request.
     */
    public PaymentAttempt openAttempt(NewAttempt attempt, String api) {
        try {
            return tx.execute(status -> {
                OffsetDateTime now = OffsetDateTime.now(clock);
                Object[] attemptArgs = {attempt.paymentRequestId(), attempt.orderId(), attempt.attemptNo(),
                        attempt.integration().name(), attempt.paymentMethodType(), attempt.amountValue(),
                        attempt.currency(), attempt.captureMode(), attempt.terminalType(), attempt.osType(),
                        PaymentState.REQUESTED.name(), attempt.expiresAt(), attempt.requestJson(), now, now,
                        firstCheckAt(PaymentState.REQUESTED, attempt.captureMode(), now), attempt.orderId(),
                        attempt.orderId(), attempt.orderId(), attempt.attemptNo()};
                Object[] history = concat(
                        historyRow(attempt.paymentRequestId(), null, PaymentState.CREATED, "ORDER_RECEIVED",
                                "attempt " + attempt.attemptNo(), now),
                        historyRow(attempt.paymentRequestId(), PaymentState.CREATED, PaymentState.REQUESTED,
                                "ANTOM_CALLED", api, now));
                // the usual case: a new attempt of an order nothing has paid yet. A redelivered attempt, a paid or
                // cancelled order, or one with a later attempt, inserts nothing (a failed insert would abort a group
                // commit's whole batch); one stored by another consumer just now breaks uq_attempt_per_order (below)
                boolean inserted;
                if (oneStatementWrites) {
                    inserted = jdbc.update("WITH attempt AS (" + INSERT_ATTEMPT + " RETURNING payment_request_id) "
                            + INSERT_TWO_HISTORY + " WHERE EXISTS (SELECT 1 FROM attempt)",
                            concat(attemptArgs, history)) > 0;
                } else {
                    inserted = jdbc.update(INSERT_ATTEMPT, attemptArgs) == 1;
                    if (inserted) {
                        jdbc.update(INSERT_TWO_HISTORY, history);
                    }
                }
                if (!inserted) {
                    return storedOrRefused(attempt);
                }
                committed.changed(null, PaymentState.REQUESTED);
                LOG.info("payment {} of order {}: stored, calling {}", attempt.paymentRequestId(),
                        attempt.orderId(), api);
                return PaymentAttempt.builder().terms(attempt).state(PaymentState.REQUESTED).version(0)
                        .createdAt(now).updatedAt(now)
                        .nextCheckAt(firstCheckAt(PaymentState.REQUESTED, attempt.captureMode(), now)).build();
            });
        } catch (DuplicateKeyException redelivered) {
            // this attempt was stored before (a redelivery, or another consumer just now): use the stored one
            return storedOrRefused(attempt);
        }
    }

    /** The stored attempt with this number, if its order matches; else the order is paid already, or it changed. */
    private PaymentAttempt storedOrRefused(NewAttempt attempt) {
        List<PaymentAttempt> ofOrder = attemptsOf(attempt.orderId());
        Optional<PaymentAttempt> stored = PaymentAttempt.numbered(ofOrder, attempt.attemptNo());
        if (stored.isPresent()) {
            return sameAttemptOrRefuse(stored.get(), attempt);
        }
        refuseNewAttempt(attempt.orderId(), attempt.attemptNo(), ofOrder);
        throw new IllegalStateException("attempt " + attempt.attemptNo() + " of order " + attempt.orderId()
                + " was neither stored nor refused");
    }

    /**
     * Throws what the attempt insert would refuse attempt {@code attemptNo} of this order for, were it new
     * ({@code ofOrder}: the order's attempts): {@link OrderAlreadyPaidException} (one of its attempts is paid),
     * {@link OrderCancelledException} (the order system cancelled it), {@link AttemptSupersededException} (a later
     * attempt replaced it). Also for an order naming no method, which no attempt stores yet, and the order door
     * before it publishes.
     */
    public void refuseNewAttempt(String orderId, int attemptNo, List<PaymentAttempt> ofOrder) {
        Optional<PaymentAttempt> paid = PaymentAttempt.ordersOwnPayment(ofOrder);
        if (paid.isPresent()) {
            throw new OrderAlreadyPaidException(orderId, paid.get().paymentRequestId());
        }
        if (cancellations.cancelled(orderId)) {
            throw new OrderCancelledException(orderId);
        }
        ofOrder.stream().mapToInt(PaymentAttempt::attemptNo).filter(n -> n > attemptNo).max().ifPresent(later -> {
            throw new AttemptSupersededException(orderId, attemptNo, later);
        });
    }

    private static PaymentAttempt sameAttemptOrRefuse(PaymentAttempt stored, NewAttempt asked) {
        if (!stored.hasTerms(asked.amountValue(), asked.currency(), asked.paymentMethodType(), asked.integration(),
                asked.captureMode())) {
            throw new AttemptMismatchException(asked.orderId(), asked.attemptNo());
        }
        return stored;
    }

    /**
     * Applies a transition under a row lock. Moving to the state the attempt is already in is a no-op (returns the
     * attempt unchanged, emits nothing); a transition the state machine refuses throws and changes nothing.
     */
    public TransitionResult apply(String paymentRequestId, Transition change) {
        return tx.execute(status -> applyLocked(lock(paymentRequestId)
                .orElseThrow(() -> new UnknownPaymentException(paymentRequestId)), change));
    }

    /**
     * {@link #apply} with the change made from the locked row, so its events describe the row they change (their
     * {@code version} and {@code previousState}) even if the caller's copy of the attempt is older.
     */
    public TransitionResult apply(String paymentRequestId, Function<PaymentAttempt, Transition> changeOf) {
        return tx.execute(status -> {
            PaymentAttempt current = lock(paymentRequestId)
                    .orElseThrow(() -> new UnknownPaymentException(paymentRequestId));
            return applyLocked(current, changeOf.apply(current));
        });
    }

    /**
     * {@link #apply} for an attempt the caller has already read with {@link #lock} in its own transaction (saves
     * reading and locking the row twice).
     */
    public TransitionResult applyLocked(PaymentAttempt current, Transition change) {
        return tx.execute(status -> {
            if (current.state() == change.to) {
                return new TransitionResult(current, false);
            }
            if (write(current, change).isEmpty()) {
                throw new IllegalStateException("concurrent update of " + current.paymentRequestId());
            }
            return new TransitionResult(find(current.paymentRequestId()).orElseThrow(), true);
        });
    }

    /**
     * The order path's transition, without reading or locking the row first: the change is written only if the
     * attempt is still as {@code expected} (same version), and the attempt after it is returned; empty if it moved on
     * meanwhile (a notification came first), and then nothing was written: the caller locks and decides again.
     */
    public Optional<PaymentAttempt> applyIfUnchanged(PaymentAttempt expected, Transition change) {
        return tx.execute(status -> write(expected, change));
    }

    /** Writes one checked transition from {@code current}, its history row and its events; empty if the row moved. */
    private Optional<PaymentAttempt> write(PaymentAttempt current, Transition change) {
        String paymentRequestId = current.paymentRequestId();
        if (!current.state().canMoveTo(change.to)) {
            throw new IllegalTransitionException(paymentRequestId, current.state(), change.to);
        }
        if (change.to == PaymentState.CAPTURE_FAILED && change.flagReason == null && !change.expectedCaptureFailure) {
            // whoever learnt it (the capture's answer, a notification, an inquiry): the shipment's event is consumed,
            // nothing captures again on its own, and Antom releases the authorisation after 7 days
            // kept short: a flag's earlier reasons are cut to fit, and a long one could push out one after it
            change.flag(PaymentAttempt.CAPTURE_FAILED + ": "
                    + StringUtils.abbreviate(change.detail != null ? change.detail : change.cause, 120));
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        OffsetDateTime paidAt = paidAt(change, now);
        OffsetDateTime firstCheck = firstCheckAt(change.to, current.captureMode(), now);
        Object[] update = concat(concat(new Object[] {change.to.name(), change.paymentId, change.resultCode,
            change.resultMessage, change.continuationJson, change.expiresAt, change.flagReason != null},
                flagReasonArgs(change.flagReason)), new Object[] {change.captureRequestId, change.captureId,
                    change.confirmed, now, change.to.isPaid(), paidAt, !change.to.isDueForCheck(current.captureMode()),
                    firstCheck,
                    checksStartAgain(current, change), now, paymentRequestId, current.version()});
        Object[] history = historyRow(paymentRequestId, current.state(), change.to, change.cause, change.detail, now);
        if (oneStatementWrites) {
            // the change, its history row and its events in one round trip: the group-commit writer runs the
            // writes of a batch one after another, so each round trip adds to every order's wait
            String condition = " WHERE EXISTS (SELECT 1 FROM changed)";
            StringBuilder sql = new StringBuilder("WITH changed AS (").append(UPDATE_ATTEMPT)
                    .append(" RETURNING payment_request_id), history AS (").append(INSERT_HISTORY).append(condition)
                    .append(')');
            Object[] args = concat(update, history);
            if (!change.events.isEmpty()) {
                Outbox.Rows events = outbox.rowsOf(change.events);
                sql.append(", events AS (").append(events.insertSelect()).append(condition).append(')');
                args = concat(args, events.args());
            }
            Integer updated = jdbc.queryForObject(sql.append(" SELECT COUNT(*) FROM changed").toString(),
                    Integer.class, args);
            if (updated == null || updated != 1) {
                return Optional.empty();
            }
        } else {
            if (jdbc.update(UPDATE_ATTEMPT, update) != 1) {
                return Optional.empty();
            }
            jdbc.update(INSERT_HISTORY, history);
            outbox.appendAll(change.events);
        }
        if (current.state() != change.to) {
            committed.changed(current.state(), change.to);
        }
        try (LogIds ids = LogIds.of(current.orderId(), paymentRequestId,
                change.paymentId != null ? change.paymentId : current.paymentId())) {
            LOG.info("payment {} of order {}: {} -> {} ({})", paymentRequestId, current.orderId(),
                    current.state(), change.to, change.cause);
        }
        return Optional.of(after(current, change, now, paidAt, firstCheck));
    }

    /** Now, or just after the order's own payment where this one is paid after it ({@link Transition#paidAfter}). */
    private static OffsetDateTime paidAt(Transition change, OffsetDateTime now) {
        if (change.paidAfter == null) {
            return now;
        }
        OffsetDateTime justAfter = change.paidAfter.plusNanos(1_000); // the column keeps microseconds
        return now.isBefore(justAfter) ? justAfter : now;
    }

    /** The row as the UPDATE in {@link #write} leaves it (same COALESCE rules), without reading it back. */
    private static PaymentAttempt after(PaymentAttempt a, Transition c, OffsetDateTime now, OffsetDateTime paidAt,
            OffsetDateTime firstCheck) {
        return a.toBuilder()
                .state(c.to)
                .paymentId(or(c.paymentId, a.paymentId()))
                .resultCode(or(c.resultCode, a.resultCode()))
                .resultMessage(or(c.resultMessage, a.resultMessage()))
                .expiresAt(or(c.expiresAt, a.expiresAt()))
                .continuationJson(or(c.continuationJson, a.continuationJson()))
                .flagged(a.flagged() || c.flagReason != null)
                .flagReason(withReasonAdded(a.flagged(), a.flagReason(), c.flagReason))
                .version(a.version() + 1)
                .updatedAt(now)
                .captureRequestId(or(c.captureRequestId, a.captureRequestId()))
                .captureId(or(c.captureId, a.captureId()))
                .nextCheckAt(!c.to.isDueForCheck(a.captureMode()) ? null : or(firstCheck, a.nextCheckAt()))
                .checkCount(checksStartAgain(a, c) ? 0 : a.checkCount())
                .confirmedAt(c.confirmed ? now : a.confirmedAt())
                .paidAt(c.to.isPaid() && a.paidAt() == null ? paidAt : a.paidAt())
                .build();
    }

    /**
     * Whether the janitor's backoff starts again with the change: its result became known (an attempt UNKNOWN through
     * hours of Antom unreachable, then PENDING, is asked about at the first delays again, not hours apart). Not the
     * move back to REQUESTED and on to UNKNOWN of a resend without an answer: an outage keeps its backoff.
     */
    private static boolean checksStartAgain(PaymentAttempt a, Transition c) {
        return c.to != a.state() && !c.to.isResultUnknown();
    }

    private static <T> T or(T value, T otherwise) {
        return value != null ? value : otherwise;
    }

    /**
     * Marks a cancel of the attempt as on its way to Antom until {@code until} (call with the row locked); a later mark
     * already there holds. While one holds, {@link RefundLedger#open} refunds nothing of the attempt. Changes neither
     * state nor version.
     */
    public void claimCancelSend(String paymentRequestId, OffsetDateTime until) {
        jdbc.update("UPDATE payment_attempt SET cancel_claimed_until = GREATEST(COALESCE(cancel_claimed_until, ?), ?) "
                + "WHERE payment_request_id = ?", until, until, paymentRequestId);
    }

    /** Ends the mark of a cancel whose send is over ({@code until} its own), unless another send marked it later. */
    public void releaseCancelClaim(String paymentRequestId, OffsetDateTime until) {
        jdbc.update("UPDATE payment_attempt SET cancel_claimed_until = NULL WHERE payment_request_id = ? "
                + "AND cancel_claimed_until <= ?", paymentRequestId, until);
    }

    /** The history cause of a cancel sent to Antom (whatever it answered). */
    public static final String CANCEL_REQUESTED = "CANCEL_REQUESTED";

    /**
     * Whether a cancel was ever sent for the attempt (an order's cancellation, a risk flag, an operator, its expiry):
     * whatever Antom answered, nothing may start its payment again, and Antom listing it cancelled is that cancel's
     * doing, not Antom's own.
     */
    public boolean cancelAsked(String paymentRequestId) {
        return cancelAskedBesides(paymentRequestId, null);
    }

    /**
     * Neither a cancel was asked for the attempt nor was its order cancelled (an attempt stored as the cancellation
     * came, which the cancellation missed). Only such an attempt's pay is sent again (the janitor's resend, an order
     * read again: otherwise the buyer would get a link to pay a cancelled order; it waits for Antom's answer or its
     * expiry instead), and only such an authorisation does the guard capture.
     */
    public boolean untouchedByCancellation(PaymentAttempt attempt) {
        return !cancelAsked(attempt.paymentRequestId()) && !cancellations.cancelled(attempt.orderId());
    }

    /**
     * Whether an attempt's stored pay may be sent again (the janitor's resend, an order read again): only before its
     * expiry (Antom would open a payment the janitor then cancels, giving back what the buyer paid in between), while
     * it is still its order's payment (no later attempt was made, whose link the buyer has, and no other one is paid:
     * a second payment) and {@link #untouchedByCancellation}.
     */
    public boolean maySendAgain(PaymentAttempt attempt) {
        if (attempt.expiresAt() != null && !OffsetDateTime.now(clock).isBefore(attempt.expiresAt())) {
            return false;
        }
        boolean replaced = attemptsOf(attempt.orderId()).stream()
                .filter(other -> !other.paymentRequestId().equals(attempt.paymentRequestId()))
                .anyMatch(other -> other.state().isPaid() || other.attemptNo() > attempt.attemptNo());
        return !replaced && untouchedByCancellation(attempt);
    }

    /** {@link #cancelAsked}, leaving out the cancels sent for {@code cause} (null: none left out). */
    public boolean cancelAskedBesides(String paymentRequestId, String cause) {
        return noted(paymentRequestId, CANCEL_REQUESTED, detail -> cause == null || !cause.equals(detail));
    }

    /**
     * Whether the attempt's history has a line of {@code cause} whose detail {@code detail} accepts: what is noted
     * once (a conflict found again at every look, a refund made outside, a cancel Antom lists) is not noted again.
     */
    public boolean noted(String paymentRequestId, String cause, java.util.function.Predicate<String> detail) {
        return history(paymentRequestId).stream().anyMatch(change -> cause.equals(change.cause())
                && detail.test(change.detail()));
    }

    /** Whether a cancel of the attempt may still be on its way to Antom at {@code now} ({@link #claimCancelSend}). */
    public boolean cancelOnItsWay(String paymentRequestId, OffsetDateTime now) {
        return !jdbc.queryForList("SELECT payment_request_id FROM payment_attempt WHERE payment_request_id = ? "
                + "AND cancel_claimed_until > ?", String.class, paymentRequestId, now).isEmpty();
    }

    /**
     * Marks a requested capture as being sent to Antom (again) until {@code until}, only if the attempt is still as
     * read (CAPTURE_REQUESTED, same version). Senders share it (each sends the same captureRequestId, which Antom
     * captures once) and each extends it; while it holds, {@link #applyIfCaptureUnclaimed} gives nothing up. Changes
     * neither state nor version (the order system's event versions have no gap). False when the attempt moved.
     */
    public boolean claimCaptureSend(PaymentAttempt asRead, OffsetDateTime until) {
        return jdbc.update("UPDATE payment_attempt SET capture_claimed_until = GREATEST(COALESCE("
                + "capture_claimed_until, ?), ?) WHERE payment_request_id = ? AND version = ? AND state = ?", until, until,
                asRead.paymentRequestId(), asRead.version(), PaymentState.CAPTURE_REQUESTED.name()) == 1;
    }

    /**
     * Writes {@code change} (a requested capture given up) only if the attempt is still as read, its capture was
     * requested at or before {@code requestedBefore} and no send holds it at {@code now} ({@link #claimCaptureSend}).
     * The row is locked while this is checked and written, so a send claimed meanwhile either came first (and this is
     * refused) or finds the attempt moved. Empty when refused.
     */
    public Optional<PaymentAttempt> applyIfCaptureUnclaimed(PaymentAttempt asRead, OffsetDateTime requestedBefore,
            OffsetDateTime now, Transition change) {
        return tx.execute(status -> {
            boolean unclaimed = !jdbc.queryForList("SELECT payment_request_id FROM payment_attempt "
                    + "WHERE payment_request_id = ? AND version = ? AND state = ? AND updated_at <= ? "
                    + "AND (capture_claimed_until IS NULL OR capture_claimed_until <= ?) FOR UPDATE", String.class,
                    asRead.paymentRequestId(), asRead.version(), PaymentState.CAPTURE_REQUESTED.name(),
                    requestedBefore, now).isEmpty();
            return unclaimed ? write(asRead, change) : Optional.<PaymentAttempt>empty();
        });
    }

    /** When the janitor should look at this attempt next (and how many looks it has had). */
    public void scheduleCheck(String paymentRequestId, OffsetDateTime next, boolean counted) {
        jdbc.update("UPDATE payment_attempt SET next_check_at = ?, check_count = check_count + ? "
                + "WHERE payment_request_id = ?", next, counted ? 1 : 0, paymentRequestId);
    }

    /**
     * {@link #scheduleCheck} after a look at the attempt as read before it: only while it is still in that state. One
     * that changed meanwhile (a notification while Antom was asked) had its first check in the new state scheduled
     * with the change, which a backoff from the old state would put off by hours.
     */
    public void scheduleCheck(PaymentAttempt asRead, OffsetDateTime next, boolean counted) {
        jdbc.update("UPDATE payment_attempt SET next_check_at = ?, check_count = check_count + ? "
                + "WHERE payment_request_id = ? AND state = ?", next, counted ? 1 : 0, asRead.paymentRequestId(),
                asRead.state().name());
    }

    /** Marks the attempt's current state as confirmed with Antom now. */
    public void confirm(String paymentRequestId) {
        jdbc.update("UPDATE payment_attempt SET confirmed_at = ? WHERE payment_request_id = ?",
                OffsetDateTime.now(clock), paymentRequestId);
    }

    public List<PaymentAttempt> authorisedBefore(OffsetDateTime before, int limit) {
        return authorisedBefore(before, null, limit);
    }

    /**
     * The AUTHORISED attempts paid before {@code before}, oldest first, from just after {@code after} (the last of
     * the previous page; null for the first page): a page of ones left as they were (alerted, a cancel Antom did not
     * do) does not hide the younger ones behind it.
     */
    public List<PaymentAttempt> authorisedBefore(OffsetDateTime before, PaymentAttempt after, int limit) {
        return paidBefore(PaymentState.AUTHORISED, before, after, limit);
    }

    /** {@link #authorisedBefore(OffsetDateTime, PaymentAttempt, int)} for the attempts in {@code state}. */
    public List<PaymentAttempt> paidBefore(PaymentState state, OffsetDateTime before, PaymentAttempt after,
            int limit) {
        List<Object> args = new java.util.ArrayList<>(List.of(state.name(), before));
        String afterIt = "";
        if (after != null) {
            afterIt = " AND (paid_at > ? OR (paid_at = ? AND payment_request_id > ?))";
            args.addAll(List.of(after.paidAt(), after.paidAt(), after.paymentRequestId()));
        }
        args.add(limit);
        return jdbc.query("SELECT " + COLUMNS + " FROM payment_attempt WHERE state = ? AND paid_at < ?" + afterIt
                + " ORDER BY paid_at, payment_request_id LIMIT ?", ROW, args.toArray());
    }

    /** Records something that happened to an attempt without changing its state (a conflict, a retry, a flag). */
    public void note(String paymentRequestId, String cause, String detail, String flagReason) {
        tx.executeWithoutResult(status -> {
            OffsetDateTime now = OffsetDateTime.now(clock);
            PaymentState state = find(paymentRequestId).orElseThrow(() -> new UnknownPaymentException(paymentRequestId))
                    .state();
            if (flagReason != null) {
                jdbc.update(SET_FLAG, flagRow(paymentRequestId, flagReason, now));
            }
            appendHistory(paymentRequestId, state, state, cause, detail, now);
        });
    }

    /** A flag on an attempt, with the history line that says why. */
    public record Flag(String paymentRequestId, String cause, String detail, String reason) {
    }

    /**
     * {@link #note} with a flag for many attempts at once (a reconciliation report's mismatches): two batched
     * statements instead of three statements each, as the attempts stay locked until the caller commits. Attempts
     * that do not exist are skipped.
     */
    public void flagAll(List<Flag> flags) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        tx.executeWithoutResult(status -> {
            jdbc.batchUpdate(SET_FLAG, flags.stream().map(f -> flagRow(f.paymentRequestId(), f.reason(), now))
                    .toList());
            jdbc.batchUpdate("INSERT INTO payment_transition (payment_request_id, from_state, to_state, cause, detail, "
                    + "at) SELECT payment_request_id, state, state, CAST(? AS VARCHAR), CAST(? AS VARCHAR), "
                    + "CAST(? AS TIMESTAMP WITH TIME ZONE) FROM payment_attempt WHERE payment_request_id = ?",
                    flags.stream().map(f -> new Object[] {f.cause(), StringUtils.truncate(f.detail(), MAX_DETAIL),
                        now, f.paymentRequestId()}).toList());
        });
    }

    /** The history cause of an operator's clearing of a flag. */
    public static final String FLAG_CLEARED = "FLAG_CLEARED";

    /**
     * An operator clears an attempt's flag (after looking into it): the flag and its reason go into the history with
     * who cleared it and why. Refused ({@link NotFlaggedException}) when the attempt is not flagged.
     */
    public void clearFlag(String paymentRequestId, String clearedBy, String why) {
        clearFlag(paymentRequestId, clearedBy, why, reason -> true);
    }

    /**
     * {@link #clearFlag(String, String, String)} only if the flag's reason is still the one the operator looked at
     * ({@code asShown}, checked under the row's lock): refused ({@link FlagChangedException}) when another reason was
     * added meanwhile, which would otherwise be cleared unseen.
     */
    public void clearFlag(String paymentRequestId, String clearedBy, String why,
            java.util.function.Predicate<String> asShown) {
        tx.executeWithoutResult(status -> {
            PaymentAttempt current = lock(paymentRequestId)
                    .orElseThrow(() -> new UnknownPaymentException(paymentRequestId));
            if (!current.flagged()) {
                throw new NotFlaggedException(paymentRequestId);
            }
            if (!asShown.test(current.flagReason())) {
                throw new FlagChangedException(paymentRequestId);
            }
            jdbc.update("UPDATE payment_attempt SET flagged = FALSE, flag_reason = NULL WHERE payment_request_id = ?",
                    paymentRequestId);
            appendHistory(paymentRequestId, current.state(), current.state(), FLAG_CLEARED,
                    "flag '" + current.flagReason() + "' cleared by " + clearedBy + ": " + why,
                    OffsetDateTime.now(clock));
            LOG.info("payment {} of order {}: flag cleared by {}", paymentRequestId, current.orderId(), clearedBy);
        });
    }

    /**
     * The ledger takes back its own flags {@code codes} of an attempt (what it flagged no longer holds), with one
     * history line ({@code cause}, {@code detail}); the attempt stays flagged for any other reason it has.
     */
    public void withdrawFlags(String paymentRequestId, List<String> codes, String cause, String detail) {
        java.util.function.Predicate<String> withdrawn = reason -> codes.stream().anyMatch(reason::startsWith);
        tx.executeWithoutResult(status -> {
            PaymentAttempt current = lock(paymentRequestId)
                    .orElseThrow(() -> new UnknownPaymentException(paymentRequestId));
            List<String> reasons = current.flagReasons();
            String others = reasons.stream().filter(withdrawn.negate())
                    .collect(java.util.stream.Collectors.joining(REASONS_APART));
            if (reasons.stream().anyMatch(withdrawn)) {
                jdbc.update("UPDATE payment_attempt SET flagged = ?, flag_reason = ?, updated_at = ? "
                        + "WHERE payment_request_id = ?", !others.isEmpty(), others.isEmpty() ? null : others,
                        OffsetDateTime.now(clock), paymentRequestId);
            }
            appendHistory(paymentRequestId, current.state(), current.state(), cause, detail,
                    OffsetDateTime.now(clock));
        });
    }

    /**
     * A new attempt, unless its order is paid already or the order system cancelled it (then it inserts nothing). Its
     * values are typed by casts (an {@code INSERT ... SELECT} gives them no column to take a type from) to plain
     * VARCHAR, never VARCHAR(n): a cast to VARCHAR(n) cuts a longer value silently, where the column refuses it.
     */
    private static final String INSERT_ATTEMPT = "INSERT INTO payment_attempt (payment_request_id, order_id, "
            + "attempt_no, integration, payment_method_type, amount_value, currency, capture_mode, terminal_type, "
            + "os_type, state, expires_at, request_json, created_at, updated_at, next_check_at) "
            + "SELECT CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS INTEGER), "
            + "CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS BIGINT), CAST(? AS VARCHAR), "
            + "CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS VARCHAR), "
            + "CAST(? AS VARCHAR), CAST(? AS TIMESTAMP WITH TIME ZONE), "
            + "CAST(? AS VARCHAR), CAST(? AS TIMESTAMP WITH TIME ZONE), "
            + "CAST(? AS TIMESTAMP WITH TIME ZONE), CAST(? AS TIMESTAMP WITH TIME ZONE) "
            + "WHERE NOT EXISTS (SELECT 1 FROM payment_attempt WHERE order_id = ? AND state IN (" + PAID_STATES + ")) "
            + "AND NOT EXISTS (SELECT 1 FROM order_cancellation WHERE order_id = ?) "
            + "AND NOT EXISTS (SELECT 1 FROM payment_attempt WHERE order_id = ? AND attempt_no >= CAST(? AS INTEGER))";
    /** Of the reasons a flag had, what a new one keeps; and what stands between them. */
    private static final int KEPT_OF_EARLIER = Transition.MAX_TEXT / 2;
    private static final String REASONS_APART = PaymentAttempt.REASONS_APART;
    private static final int KEPT_OF_ADDED = Transition.MAX_TEXT - KEPT_OF_EARLIER - REASONS_APART.length();
    /**
     * A flag's reason added to the reasons the attempt is flagged for already (each part cut so that both fit the
     * column), so that the console shows them all and an operator who clears the flag has seen them all; a reason it
     * is flagged for already is not added again, and none (null) leaves the reason as it is. Its four parameters:
     * {@link #flagReasonArgs}; {@link #withReasonAdded} is the same in Java.
     */
    private static final String FLAG_REASON_ADDED = "CASE WHEN CAST(? AS VARCHAR) IS NULL THEN flag_reason "
            + "WHEN NOT flagged OR flag_reason IS NULL THEN CAST(? AS VARCHAR) "
            + "WHEN flag_reason LIKE CAST(? AS VARCHAR) ESCAPE '\\' THEN flag_reason "
            + "ELSE SUBSTRING(flag_reason, 1, " + KEPT_OF_EARLIER + ") || '" + REASONS_APART + "' || "
            + "SUBSTRING(CAST(? AS VARCHAR), 1, " + KEPT_OF_ADDED + ") END";
    /** A transition of the attempt, if it is still at the version the caller read (else it changes nothing). */
    private static final String UPDATE_ATTEMPT = "UPDATE payment_attempt SET state = ?, "
            + "payment_id = COALESCE(?, payment_id), result_code = COALESCE(?, result_code), "
            + "result_message = COALESCE(?, result_message), "
            + "continuation_json = COALESCE(?, continuation_json), "
            + "expires_at = COALESCE(?, expires_at), "
            + "flagged = flagged OR ?, flag_reason = " + FLAG_REASON_ADDED + ", "
            + "capture_request_id = COALESCE(?, capture_request_id), "
            + "capture_id = COALESCE(?, capture_id), "
            + "confirmed_at = CASE WHEN ? THEN ? ELSE confirmed_at END, "
            + "paid_at = CASE WHEN ? AND paid_at IS NULL THEN ? ELSE paid_at END, "
            + "next_check_at = CASE WHEN ? THEN NULL "
            + "ELSE COALESCE(CAST(? AS TIMESTAMP WITH TIME ZONE), next_check_at) END, "
            + "check_count = CASE WHEN ? THEN 0 ELSE check_count END, "
            + "version = version + 1, updated_at = ? "
            + "WHERE payment_request_id = ? AND version = ?";
    /** An attempt flagged, with its reason added ({@link #flagRow}). */
    private static final String SET_FLAG = "UPDATE payment_attempt SET flag_reason = " + FLAG_REASON_ADDED
            + ", flagged = TRUE, updated_at = ? WHERE payment_request_id = ?";
    /** A history line's detail at most: its column's size. */
    private static final int MAX_DETAIL = 2000;
    /** One history row, and two (a new attempt's), each appended in list order; a condition may follow. */
    private static final String INSERT_HISTORY = historyInsert(1);
    private static final String INSERT_TWO_HISTORY = historyInsert(2);

    /**
     * An {@code INSERT ... SELECT} of {@code rows} typed VALUES rows, so that a caller may add a condition; the rows
     * take their ids in list order, as a multi-row VALUES does.
     */
    private static String historyInsert(int rows) {
        String row = "(CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS VARCHAR), "
                + "CAST(? AS VARCHAR), CAST(? AS TIMESTAMP WITH TIME ZONE))";
        return "INSERT INTO payment_transition (payment_request_id, from_state, to_state, cause, detail, at) "
                + "SELECT payment_request_id, from_state, to_state, cause, detail, at FROM (VALUES " + row
                + (", " + row).repeat(rows - 1) + ") AS h (payment_request_id, from_state, to_state, cause, detail, at)";
    }

    private static Object[] concat(Object[] first, Object[] second) {
        Object[] both = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    private void appendHistory(String paymentRequestId, PaymentState from, PaymentState to, String cause,
            String detail, OffsetDateTime at) {
        jdbc.update(INSERT_HISTORY, historyRow(paymentRequestId, from, to, cause, detail, at));
        if (from != to) {
            committed.changed(from, to);
        }
    }

    private static Object[] historyRow(String paymentRequestId, PaymentState from, PaymentState to, String cause,
            String detail, OffsetDateTime at) {
        return new Object[] {paymentRequestId, from == null ? null : from.name(), to.name(), cause,
                StringUtils.truncate(detail, MAX_DETAIL), at};
    }

    private static Object[] flagRow(String paymentRequestId, String reason, OffsetDateTime at) {
        return concat(flagReasonArgs(reason), new Object[] {at, paymentRequestId});
    }

    /** {@link #FLAG_REASON_ADDED}'s parameters for {@code reason} (null: none added). */
    private static Object[] flagReasonArgs(String reason) {
        String cut = StringUtils.truncate(reason, Transition.MAX_TEXT);
        String within = cut == null ? null
                : "%" + cut.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        return new Object[] {cut, cut, within, cut};
    }

    /** {@link #FLAG_REASON_ADDED} in Java: the reason an attempt flagged {@code flagged} for {@code earlier} ends with. */
    static String withReasonAdded(boolean flagged, String earlier, String added) {
        String cut = StringUtils.truncate(added, Transition.MAX_TEXT);
        if (cut == null) {
            return earlier;
        }
        if (!flagged || earlier == null) {
            return cut;
        }
        if (earlier.contains(cut)) {
            return earlier;
        }
        return StringUtils.truncate(earlier, KEPT_OF_EARLIER) + REASONS_APART
                + StringUtils.truncate(cut, KEPT_OF_ADDED);
    }

    boolean skipLocked() {
        return skipLocked;
    }

    public record TransitionResult(PaymentAttempt attempt, boolean changed) {
    }

    public record StateChange(PaymentState from, PaymentState to, String cause, String detail,
            @JsonSerialize(using = AntomTimeSerializer.class) OffsetDateTime at) {
    }

    private static final RowMapper<PaymentAttempt> ROW = PaymentLedger::map;

    private static PaymentAttempt map(ResultSet rs, int row) throws SQLException {
        return PaymentAttempt.builder()
                .paymentRequestId(rs.getString("payment_request_id"))
                .orderId(rs.getString("order_id"))
                .attemptNo(rs.getInt("attempt_no"))
                .integration(Integration.valueOf(rs.getString("integration")))
                .paymentMethodType(rs.getString("payment_method_type"))
                .amountValue(rs.getLong("amount_value"))
                .currency(rs.getString("currency"))
                .captureMode(rs.getString("capture_mode"))
                .terminalType(rs.getString("terminal_type"))
                .osType(rs.getString("os_type"))
                .state(PaymentState.valueOf(rs.getString("state")))
                .paymentId(rs.getString("payment_id"))
                .resultCode(rs.getString("result_code"))
                .resultMessage(rs.getString("result_message"))
                .expiresAt(rs.getObject("expires_at", OffsetDateTime.class))
                .requestJson(rs.getString("request_json"))
                .continuationJson(rs.getString("continuation_json"))
                .flagged(rs.getBoolean("flagged"))
                .flagReason(rs.getString("flag_reason"))
                .version(rs.getInt("version"))
                .createdAt(rs.getObject("created_at", OffsetDateTime.class))
                .updatedAt(rs.getObject("updated_at", OffsetDateTime.class))
                .captureRequestId(rs.getString("capture_request_id"))
                .captureId(rs.getString("capture_id"))
                .checkCount(rs.getInt("check_count"))
                .nextCheckAt(rs.getObject("next_check_at", OffsetDateTime.class))
                .confirmedAt(rs.getObject("confirmed_at", OffsetDateTime.class))
                .paidAt(rs.getObject("paid_at", OffsetDateTime.class))
                .build();
    }
}
