package com.checkoutroutes.keyordered;

import static org.assertj.core.api.Assertions.assertThat;

import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.sandbox.ApiCall;
import com.checkoutroutes.testsupport.CrashPoints;
import com.checkoutroutes.testsupport.FlowTestSupport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.context.TestPropertySource;

/**
 * The order route with many orders in flight (key-ordered:orderLanes, max-in-flight 16) against a sandbox that takes
 * 300 ms per answer (2 s in the rebalance test): one order's messages still run one after another, a failing order
 * holds the commit of its partition below it while later orders finish, a rebalance with orders in flight loses none
 * and pays none twice, and many orders complete at once. Its own topic and group, so that
 * other test contexts in this JVM do not share its records.
 */
@TestPropertySource(properties = {
        "checkout.orders.max-in-flight=16",
        "checkout.antom.max-connections=32",
        "checkout.sandbox.latency-ms=300",
        // above the rebalance test's 2 s answers; the suite's 1 s was once passed by a 300 ms answer on a loaded
        // machine (two test JVMs on 2 cores), and the pay went again
        "checkout.antom.timeout=5s",
        "checkout.topics.orders=checkout.orders.key-ordered",
        "checkout.kafka.group-id=checkout-routes-key-ordered",
        // long enough that the orders behind a failed one finish while it waits for its resend
        "checkout.orders.resend-delay=6000"})
class KeyOrderedOrdersTest extends FlowTestSupport {

    private static KafkaProducer<String, String> producer;

    @Value("${camel.component.kafka.brokers}")
    private String brokers;
    @Value("${checkout.kafka.group-id}")
    private String groupId;
    @Value("${checkout.antom.timeout}")
    private Duration antomTimeout;
    @Value("${checkout.ledger.group-commit-max-batch}")
    private int groupCommitMaxBatch;
    @org.springframework.beans.factory.annotation.Autowired
    private org.springframework.jdbc.core.JdbcTemplate jdbc;
    @org.springframework.beans.factory.annotation.Autowired
    private io.micrometer.core.instrument.MeterRegistry meters;

    @AfterAll
    static void closeProducer() {
        if (producer != null) {
            producer.close();
        }
    }

    @Test
    void twoMessagesOfOneOrderRunOneAfterTheOtherInOffsetOrder() throws Exception {
        String orderId = newOrderId();
        Map<String, Object> first = order(orderId);
        first.put("paymentMethodType", "CARD");
        first.put("amount", Map.of("currency", "USD", "value", "20051")); // the sandbox's declined card
        Map<String, Object> second = order(orderId);
        second.put("paymentMethodType", "CARD");
        second.put("attempt", 2);
        // both at once, so that they usually arrive in one poll
        var sentFirst = producer().send(new ProducerRecord<>(ordersTopic, orderId, json.writeValueAsString(first)));
        var sentSecond = producer().send(new ProducerRecord<>(ordersTopic, orderId, json.writeValueAsString(second)));
        assertThat(sentSecond.get().offset()).isGreaterThan(sentFirst.get().offset());

        List<PaymentAttempt> attempts = Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> ledger.attemptsOf(orderId), list -> list.size() == 2
                        && list.stream().allMatch(a -> a.state() != com.checkoutroutes.ledger.PaymentState.REQUESTED));
        PaymentAttempt one = attempts.stream().filter(a -> a.attemptNo() == 1).findFirst().orElseThrow();
        PaymentAttempt two = attempts.stream().filter(a -> a.attemptNo() == 2).findFirst().orElseThrow();
        assertThat(one.state().name()).isEqualTo("FAILED");
        assertThat(two.state().name()).isIn("SUCCEEDED", "AUTHORISED", "CAPTURED", "PENDING");

        // the second one was opened only after the first one's outcome (FAILED) was recorded
        assertThat(two.createdAt()).isAfterOrEqualTo(one.updatedAt());
        assertThat(sandbox.requests("pay", one.paymentRequestId())).hasSize(1);
        assertThat(sandbox.requests("pay", two.paymentRequestId())).hasSize(1);
        List<String> actions = Awaitility.await().atMost(Duration.ofSeconds(30)).until(
                () -> channelMessages("WEB", orderId).stream().map(m -> m.path("action").asText()).toList(),
                list -> list.size() == 2);
        assertThat(actions).containsExactly("FAILED", "PAID");
    }

    @Test
    void aFailingOrderHoldsTheCommitBelowItWhileLaterOnesFinishAndIsSentAgain() throws Exception {
        // the janitor sends a pay still REQUESTED and processing at Antom again: only the lane's own are counted
        try (AutoCloseable janitor = scheduledJobsStopped()) {
            String failing = newOrderId();
            crashPoints.armFor(failing, CrashPoints.AFTER_ANTOM_CALL, 1);
            RecordMetadata failed = send(failing);
            TopicPartition partition = new TopicPartition(ordersTopic, failed.partition());
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> crashPoints.pending() == 0);

            // later orders, some of them behind the failed one in its partition, finish while it waits for its resend
            // (keys pick the partition: 12 random keys all missed it about once in 130 runs; send until 3 are behind it)
            List<String> later = new ArrayList<>();
            long lastInItsPartition = failed.offset();
            int behindIt = 0;
            while ((later.size() < 12 || behindIt < 3) && later.size() < 200) {
                String orderId = newOrderId();
                later.add(orderId);
                RecordMetadata sent = send(orderId);
                if (sent.partition() == failed.partition()) {
                    behindIt++;
                    lastInItsPartition = Math.max(lastInItsPartition, sent.offset());
                }
            }
            assertThat(lastInItsPartition).as("some later orders share the failed one's partition")
                    .isGreaterThan(failed.offset());
            for (String orderId : later) {
                awaitChannelMessage("WEB", orderId);
            }
            assertThat(channelMessages("WEB", failing)).as("the failed order is still waiting for its resend").isEmpty();
            assertThat(committed(partition)).as("nothing committed past the failed order")
                    .satisfiesAnyOf(c -> assertThat(c).isNull(), c -> assertThat(c.offset()).isLessThanOrEqualTo(failed.offset()));

            // the resend pays the same attempt with the identical request, then the commit moves past everything
            awaitChannelMessage("WEB", failing);
            PaymentAttempt attempt = onlyAttempt(failing);
            assertThat(sandbox.requests("pay", attempt.paymentRequestId())).hasSize(2);
            long expected = lastInItsPartition + 1;
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                OffsetAndMetadata c = committed(partition);
                return c != null && c.offset() >= expected;
            });
        }
    }

    @Test
    void manyOrdersWithASlowAntomCompleteTogether() throws Exception {
        int orders = 200;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < orders; i++) {
            ids.add(newOrderId());
        }
        long commitsBefore = databaseCommits();
        double writesBefore = meters.counter("checkout.ledger.group.commit.writes").count();
        double groupCommitsBefore = meters.counter("checkout.ledger.group.commit.commits").count();
        long start = System.nanoTime();
        List<java.util.concurrent.Future<RecordMetadata>> sends = new ArrayList<>();
        for (String orderId : ids) {
            sends.add(producer().send(new ProducerRecord<>(ordersTopic, orderId, json.writeValueAsString(order(orderId)))));
        }
        for (var s : sends) {
            s.get();
        }
        // waits on the channel messages (Kafka), not on the ledger: the database counts only the application's work
        java.util.Set<String> waiting = new java.util.HashSet<>(ids);
        Awaitility.await().atMost(Duration.ofSeconds(180)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    waiting.removeIf(orderId -> !channelMessages("WEB", orderId).isEmpty());
                    return waiting.isEmpty();
                });
        double seconds = (System.nanoTime() - start) / 1e9;
        // sequential with 3 consumers and 300 ms per answer would take about 200 x 0.3 / 3 = 20 s
        System.out.printf("key-ordered: %d orders with Antom at 300 ms in %.1f s, %.1f orders/s (max-in-flight 16)%n",
                orders, seconds, orders / seconds);
        // every transaction of the database while the orders ran (ledger, outbox relay, janitor, Quartz; a read
        // outside a transaction counts as one too), per order;
        // PostgreSQL publishes a session's counters within a second
        long commits = Awaitility.await().pollDelay(Duration.ofMillis(1500)).until(this::databaseCommits, c -> true)
                - commitsBefore;
        System.out.printf("key-ordered: %d database commits for %d orders, %.2f per order (group commit batch %d)%n",
                commits, orders, commits / (double) orders, groupCommitMaxBatch);
        double writes = meters.counter("checkout.ledger.group.commit.writes").count() - writesBefore;
        double groupCommits = meters.counter("checkout.ledger.group.commit.commits").count() - groupCommitsBefore;
        System.out.printf("key-ordered: order path ledger writes %.0f in %.0f commits (%.2f writes per commit)%n",
                writes, groupCommits, writes / Math.max(1, groupCommits));
        assertOnePaymentEach(ids, "key-ordered");
    }

    private long databaseCommits() {
        return jdbc.queryForObject("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()",
                Long.class);
    }

    @Test
    void aRebalanceWithOrdersInFlightLosesNoneAndPaysNoneTwice() throws Exception {
        // Antom answers in 2 s here: 60 orders, 16 at a time, take about 8 s, so the second member's join (a second or
        // more) always finds orders in flight; at 300 ms all 60 were sometimes answered before it
        assertThat(antomTimeout).as("checkout.antom.timeout").isEqualTo(Duration.ofSeconds(5));
        sandbox.latencyMs(2000);
        try {
            rebalanceWithOrdersInFlight();
        } finally {
            sandbox.latencyMs(-1);
        }
    }

    private void rebalanceWithOrdersInFlight() throws Exception {
        List<String> ids = new ArrayList<>();
        Map<String, java.util.concurrent.Future<RecordMetadata>> sent = new java.util.HashMap<>();
        for (int i = 0; i < 60; i++) {
            String orderId = newOrderId();
            ids.add(orderId);
            sent.put(orderId, producer().send(new ProducerRecord<>(ordersTopic, orderId,
                    json.writeValueAsString(order(orderId)))));
        }
        producer().flush();
        Map<String, TopicPartition> partitionOf = new java.util.HashMap<>();
        for (String orderId : ids) {
            partitionOf.put(orderId, new TopicPartition(ordersTopic, sent.get(orderId).get().partition()));
        }
        // a second member joins the group while orders wait for Antom: partitions move away, orders in flight. It
        // takes partition 0 (the range assignor gives the members' first partitions in the order of their ids, and
        // its id sorts first), so it asks once an order of partition 0 waits for Antom: the lanes' places go to the
        // partitions in no set order, and at times none of one partition's orders is running
        TopicPartition first = new TopicPartition(ordersTopic, 0);
        // counted as the member asks to join: once the partitions have moved, the lanes may have finished these
        // (a revoked partition's orders in flight are finished and committed, CI once saw the join take 2.7 s)
        List<String> waitingAtAsk = Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> ids.stream().filter(id -> ledger.attemptsOf(id).stream()
                        .anyMatch(a -> a.state() == PaymentState.REQUESTED)).toList(),
                        waiting -> waiting.stream().anyMatch(id -> first.equals(partitionOf.get(id))));
        long waitingAtJoin = waitingAtAsk.size();
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "0-rebalance-test"); // sorts first: the range assignor gives it partitions
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Set<TopicPartition> taken;
        try (KafkaConsumer<String, String> member = new KafkaConsumer<>(p, new StringDeserializer(),
                new StringDeserializer())) {
            member.subscribe(List.of(ordersTopic));
            taken = Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                member.poll(Duration.ofMillis(100)); // fetches records of its partitions and never commits them
                return member.assignment();
            }, assignment -> !assignment.isEmpty());
            // the instance handed those partitions over inside the rebalance: their orders waiting for Antom ended and
            // were committed first, and none is left running there beside the member that now owns them
            Set<TopicPartition> moved = taken;
            List<String> handedOverRunning = ids.stream().filter(id -> moved.contains(partitionOf.get(id)))
                    .filter(id -> ledger.attemptsOf(id).stream().anyMatch(a -> a.state() == PaymentState.REQUESTED))
                    .toList();
            List<PaymentState> states = ids.stream().map(id -> ledger.attemptsOf(id).stream().findFirst()
                    .map(PaymentAttempt::state).orElse(PaymentState.CREATED)).toList();
            long inFlight = states.stream().filter(state -> state == PaymentState.REQUESTED).count();
            long notStarted = states.stream().filter(state -> state == PaymentState.CREATED).count();
            System.out.printf("rebalance: the second member asked to join with %d orders waiting for Antom and took %s "
                    + "with %d waiting and %d not started%n", waitingAtJoin, taken, inFlight, notStarted);
            assertThat(waitingAtJoin).as("orders waiting for Antom when the second member asked to join").isPositive();
            // no "orders unfinished once the partitions had moved" any more: the hand-over finishes the orders in
            // flight before the partitions move, and a slow join (CI) lets the rest finish too; that orders of the
            // member's partition were waiting for Antom when it asked is the scenario (asserted below)
            assertThat(handedOverRunning).as("orders of the partitions the member took still waiting for Antom at the "
                    + "instance when it got them").isEmpty();
            // and the member reads on after them: the commit it was handed is the lowest order of its partition that
            // the instance had not started (orders of different orderIds start in any order), past every one finished
            assertThat(waitingAtAsk).as("orders of the partitions the member took that were waiting for Antom when it "
                    + "asked to join").anyMatch(id -> moved.contains(partitionOf.get(id)));
            Map<TopicPartition, OffsetAndMetadata> handedCommits = member.committed(moved);
            for (TopicPartition partition : moved) {
                List<String> ofPartition = ids.stream().filter(id -> partition.equals(partitionOf.get(id))).toList();
                long afterAll = ofPartition.stream().mapToLong(id -> offsetOf(sent.get(id))).max().orElse(-1) + 1;
                long expected = ofPartition.stream().filter(id -> ledger.attemptsOf(id).isEmpty())
                        .mapToLong(id -> offsetOf(sent.get(id))).min().orElse(afterAll);
                assertThat(handedCommits.get(partition).offset())
                        .as("the commit of %s when the member got it", partition).isEqualTo(expected);
            }
        } // it leaves: its partitions come back and are read again from their commits

        java.util.Set<String> waiting = new java.util.HashSet<>(ids);
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).until(() -> {
            waiting.removeIf(orderId -> ledger.attemptsOf(orderId).stream()
                    .anyMatch(a -> a.state() == PaymentState.PENDING));
            return waiting.isEmpty();
        });
        assertOnePaymentEach(ids, "rebalance");
        for (String orderId : ids) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> channelMessages("WEB", orderId).size() == 1);
        }
    }

    /**
     * The contract is one payment per order: one attempt, one paymentRequestId, one payment at Antom. A call sent
     * again with that id (an order that failed for the infrastructure after Antom answered, e.g. no database
     * connection within Hikari's 1 s on a loaded CI machine; the rebalance test once saw two calls of one order a
     * second apart in CI, both answered PAYMENT_IN_PROCESS) is Antom's idempotent resend, not a second payment: it is
     * reported, and fails the test only when it is more than the exception.
     */
    private void assertOnePaymentEach(List<String> ids, String label) {
        int resends = 0;
        for (String orderId : ids) {
            String paymentRequestId = onlyAttempt(orderId).paymentRequestId();
            assertThat(sandbox.payment(paymentRequestId)).as(orderId).isPresent();
            List<ApiCall> calls = sandbox.requests("pay", paymentRequestId);
            assertThat(calls).as(orderId).isNotEmpty();
            if (calls.size() > 1) {
                resends += calls.size() - 1;
                System.out.printf("%s: %s paid with %d calls of one paymentRequestId: %s%n", label, orderId,
                        calls.size(), calls);
            }
        }
        System.out.printf("%s: %d pay calls sent again of %d orders%n", label, resends, ids.size());
        assertThat(resends).as("resends are the exception, not the rule").isLessThanOrEqualTo(ids.size() / 20);
    }

    private static long offsetOf(java.util.concurrent.Future<RecordMetadata> sent) {
        try {
            return sent.get().offset();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private RecordMetadata send(String orderId) throws Exception {
        return producer().send(new ProducerRecord<>(ordersTopic, orderId, json.writeValueAsString(order(orderId)))).get();
    }

    private synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        }
        return producer;
    }

    private OffsetAndMetadata committed(TopicPartition partition) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            return admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get().get(partition);
        }
    }
}
