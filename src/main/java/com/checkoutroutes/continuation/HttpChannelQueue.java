package com.checkoutroutes.continuation;

import com.checkoutroutes.ledger.DatabaseDialect;
import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The messages of HTTP(S) channels waiting to be POSTed ({@code channel_delivery}). One order's messages leave in
 * event order: only the oldest undelivered message of an order is ever handed out, so a parked one holds the later
 * ones of its order back until it is delivered. On PostgreSQL a message being POSTed is row-locked and skipped by
 * the other senders and instances; H2 (the local run) has one sender.
 */
@Component
public class HttpChannelQueue {

    /**
     * A message's place in the queue: REFUSED when the receiver answered that it will never take it (400, 409, 413,
     * 415, 422: HttpChannels' refusals of the message itself; another 4xx or a redirect parks it): kept for an
     * operator, not sent again, and no longer holding its order's later ones.
     */
    public enum State { PENDING, PARKED, DELIVERED, REFUSED }

    /** One message to POST. */
    public record Delivery(long eventId, String endpoint, String orderId, String payload, State state, int attempts) {
    }

    /**
     * A message as an operator sees it: its receiver's address without credentials or query, its state, how often it
     * was POSTed and the receiver's last answer.
     */
    public record Kept(long eventId, String orderId, String receiver, State state, int attempts, String lastError,
            OffsetDateTime createdAt) {
    }

    private static final int MAX_ERROR = 1000;
    private static final String KEPT = "SELECT event_id, message_key, endpoint, state, attempts, last_error, created_at "
            + "FROM channel_delivery ";

    private final JdbcTemplate jdbc;
    private final boolean skipLocked;

    public HttpChannelQueue(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.skipLocked = DatabaseDialect.supportsSkipLocked(jdbc);
    }

    /** Whether several senders may claim at once (PostgreSQL's SKIP LOCKED). */
    boolean concurrentSenders() {
        return skipLocked;
    }

    /** Queues a message once: false when this event was queued before (a resend of its outbox event). */
    boolean add(long eventId, String endpoint, String orderId, String payload, OffsetDateTime now) {
        return jdbc.update("INSERT INTO channel_delivery (event_id, endpoint, message_key, payload, state, attempts, "
                        + "next_attempt_at, created_at) VALUES (?, ?, ?, ?, 'PENDING', 0, ?, ?) ON CONFLICT DO NOTHING",
                eventId, endpoint, orderId, payload, now, now) == 1;
    }

    /**
     * The next message to POST, row-locked until the caller's transaction ends (call inside one): due, the oldest
     * undelivered of its order, longest due first.
     */
    Optional<Delivery> claimNext(OffsetDateTime now) {
        return claimNext(now, Set.of());
    }

    /** {@link #claimNext(OffsetDateTime)} among the messages of receivers other than {@code skipping}. */
    Optional<Delivery> claimNext(OffsetDateTime now, Set<String> skipping) {
        String others = skipping.isEmpty() ? "" : "AND NOT (d.endpoint = ANY (?)) ";
        Object[] args = skipping.isEmpty() ? new Object[] {now} : new Object[] {now, skipping.toArray(String[]::new)};
        return jdbc.query("SELECT event_id, endpoint, message_key, payload, state, attempts FROM channel_delivery d "
                        + "WHERE d.state IN ('PENDING', 'PARKED') AND d.next_attempt_at <= ? " + others
                        + "AND NOT EXISTS ("
                        + "SELECT 1 FROM channel_delivery e WHERE e.message_key = d.message_key "
                        + "AND e.event_id < d.event_id AND e.state IN ('PENDING', 'PARKED')) "
                        + "ORDER BY d.next_attempt_at, d.event_id LIMIT 1 FOR UPDATE"
                        + (skipLocked ? " SKIP LOCKED" : ""),
                (rs, i) -> new Delivery(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        State.valueOf(rs.getString(5)), rs.getInt(6)), args).stream().findFirst();
    }

    void delivered(long eventId, OffsetDateTime now) {
        jdbc.update("UPDATE channel_delivery SET state = 'DELIVERED', attempts = attempts + 1, delivered_at = ?, "
                + "next_attempt_at = ? WHERE event_id = ?", now, now, eventId);
    }

    /** Parks a message until {@code next}; {@code tried}: it was POSTed this time (else held behind a failing receiver). */
    void park(long eventId, boolean tried, OffsetDateTime next, String error) {
        jdbc.update("UPDATE channel_delivery SET state = 'PARKED', attempts = attempts + ?, next_attempt_at = ?, "
                + "last_error = ? WHERE event_id = ?", tried ? 1 : 0, next, truncate(error), eventId);
    }

    /** The receiver refused this message for good: kept with the reason, never sent again on its own. */
    void refuse(long eventId, OffsetDateTime now, String error) {
        jdbc.update("UPDATE channel_delivery SET state = 'REFUSED', attempts = attempts + 1, next_attempt_at = ?, "
                + "last_error = ? WHERE event_id = ?", now, truncate(error), eventId);
    }

    /** What came of an operator's {@link #sendAgain}. */
    public enum SendAgain { SENT_AGAIN, NOT_REFUSED, LATER_ONE_ON_ITS_WAY, CHANGED }

    /**
     * An operator sends a message its receiver refused again (the receiver takes it now): due at once. Only while no
     * later message of its order is still to be delivered, so the order's messages still go one at a time (it then
     * arrives after the later ones); and, when {@code postsShown} is given, only if it was POSTed that often (the
     * operator's page is not out of date, and the same form sent twice sends it once).
     */
    public SendAgain sendAgain(long eventId, Integer postsShown, OffsetDateTime now) {
        String later = "AND NOT EXISTS (SELECT 1 FROM channel_delivery e WHERE e.message_key = d.message_key "
                + "AND e.event_id > d.event_id AND e.state IN ('PENDING', 'PARKED'))";
        String sendAgain = "UPDATE channel_delivery d SET state = 'PENDING', next_attempt_at = ? "
                + "WHERE d.event_id = ? AND d.state = 'REFUSED' " + later;
        int changed = postsShown == null ? jdbc.update(sendAgain, now, eventId)
                : jdbc.update(sendAgain + " AND d.attempts = ?", now, eventId, postsShown);
        if (changed == 1) {
            return SendAgain.SENT_AGAIN;
        }
        Optional<Kept> after = find(eventId);
        if (after.isEmpty() || after.get().state() != State.REFUSED) {
            return SendAgain.NOT_REFUSED;
        }
        return postsShown != null && after.get().attempts() != postsShown ? SendAgain.CHANGED
                : SendAgain.LATER_ONE_ON_ITS_WAY;
    }

    /** A message as an operator sees it. */
    public Optional<Kept> find(long eventId) {
        return jdbc.query(KEPT + "WHERE event_id = ?", HttpChannelQueue::kept, eventId).stream().findFirst();
    }

    /** The messages their receivers refused, newest first: at most {@code limit}. */
    public List<Kept> refused(int limit) {
        return jdbc.query(KEPT + "WHERE state = 'REFUSED' ORDER BY event_id DESC LIMIT ?", HttpChannelQueue::kept,
                limit);
    }

    /** The most messages of one order {@link #keptOf} gives (a retrying order system can make thousands). */
    public static final int MAX_KEPT_OF_ORDER = 200;

    /**
     * An order's messages to HTTP channels as an operator sees them, oldest first: the newest
     * {@link #MAX_KEPT_OF_ORDER}, and as many not delivered (refused, parked: what Send again is for) besides.
     */
    public List<Kept> keptOf(String orderId) {
        java.util.TreeMap<Long, Kept> shown = new java.util.TreeMap<>();
        jdbc.query(KEPT + "WHERE message_key = ? ORDER BY event_id DESC LIMIT ?", HttpChannelQueue::kept, orderId,
                MAX_KEPT_OF_ORDER).forEach(k -> shown.put(k.eventId(), k));
        jdbc.query(KEPT + "WHERE message_key = ? AND state <> 'DELIVERED' ORDER BY event_id LIMIT ?",
                HttpChannelQueue::kept, orderId, MAX_KEPT_OF_ORDER).forEach(k -> shown.put(k.eventId(), k));
        return List.copyOf(shown.values());
    }

    private static Kept kept(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new Kept(rs.getLong(1), rs.getString(2), HttpChannels.display(rs.getString(3)),
                State.valueOf(rs.getString(4)), rs.getInt(5), rs.getString(6), rs.getObject(7, OffsetDateTime.class));
    }

    /** The receiver answers again: its parked messages are due now. Returns how many. */
    int release(String endpoint, OffsetDateTime now) {
        return jdbc.update("UPDATE channel_delivery SET next_attempt_at = ? WHERE endpoint = ? AND state = 'PARKED' "
                + "AND next_attempt_at > ?", now, endpoint, now);
    }

    /** Messages not delivered, by state. */
    Map<State, Long> undelivered() {
        Map<State, Long> counts = new EnumMap<>(State.class);
        counts.put(State.PENDING, 0L);
        counts.put(State.PARKED, 0L);
        counts.put(State.REFUSED, 0L);
        jdbc.query("SELECT state, COUNT(*) FROM channel_delivery WHERE state IN ('PENDING', 'PARKED', 'REFUSED') "
                        + "GROUP BY state",
                rs -> {
                    counts.put(State.valueOf(rs.getString(1)), rs.getLong(2));
                });
        return counts;
    }

    private static String truncate(String value) {
        return value == null || value.length() <= MAX_ERROR ? value : value.substring(0, MAX_ERROR);
    }

    /**
     * Deletes at most {@code limit} messages delivered before {@code cutoff} (housekeeping); how many. One waiting,
     * parked or refused is kept, however old: its order's later messages wait behind it, or an operator may send it
     * again.
     */
    public int forgetDeliveredBefore(OffsetDateTime cutoff, int limit) {
        // in the primary key's order, the oldest first: an index walk, not a scan of the table per batch
        return jdbc.update("DELETE FROM channel_delivery WHERE event_id IN (SELECT event_id FROM channel_delivery "
                + "WHERE state = 'DELIVERED' AND delivered_at < ? ORDER BY event_id LIMIT ?)", cutoff,
                limit);
    }
}
