package com.checkoutroutes.console;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;

/**
 * The audit record of every console action: who, what, on which payment, dead letter or channel message, when, and
 * how it ended.
 * Written STARTED before the action runs and finished with its outcome after, so one cut short by a crash shows.
 */
@Component
public class ActionLog {

    /** How an action ended. */
    public enum Outcome { STARTED, DONE, REFUSED, FAILED }

    public record Entry(long id, OffsetDateTime at, String actor, String action, String orderId,
            String paymentRequestId, Long deadLetterId, Long channelMessageId, String reason, String outcome,
            String detail, OffsetDateTime finishedAt) {
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public ActionLog(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    long start(String actor, ConsoleAction action, ConsoleActions.Target target, String reason) {
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        jdbc.update(c -> {
            var s = c.prepareStatement("INSERT INTO console_action (at, actor, action, order_id, payment_request_id, "
                    + "dead_letter_id, channel_message_id, reason, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    new String[] {"id"});
            s.setObject(1, OffsetDateTime.now(clock));
            s.setString(2, cut(actor, 128));
            s.setString(3, action.name());
            s.setString(4, target.orderId());
            s.setString(5, target.paymentRequestId());
            s.setObject(6, target.deadLetterId());
            s.setObject(7, target.channelMessageId());
            s.setString(8, cut(reason, 500));
            s.setString(9, Outcome.STARTED.name());
            return s;
        }, key);
        return key.getKey().longValue();
    }

    void finish(long id, Outcome outcome, String detail) {
        jdbc.update("UPDATE console_action SET outcome = ?, detail = ?, finished_at = ? WHERE id = ?", outcome.name(),
                cut(detail, 2000), OffsetDateTime.now(clock), id);
    }

    public Optional<Entry> find(long id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM console_action WHERE id = ?", ROW, id).stream().findFirst();
    }

    /** The newest actions first. */
    public List<Entry> recent(int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM console_action ORDER BY id DESC LIMIT ?", ROW, limit);
    }

    /** The actions on an order's payments, oldest first. */
    public List<Entry> ofOrder(String orderId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM console_action WHERE order_id = ? ORDER BY id", ROW, orderId);
    }

    private static final String COLUMNS = "id, at, actor, action, order_id, payment_request_id, dead_letter_id, "
            + "channel_message_id, reason, outcome, detail, finished_at";

    private static final RowMapper<Entry> ROW = (rs, i) -> new Entry(rs.getLong(1),
            rs.getObject(2, OffsetDateTime.class), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
            rs.getObject(7, Long.class), rs.getObject(8, Long.class), rs.getString(9), rs.getString(10),
            rs.getString(11), rs.getObject(12, OffsetDateTime.class));

    private static String cut(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
