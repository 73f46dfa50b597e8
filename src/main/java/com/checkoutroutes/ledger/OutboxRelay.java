package com.checkoutroutes.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes committed outbox events, oldest first, to their Camel destinations and marks them published. A crash
 * between the send and the mark can resend one event, which its {@code checkoutEventId} header lets consumers drop.
 * <p>
 * Order per order key across instances: on PostgreSQL each publishing transaction first takes, without waiting,
 * the advisory locks of the {@link OutboxShards shards} with pending events that no other instance holds, and
 * publishes only rows of those shards, in id order. A shard is thus sent by one instance at a time, and the next owner starts after the last one
 * marked what it sent; a killed instance's locks go with its connection. (Row locks with {@code SKIP LOCKED} let two
 * instances send two events of one order at once, in either order.) H2 (the local run) has one instance: no shards.
 * <p>
 * A batch is sent without waiting for each event's acknowledgement (the sends are issued in id order from one
 * thread, so Kafka keeps their order per partition), then the batch is marked in one statement. The hot paths do
 * not publish themselves: they {@link #wake()} one publisher thread, which drains whatever all of them committed.
 */
@Component
public class OutboxRelay implements DisposableBean {

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
    private final Duration sendTimeout;
    private final String lockClause;
    private final OutboxShards shards;
    private final ExecutorService publisher = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "outbox-publisher");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean drainQueued = new AtomicBoolean();

    public OutboxRelay(JdbcTemplate jdbc, TransactionTemplate tx, CamelContext camel, ObjectMapper json,
            Clock clock, PaymentLedger ledger, OutboxSettings settings) {
        this.jdbc = jdbc;
        this.tx = tx;
        // our own template: its async sends run in the calling thread up to the Kafka producer (no thread pool),
        // so they are issued in the order of the rows
        this.producer = camel.createProducerTemplate();
        this.producer.setThreadedAsyncMode(false);
        this.json = json;
        this.clock = clock;
        this.batchSize = settings.batchSize();
        this.sendTimeout = settings.sendTimeout();
        // PostgreSQL: the shard lock is what keeps other instances away, rows are not locked; H2: one instance
        this.shards = ledger.skipLocked() ? new OutboxShards(jdbc, settings.shards()) : null;
        this.lockClause = shards != null ? "" : " FOR UPDATE";
    }

    private record Row(long id, String destination, String key, String payload) {
    }

    /**
     * Asks the publisher thread to drain the outbox soon and returns at once. Wakes that come while a drain is
     * queued fold into it; a wake during a drain queues one more, so nothing committed before a wake is missed.
     */
    public void wake() {
        if (drainQueued.compareAndSet(false, true)) {
            try {
                publisher.execute(this::drainQuietly);
            } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                drainQueued.set(false); // the timer of the next start publishes what is left
            }
        }
    }

    private void drainQuietly() {
        drainQueued.set(false);
        try {
            publishPending();
        } catch (RuntimeException e) {
            LOG.warn("outbox: publishing failed, the outbox timer retries: {}", e.getMessage());
        }
    }

    /** Publishes what is pending; returns how many events left. */
    private int publishPending() {
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
            List<Row> rows = pendingOfOwnedShards();
            List<CompletableFuture<Exchange>> sends = new ArrayList<>(rows.size());
            for (Row row : rows) {
                sends.add(send(row));
            }
            List<Object[]> published = new ArrayList<>(rows.size());
            OffsetDateTime now = OffsetDateTime.now(clock);
            for (int i = 0; i < rows.size(); i++) {
                String failure = failureOf(sends.get(i));
                if (failure != null) {
                    // the rest of the batch stays pending and is sent again (in order) by the next drain
                    LOG.warn("outbox: publishing stopped after {} of {} events: event {} to {}: {}", published.size(),
                            rows.size(), rows.get(i).id(), rows.get(i).destination(), failure);
                    break;
                }
                published.add(new Object[] {now, rows.get(i).id()});
            }
            jdbc.batchUpdate("UPDATE outbox_event SET published_at = ? WHERE id = ?", published);
            return published.size();
        });
        return sent == null ? 0 : sent;
    }

    /** The oldest pending rows this transaction may send: all of them on H2, those of the shards it locked else. */
    private List<Row> pendingOfOwnedShards() {
        String shardFilter = "";
        if (shards != null) {
            List<Integer> owned = shards.lockPending(batchSize);
            if (owned.isEmpty()) {
                return List.of(); // nothing pending, or all of it is being published by other instances
            }
            shardFilter = " AND " + shards.rowFilter(owned);
        }
        return jdbc.query("SELECT id, destination, message_key, payload FROM outbox_event "
                        + "WHERE published_at IS NULL" + shardFilter + " ORDER BY id LIMIT ?" + lockClause,
                (rs, i) -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)), batchSize);
    }

    private CompletableFuture<Exchange> send(Row row) {
        return producer.asyncSend(row.destination(), exchange -> {
            exchange.getIn().setBody(row.payload());
            exchange.getIn().setHeader("checkoutEventId", String.valueOf(row.id()));
            if (row.key() != null) {
                exchange.getIn().setHeader(KafkaConstants.KEY, row.key());
            }
            copyRoutingFields(row.payload(), exchange);
        });
    }

    /** Waits for one send; null when it was delivered, else why not. */
    private String failureOf(CompletableFuture<Exchange> send) {
        try {
            Exchange result = send.get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return result.getException() == null ? null : String.valueOf(result.getException().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (Exception e) {
            return e.toString();
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

    @Override
    public void destroy() throws Exception {
        publisher.shutdown();
        if (!publisher.awaitTermination(10, TimeUnit.SECONDS)) {
            publisher.shutdownNow();
        }
        producer.stop();
    }
}
