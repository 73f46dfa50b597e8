package com.checkoutroutes.ledger;

import com.checkoutroutes.localrun.EmbeddedKafka;
import com.checkoutroutes.testsupport.TestPostgres;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The relay's publish rate with one and two relays (instances) on one outbox, the cost of its shard fencing measured
 * alone (docs/benchmarks.md): {@code probe.events} pending events over 1,000 order keys published to a Kafka topic
 * of the in-JVM broker (the shipped producer bounds) and to a {@code direct:} sink, PostgreSQL through a Hikari pool.
 * Not a test: skipped unless asked for,
 * {@code ./mvnw -o test -Dtest=OutboxPublishRateProbe -Dprobe.outbox=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("flow")
@EnabledIfSystemProperty(named = "probe.outbox", matches = "true")
class OutboxPublishRateProbe {

    private static final int EVENTS = Integer.getInteger("probe.events", 20_000);
    private static final int KEYS = 1_000;
    private static final int ROUNDS = Integer.getInteger("probe.rounds", 5);
    private static final int TRICKLE = 500;
    private static final List<Double> latencies = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Test
    void publishRateWithOneAndTwoRelays() throws Exception {
        String brokers = EmbeddedKafka.bootstrapServers(0, 3);
        try (HikariDataSource db = new HikariDataSource()) {
            db.setJdbcUrl(TestPostgres.freshDatabase("outboxrate"));
            db.setUsername(TestPostgres.user());
            db.setMaximumPoolSize(10);
            TestPostgres.migrate(db, "postgresql");
            JdbcTemplate jdbc = new JdbcTemplate(db);
            TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(db));
            DefaultCamelContext camel = new DefaultCamelContext();
            KafkaComponent kafka = new KafkaComponent();
            kafka.getConfiguration().setBrokers(brokers);
            kafka.getConfiguration().setMaxBlockMs(5000);
            kafka.getConfiguration().setRequestTimeoutMs(5000);
            kafka.getConfiguration().setDeliveryTimeoutMs(10000);
            camel.addComponent("kafka", kafka);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:to-kafka").to("kafka:probe.results");
                    from("direct:sink").process(exchange -> { });
                    from("direct:latency").process(exchange -> latencies.add((System.nanoTime()
                            - Long.parseLong(exchange.getIn().getBody(String.class))) / 1e6));
                }
            });
            camel.start();
            Clock clock = Clock.systemUTC();
            Outbox outbox = new Outbox(jdbc, clock);
            PaymentLedger ledger = new PaymentLedger(jdbc, tx, outbox, clock, new CommittedTransitions(),
                    new OrderCancellations(jdbc, clock));
            List<String> lines = new ArrayList<>();
            for (String destination : List.of("direct:to-kafka", "direct:sink")) {
                publish(jdbc, tx, camel, outbox, ledger, clock, destination, 1); // warm-up (JIT, topic, pool)
                List<List<Double>> rates = List.of(new ArrayList<>(), new ArrayList<>());
                for (int round = 0; round < ROUNDS; round++) {
                    for (int relays = 1; relays <= 2; relays++) { // alternated: a busy moment hits both alike
                        rates.get(relays - 1).add(publish(jdbc, tx, camel, outbox, ledger, clock, destination, relays));
                    }
                }
                for (int relays = 1; relays <= 2; relays++) {
                    List<Double> sorted = rates.get(relays - 1).stream().sorted().toList();
                    lines.add(String.format("%-16s %d relay(s): median %,.0f events/s, best %,.0f (%s)", destination,
                            relays, sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1),
                            sorted.stream().map(r -> String.format("%,.0f", r)).toList()));
                }
            }
            lines.add(trickle(jdbc, tx, camel, outbox, ledger, clock));
            camel.stop();
            lines.forEach(line -> System.out.println("outbox probe: " + line));
        }
    }

    private static double publish(JdbcTemplate jdbc, TransactionTemplate tx, DefaultCamelContext camel, Outbox outbox,
            PaymentLedger ledger, Clock clock, String destination, int relayCount) throws Exception {
        for (int from = 0; from < EVENTS; from += 1000) {
            outbox.appendAll(IntStream.range(from, Math.min(EVENTS, from + 1000))
                    .mapToObj(i -> new OutboxMessage(destination, "ORD-" + (i % KEYS), "{\"n\":" + i + "}")).toList());
        }
        List<OutboxRelay> relays = new ArrayList<>();
        for (int i = 0; i < relayCount; i++) {
            relays.add(new OutboxRelay(jdbc, tx, camel, new ObjectMapper(), clock, ledger, settings(destination),
                    new SimpleMeterRegistry()));
        }
        long started = System.nanoTime();
        Awaitility.await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(50)).until(() -> {
            relays.forEach(OutboxRelay::wake); // as the routes' commits and the outbox timer would
            return jdbc.queryForObject("SELECT COUNT(*) FROM outbox_event WHERE published_at IS NULL",
                    Integer.class) == 0;
        });
        double seconds = (System.nanoTime() - started) / 1e9;
        for (OutboxRelay relay : relays) {
            relay.destroy();
        }
        return EVENTS / seconds;
    }

    /**
     * One event at a time (a quiet hour): from its commit to the destination, which the claim's own commit adds to.
     * Each event is woken for at once, as the committing route does.
     */
    private static String trickle(JdbcTemplate jdbc, TransactionTemplate tx, DefaultCamelContext camel, Outbox outbox,
            PaymentLedger ledger, Clock clock) throws Exception {
        OutboxRelay relay = new OutboxRelay(jdbc, tx, camel, new ObjectMapper(), clock, ledger,
                settings("direct:latency"), new SimpleMeterRegistry());
        for (int i = 0; i < TRICKLE; i++) {
            int before = latencies.size();
            outbox.append(new OutboxMessage("direct:latency", "ORD-" + i, String.valueOf(System.nanoTime())));
            relay.wake();
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1))
                    .until(() -> latencies.size() > before);
        }
        relay.destroy();
        List<Double> sorted = latencies.stream().skip(TRICKLE / 5).sorted().toList(); // after a warm-up fifth
        return String.format("one event at a time: commit to destination median %.1f ms, p90 %.1f ms (%d events)",
                sorted.get(sorted.size() / 2), sorted.get(sorted.size() * 9 / 10), sorted.size());
    }

    private static OutboxSettings settings(String destination) {
        return new OutboxSettings(destination, destination, destination, destination, 500, 100,
                Duration.ofSeconds(30), 16, Duration.ofSeconds(15), Duration.ofSeconds(20), Duration.ZERO);
    }
}
