package com.checkoutroutes.ledger;

import java.time.Clock;
import java.time.OffsetDateTime;
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

    public void append(OutboxMessage message) {
        jdbc.update("INSERT INTO outbox_event (destination, message_key, payload, created_at) VALUES (?, ?, ?, ?)",
                message.destination(), message.key(), message.payload(), OffsetDateTime.now(clock));
    }
}
