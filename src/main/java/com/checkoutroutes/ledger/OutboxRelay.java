package com.checkoutroutes.ledger;

import com.checkoutroutes.ledger.ShardLeases.Claim;
import com.checkoutroutes.platform.QuietLog;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.component.kafka.KafkaConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes committed outbox events, oldest first, to their Camel destinations and marks them published. A crash
 * between the send and the mark can resend one event, which its {@code checkoutEventId} header lets consumers drop.
 * <p>
 * Order per order key across instances: on PostgreSQL each batch first claims, in a statement committed before it
 * sends, the {@link ShardLeases leases} of the {@link OutboxShards shards} with pending events that no other instance
 * holds, and publishes only rows of those shards, in id order, starting sends only in the claim's window. The leases
 * are handed back with the marks once every send was acknowledged; a killed or cut-off instance's shards stay fenced
 * until its last send is surely over, and only then does another instance send them. (Row locks with
 * {@code SKIP LOCKED} let two instances send two events of one order at once; a lock that ends with the owner's
 * connection let the next owner overtake a send still in the dead owner's Kafka producer.) H2 (the local run) has one
 * instance: no shards.
 * <p>
 * A batch is sent without waiting for each event's acknowledgement (the sends are issued in id order from one
 * thread, so Kafka keeps their order per partition), then the batch is marked in one statement. The hot paths do
 * not publish themselves: they {@link #wake()} one publisher thread, which drains whatever all of them committed.
 */
@Component
public class OutboxRelay implements DisposableBean, SmartInitializingSingleton {

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
    private final Duration maxSendTime;
    private final CamelContext camel;
    private final ShardLeases leases;
    private final ScheduledExecutorService publisher = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "outbox-publisher");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean drainQueued = new AtomicBoolean();
    /** The least nanoseconds between the starts of two drains ({@code checkout.outbox.linger}). */
    private final long lingerNanos;
    /** When the last drain started ({@link System#nanoTime()}; written by the publisher thread only). */
    private volatile long lastDrainStart;
    /** Events published, and the batches they took: their ratio is how much one drain carried. */
    private final Counter published;
    private final Counter batches;
    private final Counter failed;
    /** From an event's commit to its acknowledged send: the outbox's share of an order's latency. */
    private final Timer delay;

    @Autowired
    public OutboxRelay(JdbcTemplate jdbc, TransactionTemplate tx, CamelContext camel, ObjectMapper json,
            Clock clock, PaymentLedger ledger, OutboxSettings settings, MeterRegistry meters) {
        this(jdbc, tx, camel, json, clock, ledger, settings, meters, System::nanoTime);
    }

    /** {@code leaseNanoTime}: the clock of the shard leases' send window, a test's own where sends are slow. */
    OutboxRelay(JdbcTemplate jdbc, TransactionTemplate tx, CamelContext camel, ObjectMapper json, Clock clock,
            PaymentLedger ledger, OutboxSettings settings, MeterRegistry meters, LongSupplier leaseNanoTime) {
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
        this.camel = camel;
        this.maxSendTime = settings.maxSendTime();
        this.lingerNanos = settings.linger().toNanos();
        this.lastDrainStart = System.nanoTime() - lingerNanos;
        // PostgreSQL: the shard leases keep other instances away, rows are not locked; H2: one instance
        this.leases = ledger.skipLocked() ? new ShardLeases(jdbc, new OutboxShards(settings.shards()),
                settings.lease(), settings.maxSendTime(), leaseNanoTime) : null;
        this.lockClause = leases != null ? "" : " FOR UPDATE";
        this.published = meters.counter("checkout.outbox.published");
        this.failed = Counter.builder("checkout.outbox.failed")
                .description("sends of outbox events that failed; their order's events wait and go again")
                .register(meters);
        this.batches = meters.counter("checkout.outbox.batches");
        this.delay = Timer.builder("checkout.outbox.delay")
                .description("from an event's commit to its acknowledged send").publishPercentiles(0.5, 0.99)
                .register(meters);
    }

    /**
     * Start-up check: the leases count on every send being over within {@code max-send-time}, and Kafka's producers
     * give a send up only after {@code max.block.ms + delivery.timeout.ms} (an endpoint URI that sets its own must
     * stay within it too).
     */
    @Override
    public void afterSingletonsInstantiated() {
        if (leases == null) {
            return;
        }
        KafkaConfiguration kafka = camel.getComponent("kafka", KafkaComponent.class).getConfiguration();
        // Kafka's own defaults when Camel leaves them unset
        long maxBlock = kafka.getMaxBlockMs() == null ? 60_000 : kafka.getMaxBlockMs();
        long delivery = kafka.getDeliveryTimeoutMs() == null ? 120_000 : kafka.getDeliveryTimeoutMs();
        if (maxBlock + delivery > maxSendTime.toMillis()) {
            throw new IllegalStateException("checkout.outbox.max-send-time (" + maxSendTime.toMillis() + " ms) is "
                    + "shorter than a Kafka send may take: camel.component.kafka.max-block-ms (" + maxBlock
                    + ") + delivery-timeout-ms (" + delivery + "). Raise it (and checkout.outbox.lease above it) or "
                    + "lower those: another instance could take an order's shard over while its send is on its way");
        }
        LOG.info("outbox: publishing under shard leases as {}; a Kafka send is over within {} ms, max-send-time {} ms",
                leases.owner(), maxBlock + delivery, maxSendTime.toMillis());
    }

    /** This instance's name in {@code outbox_shard_lease.owner} (null on H2). */
    String leaseOwner() {
        return leases == null ? null : leases.owner();
    }

    /** A pending event; {@code shard} is its lease shard (null on H2, which has none). */
    private record Row(long id, String destination, String key, String payload, OffsetDateTime createdAt,
            Integer shard) {

        /** The order its events keep the order of: a failure holds back this key's later events. */
        String orderKey() {
            return key == null ? "" : key;
        }
    }

    /**
     * When a key's events, held back after one of them failed, are tried again, and the wait before that; the shard
     * of the failed send, whose fence stands until {@code fencedUntil} (the failed send may still land).
     */
    private record HeldBack(Instant until, Duration delay, Integer shard, Instant fencedUntil) {
    }

    /**
     * Keys of events that failed to publish (a topic that does not exist, a record Kafka refuses, a destination that
     * throws): their events wait, 1 s then doubling up to 30 s, while everything else is published. Without this the
     * oldest such event came first in every batch and stopped it: no order's continuation left the outbox. Touched
     * by the publisher thread only. As many as the orders with events still in the outbox behind a failure, each
     * bound into the drain's queries (a bound below that would put the rest back at the head of every batch, and
     * stop the others' events again): a topic refused for long at a high order rate shows in
     * checkout_outbox_failed_total and the kafkaTopics health long before it weighs.
     */
    private final Map<String, HeldBack> heldBack = new HashMap<>();
    private static final Duration FIRST_HOLD = Duration.ofSeconds(1);
    private static final Duration LONGEST_HOLD = Duration.ofSeconds(30);
    private static final Duration FORGET_AFTER = Duration.ofMinutes(10);
    private final QuietLog failureLog = new QuietLog(Duration.ofSeconds(10));

    /**
     * Asks the publisher thread to drain the outbox soon and returns at once. Wakes that come while a drain is
     * queued fold into it; a wake during a drain queues one more, so nothing committed before a wake is missed.
     * A drain starts no sooner than {@code linger} after the last one started: below saturation every order's
     * commit wakes the publisher, and batches of two or three events cost each a claim, two commits and a Kafka
     * request; waiting lets the orders committing meanwhile leave in the same batch. Under load drains run back to
     * back and the wait is already over.
     */
    public void wake() {
        if (drainQueued.compareAndSet(false, true)) {
            long wait = lastDrainStart + lingerNanos - System.nanoTime();
            try {
                if (wait > 0) {
                    publisher.schedule(this::drainQuietly, wait, TimeUnit.NANOSECONDS);
                } else {
                    publisher.execute(this::drainQuietly);
                }
            } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                drainQueued.set(false); // the timer of the next start publishes what is left
            }
        }
    }

    private void drainQuietly() {
        lastDrainStart = System.nanoTime();
        drainQueued.set(false);
        try {
            publishPending();
        } catch (RuntimeException e) {
            LOG.warn("outbox: publishing failed, the outbox timer retries: {}", e.getMessage());
        } catch (Error e) {
            // the scheduled executor keeps a task's Error in a future nobody reads: say it here
            LOG.error("outbox: publishing failed, the outbox timer retries", e);
            throw e;
        }
    }

    /** Publishes what is pending; returns how many events left. */
    private int publishPending() {
        int total = 0;
        Batch batch;
        do {
            batch = publishBatch();
            total += batch.published();
        } while (batch.more());
        return total;
    }

    /** What one batch did: how many events it marked, and whether more may be waiting for the next one at once. */
    private record Batch(List<Row> sent, boolean more) {
        static final Batch NONE = new Batch(List.of(), false);

        int published() {
            return sent.size();
        }
    }

    private Batch publishBatch() {
        // committed before the transaction below, so a crash mid-send leaves the fence standing
        List<String> waiting = waitingKeys(clock.instant());
        Claim claim = leases == null ? null : leases.claim(batchSize, waiting);
        if (claim != null && claim.isEmpty()) {
            return Batch.NONE; // nothing pending, or all of it is being published by other instances
        }
        Batch batch = tx.execute(status -> publish(claim, waiting));
        if (batch == null) {
            return Batch.NONE;
        }
        count(batch.sent()); // committed: these are published
        return batch;
    }

    /** The keys whose events wait after a failed send, their order kept; keys long quiet are forgotten. */
    private List<String> waitingKeys(Instant now) {
        // forget keys long quiet (published by another instance after this one's fence ran out, or deleted)
        heldBack.values().removeIf(hold -> hold.until().plus(FORGET_AFTER).isBefore(now));
        return heldBack.entrySet().stream().filter(e -> e.getValue().until().isAfter(now))
                .map(Map.Entry::getKey).toList();
    }

    private Batch publish(Claim claim, List<String> waiting) {
        List<Row> rows = pending(claim, waiting);
        List<CompletableFuture<Exchange>> sends = new ArrayList<>(rows.size());
        // a key retried after a hold sends its oldest event alone, and one whose send failed at once no more: its
        // later events go once that one is acknowledged, so none lands before it (nor again on every retry)
        Set<String> oneOnly = new HashSet<>();
        int started = 0;
        for (Row row : rows) {
            if (claim != null && !claim.maySend()) {
                break; // past the claim's window (a slow destination): the rest goes under the next claim
            }
            if (oneOnly.contains(row.orderKey())) {
                sends.add(null); // not sent: pending, as it was
                continue;
            }
            CompletableFuture<Exchange> send = send(row);
            sends.add(send);
            started++;
            boolean failedAtOnce = send.isDone() && failureOf(send, System.nanoTime()) != null;
            if (failedAtOnce || heldBack.containsKey(row.orderKey())) {
                oneOnly.add(row.orderKey());
            }
        }
        long waitUntil = System.nanoTime() + sendTimeout.toNanos();
        List<Row> marked = new ArrayList<>(sends.size());
        Set<String> failedKeys = new HashSet<>();
        Set<Integer> fenced = new HashSet<>();
        OffsetDateTime sentAt = OffsetDateTime.now(clock); // published_at: when the sends left, not the last ack
        for (int i = 0; i < sends.size(); i++) {
            Row row = rows.get(i);
            if (sends.get(i) == null) {
                continue;
            }
            String failure = failureOf(sends.get(i), waitUntil);
            if (failure != null) {
                // this event, and its order's later ones (even if acknowledged), stay pending and go again in order
                // once the wait is over; the others of the batch are marked, and the shard keeps its fence (the
                // send may still land)
                failedKeys.add(row.orderKey());
                fenced.add(row.shard());
                holdBack(row, failure);
            } else if (!failedKeys.contains(row.orderKey())) {
                marked.add(row);
                heldBack.remove(row.orderKey());
            } else {
                fenced.add(row.shard());
            }
        }
        markPublished(marked.stream().map(Row::id).toList(), sentAt);
        boolean allAcknowledged = failedKeys.isEmpty();
        if (claim != null) {
            // the shards of a send that failed recently (in this batch or an earlier one: its events now wait and
            // are not in the batch) keep their fence; nothing of the others is still on its way, and the next owner
            // may start at once
            heldBack.values().stream().filter(hold -> hold.fencedUntil().isAfter(clock.instant()))
                    .forEach(hold -> fenced.add(hold.shard()));
            leases.release(claim, fenced);
        }
        if (sends.isEmpty() && !rows.isEmpty()) {
            LOG.warn("outbox: the claim took longer than its window to start sends ((checkout.outbox.lease - "
                    + "max-send-time) / 2); the timer tries again");
        }
        boolean more = allAcknowledged && started > 0 && (started < rows.size() || rows.size() == batchSize);
        return new Batch(marked, more);
    }

    private void holdBack(Row row, String failure) {
        HeldBack before = heldBack.get(row.orderKey());
        Duration wait = before == null ? FIRST_HOLD : min(before.delay().multipliedBy(2), LONGEST_HOLD);
        Instant now = clock.instant();
        heldBack.put(row.orderKey(), new HeldBack(now.plus(wait), wait, row.shard(), now.plus(maxSendTime)));
        failed.increment();
        // a destination down fails every order's event sent to it: a line per destination every 10 s, not per event
        long leftOut = failureLog.admit(row.destination());
        if (leftOut >= 0) {
            LOG.warn("outbox: event {} to {} not published: {}; its order's events wait {} ms, then go again in "
                    + "order (the other events are published meanwhile){}", row.id(), row.destination(), failure,
                    wait.toMillis(), QuietLog.more(leftOut));
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** One statement for the whole batch: a JDBC batch of one UPDATE per event still has the database execute each. */
    private void markPublished(List<Long> ids, OffsetDateTime sentAt) {
        if (!ids.isEmpty()) {
            jdbc.update("UPDATE outbox_event SET published_at = ? WHERE id = ANY (?)", sentAt,
                    ids.toArray(Long[]::new));
        }
    }

    private void count(List<Row> sent) {
        if (sent.isEmpty()) {
            return;
        }
        batches.increment();
        published.increment(sent.size());
        OffsetDateTime now = OffsetDateTime.now(clock);
        for (Row row : sent) {
            delay.record(Duration.between(row.createdAt(), now));
        }
    }

    /**
     * The oldest pending rows this transaction may send: all of them on H2, those of the claimed shards else; not
     * those of the keys {@code waiting} after a failure.
     */
    private List<Row> pending(Claim claim, List<String> waiting) {
        String shardFilter = claim == null ? "" : " AND " + leases.rowFilter(claim);
        String notWaiting = waiting.isEmpty() ? "" : " AND NOT (COALESCE(message_key, '') = ANY (?))";
        String shard = leases == null ? "CAST(NULL AS INTEGER)" : leases.shardOf();
        Object[] args = waiting.isEmpty() ? new Object[] {batchSize}
                : new Object[] {waiting.toArray(String[]::new), batchSize};
        return jdbc.query("SELECT id, destination, message_key, payload, created_at, " + shard + " FROM outbox_event "
                        + "WHERE published_at IS NULL" + shardFilter + notWaiting + " ORDER BY id LIMIT ?"
                        + lockClause,
                (rs, i) -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getObject(5, OffsetDateTime.class), (Integer) rs.getObject(6)), args);
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

    /** Waits for one send, at most until {@code waitUntil} ({@link System#nanoTime()}); null when delivered. */
    private String failureOf(CompletableFuture<Exchange> send, long waitUntil) {
        try {
            Exchange result = send.get(Math.max(0, waitUntil - System.nanoTime()), TimeUnit.NANOSECONDS);
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

    /**
     * On close, before Camel stops (its listener runs last) and with it the routes the events leave through: the
     * batch on its way finishes, and no new one starts. A publisher still sending into stopped routes logged Camel
     * ERRORs. What orders commit while Camel finishes them stays pending: another instance's sweep publishes it
     * within {@code poll-interval}, or this one's next start.
     */
    @EventListener(ContextClosedEvent.class)
    @Order(Ordered.HIGHEST_PRECEDENCE)
    public void stopPublishing() throws InterruptedException {
        publisher.shutdown();
        if (!publisher.awaitTermination(sendTimeout.toMillis() + 1_000, TimeUnit.MILLISECONDS)) {
            publisher.shutdownNow();
        }
    }

    @Override
    public void destroy() throws Exception {
        stopPublishing();
        producer.stop();
    }
}
