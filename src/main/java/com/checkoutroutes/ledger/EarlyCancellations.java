package com.checkoutroutes.ledger;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Cancellations (and risk flags) of orders that had no payment when they came: the order topic lags behind the order
 * events, or the order system cancelled at once. Kept, so that a payment of the order that starts later is cancelled
 * (the janitor) and the order is never shipped. Whichever of the two is written first, the other finds it: the
 * cancellation reads the order's attempts again once it is kept, and the janitor reads them after both committed.
 */
@Component
public class EarlyCancellations {

    /** A kept cancellation whose order has a payment now. */
    public record Due(String orderId, String cause) {
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public EarlyCancellations(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Keeps the order's cancellation; a second one (redelivered, or a risk flag after it) keeps the first. */
    public void keep(String orderId, String cause, String eventId) {
        try {
            jdbc.update("INSERT INTO order_cancelled_early (order_id, cause, event_id, received_at) VALUES (?, ?, ?, ?)",
                    orderId, cause, eventId == null ? null : eventId.substring(0, Math.min(eventId.length(), 128)),
                    OffsetDateTime.now(clock));
        } catch (DuplicateKeyException kept) {
            // kept before
        }
    }

    /** Whether the order was cancelled before its payment started. */
    public boolean cancelled(String orderId) {
        return !jdbc.queryForList("SELECT 1 FROM order_cancelled_early WHERE order_id = ?", Integer.class, orderId)
                .isEmpty();
    }

    /**
     * Kept cancellations whose order has a payment they have not been carried out on (one started since they came, or
     * since they were last carried out), oldest first.
     */
    public List<Due> due(int limit) {
        return jdbc.query("SELECT c.order_id, c.cause FROM order_cancelled_early c WHERE EXISTS (SELECT 1 FROM "
                + "payment_attempt a WHERE a.order_id = c.order_id AND (c.settled_at IS NULL OR a.created_at > "
                + "c.settled_at)) ORDER BY c.received_at LIMIT ?", (rs, i) -> new Due(rs.getString(1), rs.getString(2)),
                limit);
    }

    /** The order's payments were cancelled (or given back) as the cancellation asked. */
    public void settled(String orderId) {
        jdbc.update("UPDATE order_cancelled_early SET settled_at = ? WHERE order_id = ?", OffsetDateTime.now(clock),
                orderId);
    }
}
