package com.checkoutroutes.ledger;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The orders the order system cancelled (or flagged for risk), kept: a payment of such an order is not started
 * afterwards ({@link PaymentLedger#openAttempt} refuses it, ORDER_CANCELLED), and the order is never shipped. The
 * cancellation comes on the order events topic, the order on the orders topic; either may come first. Whichever is
 * written second finds the other, except when both are written at once: the cancellation reads the order's attempts
 * after it is kept, the attempt's insert looks for the cancellation, and an attempt both missed (each read before
 * the other committed) is the janitor's, which looks at recent cancellations whose order has an attempt they have not
 * been carried out on, and, whenever they came, at those whose event left attempts to it ({@link #reopenFrom}) or whose
 * attempt stored meanwhile waited for Antom's answer ({@link #holdWaiting}).
 */
@Component
public class OrderCancellations {

    /**
     * A cancellation the janitor is to carry out on its order's attempts above {@code settledThrough} (0: all);
     * {@code reopenedAt} as read (null: not reopened), which tells a reopen made while the janitor worked on it.
     */
    public record Due(String orderId, String cause, int settledThrough, OffsetDateTime reopenedAt) {
    }

    /** {@link PaymentState#awaitsAntom()} as an SQL list. */
    private static final String AWAITING_ANTOM = java.util.Arrays.stream(PaymentState.values())
            .filter(PaymentState::awaitsAntom).map(state -> "'" + state.name() + "'")
            .collect(java.util.stream.Collectors.joining(", ", "(", ")"));

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public OrderCancellations(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * Keeps the order's cancellation, to be carried out by its event on the attempts up to {@code attemptsSeen} (the
     * highest attempt_no it read before; 0 for none): any later one is the janitor's. A second one (redelivered, or a
     * risk flag after it) keeps the first, and takes on the attempts it saw.
     */
    public void keep(String orderId, String cause, String eventId, int attemptsSeen) {
        int inserted;
        try {
            // a second one inserts nothing rather than failing: in a transaction, PostgreSQL would refuse every
            // statement after a failed insert
            inserted = jdbc.update("INSERT INTO order_cancellation (order_id, cause, event_id, received_at, "
                    + "settled_through) SELECT CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS VARCHAR), "
                    + "CAST(? AS TIMESTAMP WITH TIME ZONE), CAST(? AS INTEGER) "
                    + "WHERE NOT EXISTS (SELECT 1 FROM order_cancellation WHERE order_id = ?)", orderId, cause,
                    eventId == null ? null : eventId.substring(0, Math.min(eventId.length(), 128)),
                    OffsetDateTime.now(clock), attemptsSeen, orderId);
        } catch (DuplicateKeyException keptMeanwhile) {
            inserted = 0; // outside a transaction only: another one inserted between the check and the insert
        }
        if (inserted == 0) {
            settledThrough(orderId, attemptsSeen);
        }
    }

    /** Whether the order system cancelled the order (or flagged it for risk). */
    public boolean cancelled(String orderId) {
        return !jdbc.queryForList("SELECT 1 FROM order_cancellation WHERE order_id = ?", Integer.class, orderId)
                .isEmpty();
    }

    /**
     * Cancellations received since {@code since}, or left to the janitor ({@link #reopenFrom}) whenever, whose order
     * has an attempt they were not carried out on, once none of those waits for Antom's answer to its pay or capture
     * (until then there is nothing to decide, and listed each round they would crowd out the others).
     */
    public List<Due> due(OffsetDateTime since, int limit) {
        return jdbc.query("SELECT c.order_id, c.cause, c.settled_through, c.reopened_at FROM order_cancellation c "
                + "WHERE (c.received_at >= ? OR c.reopened_at IS NOT NULL) "
                + "AND EXISTS (SELECT 1 FROM payment_attempt a WHERE a.order_id = c.order_id "
                + "AND a.attempt_no > COALESCE(c.settled_through, 0)) "
                + "AND NOT EXISTS (SELECT 1 FROM payment_attempt a WHERE a.order_id = c.order_id "
                + "AND a.attempt_no > COALESCE(c.settled_through, 0) "
                + "AND a.state IN " + AWAITING_ANTOM + ") ORDER BY c.received_at LIMIT ?",
                (rs, i) -> new Due(rs.getString(1), rs.getString(2), rs.getInt(3),
                        rs.getObject(4, OffsetDateTime.class)), since, limit);
    }

    /**
     * The janitor is to carry the cancellation out again on the order's attempts from {@code attemptNo} on, once
     * Antom has answered their pay and no capture of them is on its way: its event could not settle them (a capture
     * in progress, a cancel that raced a pay still on its way to Antom, which then found no payment).
     */
    public void reopenFrom(String orderId, int attemptNo) {
        jdbc.update("UPDATE order_cancellation SET settled_through = LEAST(COALESCE(settled_through, 0), ?), "
                + "reopened_at = ? WHERE order_id = ?", attemptNo - 1, OffsetDateTime.now(clock), orderId);
    }

    /**
     * The cancellation was carried out on the order's attempts up to {@code attemptNo}; once that is all of them, it is
     * no longer the janitor's (a reopened one leaves the janitor's list).
     */
    public void settledThrough(String orderId, int attemptNo) {
        settle(orderId, attemptNo, "", List.of());
    }

    /**
     * {@link #settledThrough(String, int)} for a cancellation the janitor carried out as read ({@code due}): only if it
     * was not reopened meanwhile (a payment of the order made while the janitor worked, {@link #reopenFrom}); else it
     * stays the janitor's, for the next round.
     */
    public void settledThrough(Due due, int attemptNo) {
        settle(due.orderId(), attemptNo, " AND c.reopened_at IS NOT DISTINCT FROM CAST(? AS TIMESTAMP WITH TIME ZONE)",
                Collections.singletonList(due.reopenedAt()));
    }

    /**
     * Raises what was settled to {@code attemptNo} and, once no attempt is left above it, ends a reopen; each only
     * where {@code condition} (SQL on the row {@code c}, with its {@code conditionArgs}) holds too.
     */
    private void settle(String orderId, int attemptNo, String condition, List<Object> conditionArgs) {
        List<Object> raise = new ArrayList<>(List.of(attemptNo, orderId, attemptNo));
        raise.addAll(conditionArgs);
        jdbc.update("UPDATE order_cancellation c SET settled_through = ? WHERE c.order_id = ? "
                + "AND (c.settled_through IS NULL OR c.settled_through < ?)" + condition, raise.toArray());
        List<Object> end = new ArrayList<>(List.of(orderId));
        end.addAll(conditionArgs);
        jdbc.update("UPDATE order_cancellation c SET reopened_at = NULL WHERE c.order_id = ? AND c.reopened_at IS NOT "
                + "NULL AND NOT EXISTS (SELECT 1 FROM payment_attempt a WHERE a.order_id = c.order_id "
                + "AND a.attempt_no > COALESCE(c.settled_through, 0))" + condition, end.toArray());
    }

    /**
     * Recent cancellations ({@code since}) with an attempt they were not carried out on that waits for Antom's answer
     * (stored as the cancellation came): kept the janitor's however long that answer takes (a card's expiry is 7
     * days), not only for the day after the cancellation came.
     */
    public int holdWaiting(OffsetDateTime since) {
        return jdbc.update("UPDATE order_cancellation c SET reopened_at = ? WHERE c.received_at >= ? "
                + "AND c.reopened_at IS NULL AND EXISTS (SELECT 1 FROM payment_attempt a WHERE a.order_id = c.order_id "
                + "AND a.attempt_no > COALESCE(c.settled_through, 0) "
                + "AND a.state IN " + AWAITING_ANTOM + ")", OffsetDateTime.now(clock), since);
    }
}
