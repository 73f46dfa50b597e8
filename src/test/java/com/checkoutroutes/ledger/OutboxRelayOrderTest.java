package com.checkoutroutes.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.checkoutroutes.testsupport.TestPostgres;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.awaitility.Awaitility;
import org.flywaydb.core.Flyway;
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
 * the second event arrived first), yet goes on publishing other shards, and takes the order over once the first
 * instance's connection dies.
 */
@Tag("flow")
class OutboxRelayOrderTest {

    private static final int SHARDS = 16;
    private static final String DESTINATION = "direct:held";
    private static final String FIRST = "{\"n\":1,\"hold\":true}";
    private static final String SECOND = "{\"n\":2}";

    private final List<String> received = new CopyOnWriteArrayList<>();
    private final AtomicBoolean holding = new AtomicBoolean(true);
    private final CountDownLatch firstEntered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final DefaultCamelContext camel = new DefaultCamelContext();
    private JdbcTemplate jdbc;
    private Outbox outbox;
    private OutboxRelay first;
    private OutboxRelay second;
    private String otherShardKey;

    @BeforeEach
    void twoRelaysOnOneOutbox() throws Exception {
        DriverManagerDataSource db = new DriverManagerDataSource(TestPostgres.freshDatabase("outboxorder"),
                TestPostgres.user(), "");
        Flyway.configure().dataSource(db).locations("classpath:db/migration", "classpath:db/vendor/postgresql")
                .load().migrate();
        jdbc = new JdbcTemplate(db);
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(db));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(DESTINATION).process(exchange -> {
                    String body = exchange.getIn().getBody(String.class);
                    received.add(exchange.getIn().getHeader(KafkaConstants.KEY) + " " + body);
                    if (body.contains("hold") && holding.getAndSet(false)) {
                        firstEntered.countDown();
                        release.await(30, TimeUnit.SECONDS); // a slow broker: the sender's transaction stays open
                    }
                });
            }
        });
        camel.start();
        Clock clock = Clock.systemUTC();
        outbox = new Outbox(jdbc, clock);
        PaymentLedger ledger = new PaymentLedger(jdbc, tx, outbox, clock, new CommittedTransitions());
        OutboxSettings settings = new OutboxSettings(DESTINATION, DESTINATION, DESTINATION, DESTINATION, 500, 100,
                Duration.ofSeconds(30), SHARDS);
        first = new OutboxRelay(jdbc, tx, camel, new ObjectMapper(), clock, ledger, settings);
        second = new OutboxRelay(jdbc, tx, camel, new ObjectMapper(), clock, ledger, settings);
        otherShardKey = IntStream.range(2, 100).mapToObj(i -> "ORD-" + i)
                .filter(key -> shardOf(key) != shardOf("ORD-1")).findFirst().orElseThrow();

        // the first relay is stuck sending ORD-1's first event; then ORD-1's second and another order's commit
        outbox.append(new OutboxMessage(DESTINATION, "ORD-1", FIRST));
        first.wake();
        assertThat(firstEntered.await(30, TimeUnit.SECONDS)).as("the first relay is sending").isTrue();
        outbox.append(new OutboxMessage(DESTINATION, "ORD-1", SECOND));
        outbox.append(new OutboxMessage(DESTINATION, otherShardKey, SECOND));
        second.wake();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> received.contains(otherShardKey + " " + SECOND));
        assertThat(received).as("the second relay published another shard, not ORD-1's second event")
                .doesNotContain("ORD-1 " + SECOND);
    }

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        first.destroy();
        second.destroy();
        camel.stop();
    }

    @Test
    void anOrdersNextEventWaitsUntilTheRelaySendingItsFirstIsDone() {
        release.countDown();
        first.wake(); // (the timer route would do this in the application)
        awaitAllPublished();
        assertThat(received.stream().filter(r -> r.startsWith("ORD-1 "))).containsExactly("ORD-1 " + FIRST,
                "ORD-1 " + SECOND);
    }

    @Test
    void whenTheSendingInstanceDiesAnotherTakesItsShardOverInOrder() {
        // SIGKILL of the first instance as PostgreSQL sees it: its connection, and its advisory locks, are gone
        jdbc.queryForList("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted",
                Boolean.class);
        second.wake();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("ORD-1 " + SECOND));
        release.countDown(); // the dead instance's send returns; its mark fails with its connection
        awaitAllPublished();
        assertThat(received.stream().filter(r -> r.startsWith("ORD-1 ")))
                .as("the first event again (the dead instance had not marked it), then the second")
                .containsExactly("ORD-1 " + FIRST, "ORD-1 " + FIRST, "ORD-1 " + SECOND);
    }

    private void awaitAllPublished() {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM outbox_event WHERE published_at IS NULL", Integer.class) == 0);
    }

    private int shardOf(String key) {
        return jdbc.queryForObject("SELECT mod(hashtext(?)::bigint + 2147483648, ?)", Integer.class, key, SHARDS);
    }
}
