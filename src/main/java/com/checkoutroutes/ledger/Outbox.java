package com.checkoutroutes.ledger;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Appends events to the outbox inside the caller's transaction; {@link OutboxRelay} publishes them afterwards. */
@Component
public class Outbox {

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public Outbox(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    private static final String INSERT =
            "INSERT INTO outbox_event (destination, message_key, payload, created_at) VALUES (?, ?, ?, ?)";

    public void append(OutboxMessage message) {
        jdbc.update(INSERT, message.destination(), message.key(), message.payload(), OffsetDateTime.now(clock));
    }

    /** An event as the outbox holds it: where it went, when, and whether it has left yet. */
    public record Written(long id, String destination, String payload, OffsetDateTime createdAt,
            OffsetDateTime publishedAt) {
    }

    /** The newest events with this key (an orderId: its channel messages and result events), oldest first. */
    public List<Written> withKey(String key, int limit) {
        List<Written> newest = jdbc.query("SELECT id, destination, payload, created_at, published_at FROM outbox_event "
                        + "WHERE message_key = ? ORDER BY id DESC LIMIT ?",
                (rs, i) -> new Written(rs.getLong(1), rs.getString(2), rs.getString(3),
                        rs.getObject(4, OffsetDateTime.class), rs.getObject(5, OffsetDateTime.class)), key, limit);
        List<Written> oldestFirst = new java.util.ArrayList<>(newest);
        java.util.Collections.reverse(oldestFirst);
        return oldestFirst;
    }

    /**
     * Appends several events in one statement, in list order (the rows of a multi-row VALUES take their ids in
     * order). One statement rather than a batch, which the database still executes once per event.
     */
    public void appendAll(List<OutboxMessage> messages) {
        if (messages.isEmpty()) {
            return;
        }
        jdbc.update(INSERT + ", (?, ?, ?, ?)".repeat(messages.size() - 1), values(messages));
    }

    /**
     * The events as an {@code INSERT ... SELECT} of their rows (in list order, as {@link #appendAll}) that a caller
     * ends with a condition ({@code WHERE EXISTS ...}) and embeds in its own statement: PostgreSQL then writes them in
     * the same round trip as the change they belong to ({@link PaymentLedger}). Typed by casts to plain VARCHAR: a
     * cast to VARCHAR(n) would cut a payload too long for its column, which the column refuses.
     */
    Rows rowsOf(List<OutboxMessage> messages) {
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("no events: a statement with no rows to insert leaves out its insert");
        }
        String row = "(CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS VARCHAR), "
                + "CAST(? AS TIMESTAMP WITH TIME ZONE))";
        return new Rows("INSERT INTO outbox_event (destination, message_key, payload, created_at) "
                + "SELECT destination, message_key, payload, created_at FROM (VALUES " + row
                + (", " + row).repeat(messages.size() - 1) + ") AS e (destination, message_key, payload, created_at)",
                values(messages));
    }

    /** An {@code INSERT ... SELECT} without its condition, and its arguments. */
    record Rows(String insertSelect, Object[] args) {
    }

    private Object[] values(List<OutboxMessage> messages) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        Object[] values = new Object[messages.size() * 4];
        for (int i = 0; i < messages.size(); i++) {
            OutboxMessage m = messages.get(i);
            values[i * 4] = m.destination();
            values[i * 4 + 1] = m.key();
            values[i * 4 + 2] = m.payload();
            values[i * 4 + 3] = now;
        }
        return values;
    }

    /**
     * Deletes at most {@code limit} events published before {@code cutoff}, oldest first (housekeeping); how many.
     * An event waiting to leave is never deleted, however old.
     */
    public int forgetPublishedBefore(OffsetDateTime cutoff, int limit) {
        // in the primary key's order, the oldest first: an index walk (PostgreSQL's only index on published_at is
        // the partial one of the events waiting), not a scan and sort of the table per batch
        return jdbc.update("DELETE FROM outbox_event WHERE id IN (SELECT id FROM outbox_event "
                + "WHERE published_at IS NOT NULL AND published_at < ? ORDER BY id LIMIT ?)", cutoff, limit);
    }
}
