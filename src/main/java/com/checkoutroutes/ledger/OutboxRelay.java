package com.checkoutroutes.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes committed outbox events, oldest first, to their Camel destinations and marks them published. Rows are
 * locked while being sent (and skipped by other instances on PostgreSQL), so each event leaves once; a crash
 * between the send and the mark can resend one event, which its {@code checkoutEventId} header lets consumers drop.
 */
@Component
public class OutboxRelay {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
    /** Payload fields copied into headers so routes in routes/ can choose the channel without parsing JSON. */
    private static final List<String> ROUTING_FIELDS = List.of("type", "terminalType", "osType", "integration",
            "action", "state", "orderId");

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ProducerTemplate producer;
    private final ObjectMapper json;
    private final Clock clock;
    private final int batchSize;
    private final String lockClause;

    public OutboxRelay(JdbcTemplate jdbc, TransactionTemplate tx, ProducerTemplate producer, ObjectMapper json,
            Clock clock, PaymentLedger ledger, @Value("${checkout.outbox.batch-size:100}") int batchSize) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.producer = producer;
        this.json = json;
        this.clock = clock;
        this.batchSize = batchSize;
        this.lockClause = ledger.skipLocked() ? " FOR UPDATE SKIP LOCKED" : " FOR UPDATE";
    }

    private record Row(long id, String destination, String key, String payload) {
    }

    /** Publishes what is pending; returns how many events left. */
    public int publishPending() {
        int total = 0;
        int sent;
        do {
            sent = publishBatch();
            total += sent;
        } while (sent == batchSize);
        return total;
    }

    private int publishBatch() {
        Integer sent = tx.execute(status -> {
            List<Row> rows = jdbc.query("SELECT id, destination, message_key, payload FROM outbox_event "
                            + "WHERE published_at IS NULL ORDER BY id LIMIT ?" + lockClause,
                    (rs, i) -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)), batchSize);
            List<Object[]> published = new ArrayList<>();
            try {
                for (Row row : rows) {
                    send(row);
                    published.add(new Object[] {OffsetDateTime.now(clock), row.id()});
                }
            } catch (RuntimeException e) {
                LOG.warn("outbox: publishing stopped after {} of {} events: {}", published.size(), rows.size(),
                        e.getMessage());
            }
            jdbc.batchUpdate("UPDATE outbox_event SET published_at = ? WHERE id = ?", published);
            return published.size();
        });
        return sent == null ? 0 : sent;
    }

    private void send(Row row) {
        Exchange result = producer.send(row.destination(), exchange -> {
            exchange.getIn().setBody(row.payload());
            exchange.getIn().setHeader("checkoutEventId", String.valueOf(row.id()));
            if (row.key() != null) {
                exchange.getIn().setHeader(KafkaConstants.KEY, row.key());
            }
            copyRoutingFields(row.payload(), exchange);
        });
        if (result.getException() != null) {
            throw new IllegalStateException("outbox event " + row.id() + " to " + row.destination() + " failed",
                    result.getException());
        }
    }

    private void copyRoutingFields(String payload, Exchange exchange) {
        try {
            JsonNode node = json.readTree(payload);
            for (String field : ROUTING_FIELDS) {
                JsonNode value = node.get(field);
                if (value != null && value.isValueNode()) {
                    exchange.getIn().setHeader(field, value.asText());
                }
            }
        } catch (Exception e) {
            LOG.debug("outbox payload is not JSON; no routing headers", e);
        }
    }
}
