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
import java.util.stream.IntStream;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.awaitility.Awaitility;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Two relays on one PostgreSQL outbox: while one is stuck sending an order's first event, the other must not send
 * that order's second event (with row locks and SKIP LOCKED it did, and the second arrived first), yet it goes on
 * publishing the orders of other shards.
 */
@Tag("flow")
class OutboxRelayOrderTest {

    private static final int SHARDS = 16;
    private static final String DESTINATION = "direct:held";

    @Test
    void anOrdersEventsLeaveInOrderWhileAnotherRelayHoldsItsShard() throws Exception {
        DriverManagerDataSource db = new DriverManagerDataSource(TestPostgres.freshDatabase("outboxorder"),
                TestPostgres.user(), "");
        Flyway.configure().dataSource(db).locations("classpath:db/migration", "classpath:db/vendor/postgresql")
                .load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(db);
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(db));
        List<String> received = new CopyOnWriteArrayList<>();
        CountDownLatch firstEntered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(DESTINATION).process(exchange -> {
                    String body = exchange.getIn().getBody(String.class);
                    received.add(exchange.getIn().getHeader(KafkaConstants.KEY) + " " + body);
                    if (body.contains("hold")) {
                        firstEntered.countDown();
                        release.await(30, TimeUnit.SECONDS); // a slow broker: the sender's transaction stays open
                    }
                });
            }
        });
        camel.start();
        Clock clock = Clock.systemUTC();
        Outbox outbox = new Outbox(jdbc, clock);
        PaymentLedger ledger = new PaymentLedger(jdbc, tx, outbox, clock);
        OutboxSettings settings = new OutboxSettings(DESTINATION, DESTINATION, DESTINATION, DESTINATION, 500, 100,
                Duration.ofSeconds(30), SHARDS);
        OutboxRelay first = new OutboxRelay(jdbc, tx, camel, new ObjectMapper(), clock, ledger, settings);
        OutboxRelay second = new OutboxRelay(jdbc, tx, camel, new ObjectMapper(), clock, ledger, settings);
        String other = IntStream.range(2, 100).mapToObj(i -> "ORD-" + i)
                .filter(key -> shardOf(jdbc, key) != shardOf(jdbc, "ORD-1")).findFirst().orElseThrow();
        try {
            outbox.append(new OutboxMessage(DESTINATION, "ORD-1", "{\"n\":1,\"hold\":true}"));
            first.wake();
            assertThat(firstEntered.await(30, TimeUnit.SECONDS)).as("the first relay is sending").isTrue();

            outbox.append(new OutboxMessage(DESTINATION, "ORD-1", "{\"n\":2}"));
            outbox.append(new OutboxMessage(DESTINATION, other, "{\"n\":1}"));
            second.wake();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> received.contains(other + " {\"n\":1}"));
            assertThat(received).as("the second relay published another shard, not ORD-1's second event")
                    .doesNotContain("ORD-1 {\"n\":2}");

            release.countDown();
            first.wake(); // (the timer route would do this in the application)
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                    "SELECT COUNT(*) FROM outbox_event WHERE published_at IS NULL", Integer.class) == 0);
            assertThat(received.stream().filter(r -> r.startsWith("ORD-1 ")))
                    .containsExactly("ORD-1 {\"n\":1,\"hold\":true}", "ORD-1 {\"n\":2}");
        } finally {
            release.countDown();
            first.destroy();
            second.destroy();
            camel.stop();
        }
    }

    private static int shardOf(JdbcTemplate jdbc, String key) {
        return jdbc.queryForObject("SELECT mod(hashtext(?)::bigint + 2147483648, ?)", Integer.class, key, SHARDS);
    }
}
