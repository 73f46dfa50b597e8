package com.checkoutroutes.deadletter;

import com.checkoutroutes.deadletter.DeadLetters.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every dead letter, kept in the database as it is published (routes/orders.yaml, order-dead-letter): the operator
 * console lists them, shows the original message and re-drives it ({@link DeadLetterRedrives}). A record read again
 * after a crash or a redelivery is kept once (its source topic, partition and offset are unique).
 */
@Component("deadLetterArchive")
public class DeadLetterArchive {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;

    public DeadLetterArchive(JdbcTemplate jdbc, TransactionTemplate tx, Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
    }

    /** A kept dead letter without its message (see {@link #letter}). */
    public record Kept(long id, String type, String reasonCode, String reasonField, String reasonMessage,
            String orderId, String sourceTopic, Integer sourcePartition, Long sourceOffset, String sourceKey,
            OffsetDateTime rejectedAt, OffsetDateTime redrivenAt, String redrivenBy) {

        public boolean redriven() {
            return redrivenAt != null;
        }
    }

    /** Keeps the dead letter {@link DeadLetters#build} just made (the exchange's body is its JSON). */
    public void keep(Exchange exchange) {
        DeadLetter letter = exchange.getProperty(DeadLetters.LETTER, DeadLetter.class);
        if (letter == null) {
            return;
        }
        DeadLetters.Source source = letter.source();
        try {
            jdbc.update("INSERT INTO dead_letter (type, reason_code, reason_field, reason_message, order_id, "
                            + "source_topic, source_partition, source_offset, source_key, letter, rejected_at) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    letter.type(), letter.reason().code(), cut(letter.reason().field(), 512),
                    cut(letter.reason().message(), 2000), cut(letter.orderId(), 64), source.topic(), source.partition(),
                    source.offset(), cut(source.key(), 1024), exchange.getIn().getBody(String.class),
                    OffsetDateTime.now(clock));
        } catch (DuplicateKeyException readAgain) {
            // the same record dead-lettered before a crash or a redelivery: kept already
        }
    }

    /** The newest dead letters first, filtered by reason code and order (either may be null), at most {@code limit}. */
    public List<Kept> recent(String reasonCode, String orderId, boolean waitingOnly, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM dead_letter WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (reasonCode != null) {
            sql.append(" AND reason_code = ?");
            args.add(reasonCode);
        }
        if (orderId != null) {
            sql.append(" AND order_id = ?");
            args.add(orderId);
        }
        if (waitingOnly) {
            sql.append(" AND redriven_at IS NULL");
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        args.add(limit);
        return jdbc.query(sql.toString(), ROW, args.toArray());
    }

    public Optional<Kept> find(long id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM dead_letter WHERE id = ?", ROW, id).stream().findFirst();
    }

    /** The dead letter's JSON as it was published: reasons, source, the original message. */
    public Optional<String> letter(long id) {
        return jdbc.queryForList("SELECT letter FROM dead_letter WHERE id = ?", String.class, id).stream().findFirst();
    }

    /** The reason codes seen, for the console's filter. */
    public List<String> reasonCodes() {
        return jdbc.queryForList("SELECT DISTINCT reason_code FROM dead_letter ORDER BY reason_code", String.class);
    }

    /**
     * Runs {@code send} with the dead letter's row locked, and records it re-driven in the same transaction once the
     * send returns; false, sending nothing, when it was re-driven already. A failed send, a crash or a database lost
     * mid-way leaves it as it was, to be re-driven again: a claim committed before the send left it marked re-driven
     * with no copy on its topic, and re-drivable by SQL only. A copy that reached Kafka all the same is read as the
     * repeat it is. Another operator's re-drive on its way is refused at once ({@code REDRIVE_IN_PROGRESS}), not
     * waited for with a database connection held.
     */
    boolean redrive(long id, String by, Runnable send) {
        return Boolean.TRUE.equals(tx.execute(status -> {
            boolean open = !jdbc.queryForList("SELECT id FROM dead_letter WHERE id = ? AND redriven_at IS NULL "
                    + "FOR UPDATE SKIP LOCKED", Long.class, id).isEmpty();
            if (!open) {
                if (find(id).map(Kept::redriven).orElse(true)) {
                    return false;
                }
                throw new RedriveRefusedException("REDRIVE_IN_PROGRESS", "dead letter " + id
                        + " is being re-driven by another request just now");
            }
            send.run();
            jdbc.update("UPDATE dead_letter SET redriven_at = ?, redriven_by = ? WHERE id = ?",
                    OffsetDateTime.now(clock), by, id);
            return true;
        }));
    }

    /** The original message's bytes, as they were read (text, or base64 when it was not UTF-8). */
    static Optional<byte[]> original(com.fasterxml.jackson.databind.JsonNode letter) {
        if (letter.hasNonNull("original")) {
            return Optional.of(letter.get("original").asText().getBytes(StandardCharsets.UTF_8));
        }
        if (letter.hasNonNull("originalBase64")) {
            return Optional.of(Base64.getDecoder().decode(letter.get("originalBase64").asText()));
        }
        return Optional.empty();
    }

    private static final String COLUMNS = "id, type, reason_code, reason_field, reason_message, order_id, source_topic, "
            + "source_partition, source_offset, source_key, rejected_at, redriven_at, redriven_by";

    private static final RowMapper<Kept> ROW = DeadLetterArchive::map;

    private static Kept map(ResultSet rs, int row) throws SQLException {
        return new Kept(rs.getLong("id"), rs.getString("type"), rs.getString("reason_code"),
                rs.getString("reason_field"), rs.getString("reason_message"), rs.getString("order_id"),
                rs.getString("source_topic"), (Integer) rs.getObject("source_partition", Integer.class),
                (Long) rs.getObject("source_offset", Long.class), rs.getString("source_key"),
                rs.getObject("rejected_at", OffsetDateTime.class), rs.getObject("redriven_at", OffsetDateTime.class),
                rs.getString("redriven_by"));
    }

    /**
     * A text column's value: at most {@code max} characters, a NUL as U+FFFD. PostgreSQL refuses a NUL in text, and
     * a record's key, or a reason quoting what it was sent, may hold one: the insert failed, and the rejected record
     * was tried again for good, its lane and its partition's commit held behind it. (The letter's JSON escapes it.)
     */
    private static String cut(String value, int max) {
        if (value == null) {
            return null;
        }
        String text = value.indexOf('\u0000') < 0 ? value : value.replace('\u0000', '\uFFFD');
        return text.length() <= max ? text : text.substring(0, max);
    }

    /**
     * Deletes at most {@code limit} dead letters re-driven before {@code cutoff} (housekeeping); how many. One never
     * re-driven is kept, however old: it is a message nothing has acted on yet.
     */
    public int forgetRedrivenBefore(OffsetDateTime cutoff, int limit) {
        return jdbc.update("DELETE FROM dead_letter WHERE id IN (SELECT id FROM dead_letter "
                + "WHERE redriven_at IS NOT NULL AND redriven_at < ? ORDER BY id LIMIT ?)", cutoff, limit);
    }
}
