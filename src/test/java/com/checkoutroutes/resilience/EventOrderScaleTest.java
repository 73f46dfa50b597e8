package com.checkoutroutes.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import com.checkoutroutes.localrun.EmbeddedKafka;
import com.checkoutroutes.sandbox.SandboxServer;
import com.checkoutroutes.testsupport.ApplicationProcess;
import com.checkoutroutes.testsupport.FreePort;
import com.checkoutroutes.testsupport.TestPostgres;
import com.checkoutroutes.testsupport.TopicWatcher;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Result events of one order arrive in the order of the ledger's changes while two instances publish at once and
 * one of them is SIGKILLed mid-way: per payment, the versions read from the results topic only grow (a copy of an
 * event already read may come again, with the same checkoutEventId), and every state change has its event.
 * Bigger: {@code -Devent-order.orders=1000}.
 */
@Tag("flow")
class EventOrderScaleTest {

    private static final int ORDERS = Integer.getInteger("event-order.orders", 80);
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void eventsOfEachOrderStayInOrderWithTwoPublishersAndAKill() throws Exception {
        String brokers = EmbeddedKafka.bootstrapServers(0, 3);
        String database = TestPostgres.freshDatabase("eventorder");
        String run = "evord" + System.nanoTime() % 100000;
        SandboxServer sandbox = CrashSuiteTest.payingSandbox();
        Map<String, String> settings = CrashSuiteTest.settings(run, brokers, database, sandbox.port());
        ApplicationProcess first = new ApplicationProcess(settings, FreePort.find(), Path.of("target", "event-order", "a"));
        ApplicationProcess second = new ApplicationProcess(settings, FreePort.find(),
                Path.of("target", "event-order", "b"));
        try (TopicWatcher kafka = new TopicWatcher(brokers)) {
            first.start();
            second.start();
            JdbcTemplate ledger = new JdbcTemplate(new DriverManagerDataSource(database, TestPostgres.user(), ""));
            long started = System.nanoTime();
            // about 100 orders a second, so payments of many orders move while both publish and one dies
            Thread publisher = new Thread(() -> CrashSuiteTest.publishOrders(kafka, run, ORDERS, 100),
                    "event-order-publisher");
            publisher.start();
            // SIGKILL the second instance while payments move: its shards and partitions go to the first
            Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20)).until(() ->
                    ledger.queryForObject("SELECT COUNT(*) FROM payment_attempt", Integer.class) >= ORDERS / 3);
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).until(() ->
                    ledger.queryForObject("SELECT COUNT(*) FROM payment_attempt WHERE state <> 'SUCCEEDED'",
                            Integer.class) > 0);
            second.kill();
            publisher.join();
            Awaitility.await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200)).until(() ->
                    ledger.queryForObject("SELECT COUNT(*) FROM payment_attempt WHERE state = 'SUCCEEDED'",
                            Integer.class) == ORDERS
                    && ledger.queryForObject("SELECT COUNT(*) FROM outbox_event WHERE published_at IS NULL",
                            Integer.class) == 0);
            long drainedMillis = (System.nanoTime() - started) / 1_000_000;

            List<String> changes = ledger.queryForList("SELECT payment_request_id || '/' || to_state FROM "
                    + "payment_transition WHERE to_state IN ('PENDING', 'SUCCEEDED') AND from_state <> to_state",
                    String.class);
            String topic = run + ".results";
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> kafka.records(topic).stream()
                    .map(r -> r.headers().lastHeader("checkoutEventId") == null ? r.value() : header(r))
                    .distinct().count() >= changes.size());
            List<ConsumerRecord<String, String>> records = new ArrayList<>(kafka.records(topic));
            int repeats = assertInOrderPerPayment(records);
            assertThat(distinctChanges(records)).as("one event per state change, none missing")
                    .containsExactlyInAnyOrderElementsOf(changes);
            System.out.printf("event-order: %d orders, %d events read (%d repeated copies), all paid and published "
                    + "%d ms after the first order%n", ORDERS, records.size(), repeats, drainedMillis);
        } finally {
            first.stop();
            second.stop();
            sandbox.stop();
        }
    }

    /**
     * Reads the topic as a consumer keeping the newest state would: per payment, an event whose version is not
     * above the last one read must be a copy of an event already read (same eventId, same checkoutEventId).
     * Returns how many copies came.
     */
    private int assertInOrderPerPayment(List<ConsumerRecord<String, String>> records) {
        Map<String, Integer> lastVersion = new HashMap<>();
        Map<String, String> eventIdOfCheckoutEventId = new HashMap<>();
        Set<String> seenEventIds = new HashSet<>();
        int repeats = 0;
        for (ConsumerRecord<String, String> record : records) {
            JsonNode event = read(record.value());
            String eventId = event.path("eventId").asText();
            String prid = event.path("paymentRequestId").asText();
            int version = event.path("version").asInt(-1);
            assertThat(version).as("version of %s", record.value()).isPositive();
            assertThat(record.key()).isEqualTo(event.path("orderId").asText());
            String checkoutEventId = header(record);
            assertThat(checkoutEventId).as("checkoutEventId header").isNotNull();
            String known = eventIdOfCheckoutEventId.putIfAbsent(checkoutEventId, eventId);
            assertThat(known == null ? eventId : known).as("one event per checkoutEventId").isEqualTo(eventId);
            if (!seenEventIds.add(eventId)) {
                repeats++;
                continue; // a resend after a crash between send and mark: the consumer drops it by checkoutEventId
            }
            Integer last = lastVersion.put(prid, version);
            assertThat(last == null ? 0 : last).as("order %s: version %d (%s) came after version %s",
                    event.path("orderId").asText(), version, event.path("state").asText(), last).isLessThan(version);
        }
        assertThat(eventIdOfCheckoutEventId.values()).as("one checkoutEventId per event").doesNotHaveDuplicates();
        return repeats;
    }

    private List<String> distinctChanges(List<ConsumerRecord<String, String>> records) {
        Map<String, String> changeByEventId = new HashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            JsonNode event = read(record.value());
            changeByEventId.put(event.path("eventId").asText(),
                    event.path("paymentRequestId").asText() + "/" + event.path("state").asText());
        }
        return List.copyOf(changeByEventId.values());
    }

    private static String header(ConsumerRecord<String, String> record) {
        Header header = record.headers().lastHeader("checkoutEventId");
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private JsonNode read(String value) {
        try {
            return json.readTree(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
