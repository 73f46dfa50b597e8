package com.checkoutroutes.testsupport;

import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentLedger;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.sandbox.FaultRule;
import com.checkoutroutes.sandbox.FaultType;
import com.checkoutroutes.sandbox.OutcomeScript;
import com.checkoutroutes.sandbox.SandboxServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * The whole application against the real broker, PostgreSQL and the in-process Antom sandbox. Tests talk to it
 * only as the order system, the channels and Antom would: Kafka topics, HTTP and the sandbox. Tagged {@code flow}
 * (inherited): {@code ./mvnw -Pfast test} leaves these out, {@code ./mvnw test -Dgroups=flow} runs only them.
 */
@Tag("flow")
// metrics export stays on, as in production: operators scrape /actuator/prometheus
@AutoConfigureObservability
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@Import({TestClockConfiguration.class, CrashPoints.Wiring.class})
public abstract class FlowTestSupport {

    private static TopicWatcher watcher;

    @Autowired
    protected SandboxServer sandbox;
    @Autowired
    protected PaymentLedger ledger;
    @Autowired
    protected ObjectMapper json;
    @Autowired
    protected CrashPoints crashPoints;
    @Autowired
    protected MutableClock clock;
    @Autowired
    private org.apache.camel.CamelContext camelContext;
    /** This context's HTTP port (the notification endpoint, the operator API). */
    @Value("${server.port}")
    protected int port;
    /** The actuator's port (health, probes, metrics, prometheus), on loopback. */
    @Value("${management.server.port}")
    protected int managementPort;
    @Value("${checkout.notifications.path}")
    protected String notificationsPath;
    @Value("${checkout.antom.client-id}")
    protected String antomClientId;
    @Value("${checkout.topics.orders}")
    protected String ordersTopic;
    @Value("${checkout.topics.dead-letter}")
    protected String deadLetterTopic;
    @Value("${checkout.topics.results}")
    protected String resultsTopic;
    @Value("${checkout.topics.order-events}")
    protected String orderEventsTopic;
    @Value("${camel.component.kafka.brokers}")
    private String brokers;
    @Value("${spring.datasource.url}")
    private String databaseUrl;

    /** This context's own path to PostgreSQL, which a test may cut or silence. */
    protected DatabaseLink databaseLink() {
        return DatabaseLink.serving(databaseUrl);
    }

    protected synchronized TopicWatcher kafka() {
        if (watcher == null) {
            watcher = new TopicWatcher(brokers);
        }
        return watcher;
    }

    @AfterEach
    void resetSandboxAndCrashes() {
        sandbox.clearFaults();
        sandbox.clearScripts();
        crashPoints.disarm();
        clock.reset();
    }

    /** Antom, as far as notifications go: signs with the sandbox's Antom key and posts to this context. */
    protected AntomNotifier antomNotifier() {
        return new AntomNotifier(port, notificationsPath, antomClientId);
    }

    protected static String newOrderId() {
        return "ORD-" + UUID.randomUUID().toString().substring(0, 13);
    }

    /** A valid order for an e-wallet on a PC browser; tests change what they need. */
    protected static Map<String, Object> order(String orderId) {
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("orderId", orderId);
        order.put("amount", new LinkedHashMap<>(Map.of("currency", "USD", "value", "1250")));
        order.put("description", "Two cups of coffee");
        order.put("paymentMethodType", "ALIPAY_CN");
        order.put("integration", "API");
        order.put("channel", new LinkedHashMap<>(Map.of("terminalType", "WEB", "clientIp", "203.0.113.7")));
        order.put("buyer", Map.of("referenceBuyerId", "buyer-42"));
        order.put("resultPageUrl", "https://shop.example/orders/" + orderId + "/result");
        return order;
    }

    /** A valid card order; {@code captureMode} null leaves Antom's default, AUTOMATIC. */
    protected static Map<String, Object> cardOrder(String orderId, String captureMode) {
        Map<String, Object> order = order(orderId);
        order.put("paymentMethodType", "CARD");
        if (captureMode != null) {
            order.put("captureMode", captureMode);
        }
        return order;
    }

    /** A valid order that names no payment method: Antom's consult gives the buyer the methods to choose from. */
    protected static Map<String, Object> orderWithoutMethod(String orderId) {
        Map<String, Object> order = order(orderId);
        order.remove("paymentMethodType");
        return order;
    }

    protected void publish(Map<String, Object> order) {
        try {
            kafka().publish(ordersTopic, (String) order.get("orderId"), json.writeValueAsString(order));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    protected JsonNode awaitChannelMessage(String terminal, String orderId) {
        ConsumerRecord<String, String> record = kafka().await("checkout.continuations." + terminal.toLowerCase(),
                r -> orderId.equals(r.key()));
        return read(record.value());
    }

    protected List<JsonNode> channelMessages(String terminal, String orderId) {
        return kafka().matching("checkout.continuations." + terminal.toLowerCase(), r -> orderId.equals(r.key()))
                .stream().map(r -> read(r.value())).toList();
    }

    protected JsonNode awaitDeadLetter(String marker) {
        return read(kafka().await(deadLetterTopic, r -> r.value().contains(marker)).value());
    }

    protected PaymentAttempt onlyAttempt(String orderId) {
        List<PaymentAttempt> attempts = Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> ledger.attemptsOf(orderId), list -> !list.isEmpty());
        if (attempts.size() != 1) {
            throw new AssertionError("expected one attempt for " + orderId + " but found " + attempts.size());
        }
        return attempts.get(0);
    }

    /** An e-wallet order whose buyer holds the continuation. */
    protected PaymentAttempt pendingWallet() {
        String orderId = newOrderId();
        publish(order(orderId));
        awaitChannelMessage("WEB", orderId);
        return Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> onlyAttempt(orderId), a -> a.state() == PaymentState.PENDING);
    }

    /** An e-wallet order the sandbox's buyer paid, applied from Antom's notification. */
    protected PaymentAttempt paidWallet() {
        PaymentAttempt pending = pendingWallet();
        sandbox.buyerAction(pending.paymentId(), OutcomeScript.Outcome.PAY);
        return Awaitility.await().atMost(Duration.ofSeconds(20)).until(
                () -> ledger.find(pending.paymentRequestId()).orElseThrow(), a -> a.state() == PaymentState.SUCCEEDED);
    }

    /** The order's first attempt, and once its buyer holds the continuation, a deliberate second attempt. */
    protected void publishTwoAttempts(String orderId) {
        publish(order(orderId));
        awaitChannelMessage("WEB", orderId);
        Map<String, Object> retry = order(orderId);
        retry.put("attempt", 2);
        publish(retry);
    }

    /** An order's two attempts ({@link #publishTwoAttempts}), once both are PENDING, in attempt order. */
    protected List<PaymentAttempt> twoPendingAttempts(String orderId) {
        publishTwoAttempts(orderId);
        return Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> ledger.attemptsOf(orderId),
                l -> l.size() == 2 && l.stream().allMatch(a -> a.state() == PaymentState.PENDING));
    }

    /**
     * An order paid twice whose second payment the service could not give back (Antom answered its cancel 503, a
     * fault this leaves on): the order's own payment, then the second, SUCCEEDED and flagged CANCEL_NOT_DONE.
     */
    protected List<PaymentAttempt> paidTwiceSecondNotGivenBack() {
        List<PaymentAttempt> two = twoPendingAttempts(newOrderId());
        sandbox.addFault(FaultRule.of(FaultType.HTTP_5XX).forApi("cancel")
                .forPaymentRequestId(two.get(1).paymentRequestId()).withTimes(0));
        sandbox.buyerAction(two.get(0).paymentId(), OutcomeScript.Outcome.PAY);
        awaitState(two.get(0), PaymentState.SUCCEEDED);
        sandbox.buyerAction(two.get(1).paymentId(), OutcomeScript.Outcome.PAY);
        PaymentAttempt second = Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> ledger.find(two.get(1).paymentRequestId()).orElseThrow(), a -> a.flagged()
                        && a.state() == PaymentState.SUCCEEDED && a.flagReason().contains("CANCEL_NOT_DONE"));
        return List.of(two.get(0), second);
    }

    /** A card order with MANUAL capture, authorised and waiting for its capture (or cancellation). */
    protected PaymentAttempt authorisedCard() {
        String orderId = newOrderId();
        publish(cardOrder(orderId, "MANUAL"));
        return Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> onlyAttempt(orderId), a -> a.state() == PaymentState.AUTHORISED);
    }

    /** The attempt as the ledger has it once it reached {@code state}. */
    protected PaymentAttempt awaitState(PaymentAttempt attempt, PaymentState state) {
        return Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> ledger.find(attempt.paymentRequestId()).orElseThrow(), a -> a.state() == state);
    }

    /** The attempt's state in the ledger now. */
    protected PaymentState state(PaymentAttempt attempt) {
        return ledger.find(attempt.paymentRequestId()).orElseThrow().state();
    }

    /** Publishes a marker event through the same outbox and waits for it: everything before it has left. */
    protected void publishMarkerAndWait() {
        PaymentAttempt marker = pendingWallet();
        kafka().await(resultsTopic, r -> r.value().contains(marker.paymentRequestId()));
    }

    /**
     * Everything published on the orders topic with this key before now has been handled: publishes an invalid
     * order with the same key (so the same partition) and waits for its dead letter.
     */
    protected void ordersProcessedUpTo(String orderId) {
        String marker = orderId + "-sentinel";
        kafka().publish(ordersTopic, orderId, "{\"sentinel\":\"" + marker + "\"");
        awaitDeadLetter(marker);
    }

    /**
     * Everything published on the order-events topic with this key before now has been handled: publishes an event
     * of an unknown type with the same key and waits for its dead letter.
     */
    /**
     * Ships an authorised card while Antom's capture suffers {@code fault} (until the faults are cleared here): the
     * capture's result is unknown, the attempt CAPTURE_REQUESTED.
     */
    protected void shippedWhileTheCaptureFails(PaymentAttempt authorised, FaultRule fault) {
        sandbox.addFault(fault);
        kafka().publish(orderEventsTopic, authorised.orderId(), "{\"eventId\":\"E-" + java.util.UUID.randomUUID()
                + "\",\"type\":\"ORDER_SHIPPED\",\"orderId\":\"" + authorised.orderId() + "\"}");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> ledger.history(authorised.paymentRequestId())
                .stream().anyMatch(c -> c.cause().equals("CAPTURE_RESULT_UNKNOWN")));
        sandbox.clearFaults();
    }

    /** An order event ({@code ORDER_SHIPPED}, {@code ORDER_CANCELLED}...) from the order system, with a new eventId. */
    protected void orderEvent(String orderId, String type) {
        kafka().publish(orderEventsTopic, orderId, "{\"eventId\":\"" + java.util.UUID.randomUUID() + "\",\"type\":\""
                + type + "\",\"orderId\":\"" + orderId + "\"}");
    }

    /**
     * Moves the clock past a send's every try (results.CaptureClaims): a cancellation may now give up a requested
     * capture Antom does not list, and a payment whose cancel had no answer may be refunded, where moments after the
     * send it could still be on its way.
     */
    protected void sendTriesOver() {
        clock.advance(Duration.ofMinutes(1));
    }

    protected void orderEventsProcessedUpTo(String orderId) {
        kafka().publish(orderEventsTopic, orderId, "{\"type\":\"NOT_AN_EVENT\",\"orderId\":\"" + orderId + "\"}");
        kafka().await(deadLetterTopic, r -> orderId.equals(r.key()) && r.value().contains("UNKNOWN_EVENT_TYPE"));
    }

    protected JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Stops the scheduled jobs until closed, for a test that compares ledger snapshots: the janitor moves the payments
     * other test classes left behind on its own, which is not the doing of what the test sent.
     */
    protected AutoCloseable scheduledJobsStopped() throws Exception {
        List<String> jobs = List.of("janitor", "authorisation-guard", "settlement-reconciliation");
        for (String job : jobs) {
            camelContext.getRouteController().stopRoute(job);
        }
        return () -> {
            for (String job : jobs) {
                camelContext.getRouteController().startRoute(job);
            }
        };
    }
}
