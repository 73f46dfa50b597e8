package com.checkoutroutes.ledger;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The trace of an order that named no payment method: each consult of Antom with its outcome (CHOOSE_METHOD, or
 * FAILED with Antom's code) and the channel message sent, so the order is visible before the buyer picks a method.
 */
@Component
public class OrderConsults {

    /** The most consults of one order that {@link #of} returns. */
    public static final int MAX_SHOWN = 20;

    /** The longest result message kept; Antom's are short, a failure's text may not be. */
    private static final int MAX_MESSAGE = 512;

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public OrderConsults(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public record Consult(String orderId, int attemptNo, String outcome, String resultCode, String resultMessage,
            String channelMessage, OffsetDateTime consultedAt) {
    }

    /** Call inside the transaction that appends the channel message to the outbox. */
    public void record(String orderId, int attemptNo, String outcome, String resultCode, String resultMessage,
            String channelMessage) {
        String message = resultMessage == null || resultMessage.length() <= MAX_MESSAGE ? resultMessage
                : resultMessage.substring(0, MAX_MESSAGE);
        jdbc.update("INSERT INTO order_consult (order_id, attempt_no, outcome, result_code, result_message, "
                + "channel_message, consulted_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                orderId, attemptNo, outcome, resultCode, message, channelMessage, OffsetDateTime.now(clock));
    }

    /**
     * The order's newest {@value #MAX_SHOWN} consults, oldest first. Each time the order is read again (a resend, a
     * redelivery, a retry loop in the order system) Antom is consulted again and a row added, each with its channel
     * message (the methods offered, kilobytes): the lookup and the console read a bounded part of that.
     */
    public List<Consult> of(String orderId) {
        return jdbc.query("SELECT order_id, attempt_no, outcome, result_code, result_message, channel_message, "
                + "consulted_at FROM (SELECT * FROM order_consult WHERE order_id = ? ORDER BY id DESC LIMIT "
                + MAX_SHOWN + ") newest ORDER BY id",
                (rs, n) -> new Consult(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getObject(7, OffsetDateTime.class)), orderId);
    }
}
