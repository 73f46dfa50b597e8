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

    /** Appends several events in one round trip, in list order. */
    public void appendAll(List<OutboxMessage> messages) {
        if (messages.size() == 1) {
            append(messages.get(0));
        } else if (!messages.isEmpty()) {
            OffsetDateTime now = OffsetDateTime.now(clock);
            jdbc.batchUpdate(INSERT, messages.stream()
                    .map(m -> new Object[] {m.destination(), m.key(), m.payload(), now}).toList());
        }
    }
}
