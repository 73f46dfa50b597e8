package com.checkoutroutes.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.checkoutroutes.testsupport.TestPostgres;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.IntStream;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Two relays (two instances) on one PostgreSQL outbox, the first stuck sending an order's first event as if its
 * broker were slow: the second must not send that order's second event (with row locks and SKIP LOCKED it did, and
 * the second event arrived first), yet goes on publishing other shards. The first hands the shard back as soon as its
 * send is acknowledged; if it dies instead, the second takes the order over only once the dead instance's lease has
 * run out, so the send the dead instance had started lands first (with a lock that ended with the dead instance's
 * connection, the second overtook it). A send "lands" when the destination returns, as a Kafka write ends with its
 * acknowledgement.
 */
@Tag("flow")
class OutboxRelayOrderTest {

    private static final int SHARDS = 16;
    private static final String DESTINATION = "direct:held";
    private static final String FIRST = "{\"n\":1,\"hold\":true}";
    private static final String SECOND = "{\"n\":2}";

    /** What reached the destination, in the order it landed, with when it landed. */
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<Instant> landedAt = new CopyOnWriteArrayList<>();
    private final AtomicBoolean holding = new AtomicBoolean(true);
    private final CountDownLatch firstEntered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<Instant> sendStarts = new CopyOnWriteArrayList<>();
    /** How long each send takes on {@link #sendsClock}, the lease clock of a relay made with it. */
    private volatile long millisPerSend;
    private final AtomicLong sendsClock = new AtomicLong(System.nanoTime());
    private volatile boolean failNextSend;
    private final DefaultCamelContext camel = new DefaultCamelContext();
    private final List<OutboxRelay> relays = new ArrayList<>();
    private JdbcTemplate jdbc;
    private TransactionTemplate tx;
    private Outbox outbox;
    private PaymentLedger ledger;
    private String otherShardKey;

    @BeforeEach
    void oneOutbox() throws Exception {
        DriverManagerDataSource db = new DriverManagerDataSource(TestPostgres.freshDatabase("outboxorder"),
                TestPostgres.user(), "");
        TestPostgres.migrate(db, "postgresql");
        jdbc = new JdbcTemplate(db);
        tx = new TransactionTemplate(new DataSourceTransactionManager(db));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(DESTINATION).process(exchange -> {
                    sendStarts.add(Instant.now());
                    String body = exchange.getIn().getBody(String.class);
                    if (body.contains("poison")) {
                        throw new IllegalStateException("the broker refuses this record, every time");
                    }
                    if (failNextSend) {
                        failNextSend = false;
                        throw new IllegalStateException("the broker refused it");
                    }
                    if (body.contains("hold") && holding.getAndSet(false)) {
                        firstEntered.countDown();
                        release.await(30, TimeUnit.SECONDS); // a slow broker: the write is still on its way
                    }
                    sendsClock.addAndGet(TimeUnit.MILLISECONDS.toNanos(millisPerSend));
                    received.add(exchange.getIn().getHeader(KafkaConstants.KEY) + " " + body);
                    landedAt.add(Instant.now());
                });
            }
        });
        camel.start();
        Clock clock = Clock.systemUTC();
        outbox = new Outbox(jdbc, clock);
        ledger = new PaymentLedger(jdbc, tx, outbox, clock, new CommittedTransitions(),
                new OrderCancellations(jdbc, clock));
        otherShardKey = IntStream.range(2, 100).mapToObj(i -> "ORD-" + i)
                .filter(key -> shardOf(key) != shardOf("ORD-1")).findFirst().orElseThrow();
    }

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        for (OutboxRelay relay : relays) {
            relay.destroy();
        }
        camel.stop();
    }

    @Test
    void anOrdersNextEventWaitsUntilTheRelaySendingItsFirstIsDoneThenGoesAtOnce() {
        Duration lease = Duration.ofSeconds(60);
        OutboxRelay first = relay(lease, Duration.ofSeconds(40));
        OutboxRelay second = relay(lease, Duration.ofSeconds(40));
        firstStuckWhileTheSecondPublishesAnotherShard(first, second);

        release.countDown(); // the broker acknowledges: the first relay marks its event and hands the shard back
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> fencedUntil("ORD-1") == null);
        second.wake();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("ORD-1 " + SECOND));
        assertThat(ordersEvents()).containsExactly("ORD-1 " + FIRST, "ORD-1 " + SECOND);
        assertThat(lastOwner("ORD-1")).as("the second relay sent it, long before the lease's end")
                .isEqualTo(second.leaseOwner());
    }

    @Test
    void whenTheSendingInstanceDiesAnotherTakesItsShardOverOnlyAfterItsLastSendIsOver() {
        // a send is over within 2 s; the lease of 4 s leaves the first 1 s to start sends, 1 s of margin
        OutboxRelay first = relay(Duration.ofSeconds(4), Duration.ofSeconds(2));
        OutboxRelay second = relay(Duration.ofSeconds(4), Duration.ofSeconds(2));
        firstStuckWhileTheSecondPublishesAnotherShard(first, second);
        OffsetDateTime fence = fencedUntil("ORD-1");
        assertThat(fence).as("the first relay's lease on ORD-1's shard").isNotNull();

        // SIGKILL of the first instance as PostgreSQL sees it: its connection is gone; its send is still on its way
        jdbc.queryForList("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
                + "AND state LIKE 'idle in transaction%'", Boolean.class);
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            second.wake(); // the outbox timer, every 100 ms
            if (release.getCount() > 0 && Instant.now().isAfter(fence.toInstant().minusMillis(1500))) {
                release.countDown(); // the dead instance's send lands late, but within max-send-time
            }
            return received.contains("ORD-1 " + SECOND);
        });
        awaitAllPublished(second);

        assertThat(ordersEvents()).as("the dead instance's send landed, then the second resent it (not marked), "
                + "then the next event").containsExactly("ORD-1 " + FIRST, "ORD-1 " + FIRST, "ORD-1 " + SECOND);
        assertThat(landedAt.get(received.lastIndexOf("ORD-1 " + FIRST)))
                .as("the second relay's copy went after the dead instance's lease").isAfter(fence.toInstant());
    }

    @Test
    void aFailedSendKeepsTheShardFencedFromOthersWhileItsOwnRelaySendsItAgain() {
        OutboxRelay only = relay(Duration.ofSeconds(60), Duration.ofSeconds(40));
        holding.set(false);
        failNextSend = true;
        outbox.append(new OutboxMessage(DESTINATION, "ORD-1", FIRST));
        only.wake();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> sendStarts.size() == 1
                && fencedUntil("ORD-1") != null && pending() == 1);
        OutboxRelay other = relay(Duration.ofSeconds(60), Duration.ofSeconds(40));
        other.wake();
        Awaitility.await().pollDelay(Duration.ofMillis(500)).until(() -> true);
        assertThat(sendStarts).as("the other instance waits: the failed send might still land").hasSize(1);

        only.wake(); // its own relay sends again at once, through the same producer
        awaitAllPublished(only);
        assertThat(ordersEvents()).containsExactly("ORD-1 " + FIRST);
        assertThat(fencedUntil("ORD-1")).as("handed back once acknowledged").isNull();
    }

    /**
     * An event that can never be published (its topic does not exist, Kafka refuses the record) holds back its own
     * order's events only: the rest of its batch is marked and its shards handed back, and later events of other
     * orders keep leaving. It used to stop every batch at itself, with every shard of the batch left fenced.
     */
    @Test
    void anEventThatCannotBePublishedHoldsBackOnlyItsOwnOrdersEvents() {
        OutboxRelay only = relay(Duration.ofSeconds(60), Duration.ofSeconds(40));
        holding.set(false);
        outbox.append(new OutboxMessage(DESTINATION, "ORD-1", "{\"n\":1,\"poison\":true}"));
        outbox.append(new OutboxMessage(DESTINATION, "ORD-1", "{\"n\":2}"));
        outbox.append(new OutboxMessage(DESTINATION, otherShardKey, SECOND));
        only.wake();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> received.contains(otherShardKey + " " + SECOND)
                && pending() == 2);
        assertThat(fencedUntil(otherShardKey)).as("handed back: all its sends were acknowledged").isNull();
        assertThat(fencedUntil("ORD-1")).as("fenced: the failed send might still land").isNotNull();

        for (int n = 3; n <= 5; n++) { // other orders commit while ORD-1's first event keeps failing
            outbox.append(new OutboxMessage(DESTINATION, otherShardKey, "{\"n\":" + n + "}"));
            only.wake();
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            only.wake();
            return received.contains(otherShardKey + " {\"n\":5}") && pending() == 2;
        });
        assertThat(jdbc.queryForList("SELECT payload FROM outbox_event WHERE published_at IS NULL ORDER BY id",
                String.class)).as("only ORD-1's events wait, in order").containsExactly("{\"n\":1,\"poison\":true}",
                "{\"n\":2}");
        assertThat(fencedUntil("ORD-1")).as("still fenced from other instances while its events wait, though the "
                + "batches since sent none of them").isNotNull();
        assertThat(ordersEvents()).as("its second event is never sent ahead of its first").isEmpty();
    }

    /**
     * An order whose event failed goes on once the destination takes it: its oldest event alone first, then the rest,
     * each landing once and in order (its later events were sent ahead of it, and again on every retry).
     */
    @Test
    void anOrderWhoseSendFailedGoesOnInOrderEachEventOnce() {
        OutboxRelay only = relay(Duration.ofSeconds(60), Duration.ofSeconds(40));
        holding.set(false);
        failNextSend = true;
        for (int n = 1; n <= 3; n++) {
            outbox.append(new OutboxMessage(DESTINATION, "ORD-1", "{\"n\":" + n + "}"));
        }
        only.wake();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> sendStarts.size() == 1 && pending() == 3);

        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
            only.wake(); // the timer's sweep: the hold (1 s) is over
            return pending() == 0;
        });
        assertThat(ordersEvents()).containsExactly("ORD-1 {\"n\":1}", "ORD-1 {\"n\":2}", "ORD-1 {\"n\":3}");
    }

    /**
     * An order whose events wait behind a failed send, more of them than a batch (100): a claim took the shards of the
     * oldest pending events, all of that order's, and the other shards' events waited for as long as it failed.
     */
    @Test
    void aBacklogHeldBackLargerThanABatchHoldsBackNoOtherShard() {
        OutboxRelay only = relay(Duration.ofSeconds(60), Duration.ofSeconds(40));
        holding.set(false);
        outbox.append(new OutboxMessage(DESTINATION, "ORD-1", "{\"n\":1,\"poison\":true}"));
        for (int n = 2; n <= 150; n++) {
            outbox.append(new OutboxMessage(DESTINATION, "ORD-1", "{\"n\":" + n + "}"));
        }
        only.wake();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> sendStarts.size() >= 1 && pending() == 150);

        outbox.append(new OutboxMessage(DESTINATION, otherShardKey, SECOND));
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            only.wake();
            return received.contains(otherShardKey + " " + SECOND);
        });
        assertThat(pending()).as("ORD-1's events still wait, in order").isEqualTo(150);
    }

    @Test
    void aSlowDestinationGetsNoNewSendAfterTheClaimsWindowAndTheRestFollowsInOrder() {
        // lease 3 s, max-send-time 2 s: sends start only in the first 0.5 s of each claim, on the sends' clock
        OutboxRelay only = relay(Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ZERO, sendsClock::get);
        holding.set(false);
        millisPerSend = 200;
        for (int n = 1; n <= 8; n++) {
            outbox.append(new OutboxMessage(DESTINATION, "ORD-1", "{\"n\":" + n + "}"));
        }
        only.wake();
        awaitAllPublished(only);

        assertThat(ordersEvents()).containsExactlyElementsOf(IntStream.rangeClosed(1, 8)
                .mapToObj(n -> "ORD-1 {\"n\":" + n + "}").toList());
        List<Integer> batchSizes = jdbc.queryForList("SELECT COUNT(*) FROM outbox_event GROUP BY published_at "
                + "ORDER BY published_at", Integer.class);
        assertThat(batchSizes).as("events per batch: each claim let sends start for 0.5 s, 200 ms each")
                .hasSizeGreaterThanOrEqualTo(3).allSatisfy(n -> assertThat(n).isBetween(1, 3));
    }

    @Test
    void eventsAppendedTogetherLeaveInTheirListOrderAndTheirBatchIsMarkedAtOnce() {
        OutboxRelay only = relay(Duration.ofSeconds(60), Duration.ofSeconds(40));
        holding.set(false);
        List<OutboxMessage> transition = IntStream.rangeClosed(1, 5)
                .mapToObj(n -> new OutboxMessage(DESTINATION, "ORD-1", "{\"n\":" + n + "}")).toList();
        tx.executeWithoutResult(status -> outbox.appendAll(transition)); // one multi-row INSERT

        only.wake();
        awaitAllPublished(only);

        assertThat(ordersEvents()).containsExactlyElementsOf(IntStream.rangeClosed(1, 5)
                .mapToObj(n -> "ORD-1 {\"n\":" + n + "}").toList());
        assertThat(jdbc.queryForList("SELECT payload FROM outbox_event ORDER BY id", String.class))
                .as("ids in list order").containsExactlyElementsOf(transition.stream().map(OutboxMessage::payload)
                        .toList());
        assertThat(jdbc.queryForObject("SELECT COUNT(DISTINCT published_at) FROM outbox_event", Integer.class))
                .as("one batch, one mark").isEqualTo(1);
    }

    @Test
    void wakesSoonAfterADrainWaitForTheLingerAndTheEventsCommittedMeanwhileLeaveInOneBatch() {
        Duration linger = Duration.ofSeconds(2);
        OutboxRelay only = relay(Duration.ofSeconds(60), Duration.ofSeconds(40), linger);
        holding.set(false);
        Instant firstWake = Instant.now();
        outbox.append(new OutboxMessage(DESTINATION, "ORD-1", "{\"n\":1}"));
        only.wake(); // no drain yet: this one starts at once
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
        for (int n = 2; n <= 4; n++) { // three orders commit, each wakes the publisher
            outbox.append(new OutboxMessage(DESTINATION, "ORD-1", "{\"n\":" + n + "}"));
            only.wake();
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 4);
        // a batch is marked after its sends are acknowledged: received is not yet marked
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> pending() == 0);

        assertThat(ordersEvents()).containsExactlyElementsOf(IntStream.rangeClosed(1, 4)
                .mapToObj(n -> "ORD-1 {\"n\":" + n + "}").toList());
        assertThat(landedAt.get(1)).as("the next drain started no sooner than the linger after the first")
                .isAfterOrEqualTo(firstWake.plus(linger));
        assertThat(jdbc.queryForObject("SELECT COUNT(DISTINCT published_at) FROM outbox_event", Integer.class))
                .as("the first event alone, the three woken during the linger together").isEqualTo(2);
    }

    /** The first relay is stuck sending ORD-1's first event; the second publishes another order, not ORD-1's next. */
    private void firstStuckWhileTheSecondPublishesAnotherShard(OutboxRelay first, OutboxRelay second) {
        outbox.append(new OutboxMessage(DESTINATION, "ORD-1", FIRST));
        first.wake();
        try {
            assertThat(firstEntered.await(30, TimeUnit.SECONDS)).as("the first relay is sending").isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        outbox.append(new OutboxMessage(DESTINATION, "ORD-1", SECOND));
        outbox.append(new OutboxMessage(DESTINATION, otherShardKey, SECOND));
        second.wake();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> received.contains(otherShardKey + " " + SECOND));
        assertThat(sendStarts).as("the second relay published another shard, not ORD-1's second "
                + "event (nor the first again)").hasSize(2);
    }

    private OutboxRelay relay(Duration lease, Duration maxSendTime) {
        return relay(lease, maxSendTime, Duration.ZERO);
    }

    private OutboxRelay relay(Duration lease, Duration maxSendTime, Duration linger) {
        return relay(lease, maxSendTime, linger, System::nanoTime);
    }

    private OutboxRelay relay(Duration lease, Duration maxSendTime, Duration linger, LongSupplier leaseNanoTime) {
        OutboxSettings settings = new OutboxSettings(DESTINATION, DESTINATION, DESTINATION, DESTINATION, 500, 100,
                Duration.ofSeconds(30), SHARDS, maxSendTime, lease, linger);
        OutboxRelay relay = new OutboxRelay(jdbc, tx, camel, new ObjectMapper(), Clock.systemUTC(), ledger, settings,
                new SimpleMeterRegistry(), leaseNanoTime);
        relays.add(relay);
        return relay;
    }

    private List<String> ordersEvents() {
        return received.stream().filter(r -> r.startsWith("ORD-1 ")).toList();
    }

    private void awaitAllPublished(OutboxRelay relay) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            relay.wake();
            return pending() == 0;
        });
    }

    private int pending() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM outbox_event WHERE published_at IS NULL", Integer.class);
    }

    private OffsetDateTime fencedUntil(String key) {
        return jdbc.queryForObject("SELECT fenced_until FROM outbox_shard_lease WHERE shard = ?", OffsetDateTime.class,
                shardOf(key));
    }

    private String lastOwner(String key) {
        return jdbc.queryForObject("SELECT owner FROM outbox_shard_lease WHERE shard = ?", String.class, shardOf(key));
    }

    private int shardOf(String key) {
        return jdbc.queryForObject("SELECT mod(hashtext(?)::bigint + 2147483648, ?)", Integer.class, key, SHARDS);
    }
}
