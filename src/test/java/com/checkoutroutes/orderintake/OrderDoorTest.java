package com.checkoutroutes.orderintake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.checkoutroutes.ledger.OrderCancellations;
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.orderintake.OrderCorpus.Case;
import com.checkoutroutes.testsupport.FlowTestSupport;
import com.checkoutroutes.testsupport.ServiceHttp;
import com.checkoutroutes.testsupport.ServiceHttp.Answer;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/**
 * POST /orders (routes/orders-http.yaml) reads an order as the order route does before publishing it: the caller
 * hears 400 with the reasons and nothing is published, or 202 with the order's lookup; a repeat is answered as one.
 */
class OrderDoorTest extends FlowTestSupport {

    @Value("${checkout.http.orders-path}")
    String ordersPath;
    @Autowired
    OrderCancellations cancellations;
    ServiceHttp http;

    static Stream<Arguments> corpus() {
        return OrderCorpus.cases().stream().map(c -> arguments(named(c.name(), c)));
    }

    @BeforeEach
    void caller() {
        http = new ServiceHttp(port, managementPort);
    }

    @Test
    void aValidOrderIsPublishedAndAnsweredWithItsLookupThenARepeatIsAnsweredAsOne() {
        String orderId = newOrderId();
        byte[] order = OrderCorpus.valid(orderId).getBytes(StandardCharsets.UTF_8);

        Answer accepted = http.postJson(ordersPath, order);

        assertThat(accepted.status()).isEqualTo(202);
        JsonNode body = read(accepted.body());
        assertThat(body.path("accepted").asBoolean()).isTrue();
        assertThat(body.path("orderId").asText()).isEqualTo(orderId);
        assertThat(body.path("lookup").asText()).isEqualTo("/payments/" + orderId);
        awaitChannelMessage("WEB", orderId);
        assertThat(http.get(body.path("lookup").asText()).status()).isEqualTo(200);

        Answer repeat = http.postJson(ordersPath, order);

        assertThat(repeat.status()).isEqualTo(200);
        assertThat(read(repeat.body()).path("status").asText()).isEqualTo("ALREADY_ACCEPTED");
        assertThat(read(repeat.body()).path("state").asText()).isEqualTo("PENDING");
        Answer other = http.postJson(ordersPath, OrderCorpus.valid(orderId).replace("\"1250\"", "\"1300\"")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(other.status()).as("the same attempt with another amount").isEqualTo(409);
        Answer otherMethod = http.postJson(ordersPath, OrderCorpus.valid(orderId).replace("\"ALIPAY_CN\"",
                "\"GCASH\"").getBytes(StandardCharsets.UTF_8));
        assertThat(otherMethod.status()).as("the same attempt with another method, as the order route would refuse it")
                .isEqualTo(409);
        assertThat(read(otherMethod.body()).path("status").asText()).isEqualTo("ATTEMPT_EXISTS_WITH_OTHER_TERMS");
        ordersProcessedUpTo(orderId);
        // keyed by its orderId, as the order system's own records: its lane, its partition (the sentinel
        // ordersProcessedUpTo sends has the same key, and is not the order)
        assertThat(kafka().matching(ordersTopic, r -> orderId.equals(r.key()) && !r.value().contains("sentinel")))
                .as("published once, keyed by its orderId").hasSize(1);
        assertThat(ledger.attemptsOf(orderId)).hasSize(1);
    }

    /** Posted again once its expiry passed, an accepted order is answered as the one the ledger has, not 400. */
    @Test
    void anOrderPostedAgainAfterItsExpiryIsAnsweredAsTheOneAccepted() throws Exception {
        String orderId = newOrderId();
        Map<String, Object> order = order(orderId);
        order.put("paymentExpiryTime", java.time.OffsetDateTime.now(clock).plusMinutes(10).toString());
        byte[] body = json.writeValueAsBytes(order);
        assertThat(http.postJson(ordersPath, body).status()).isEqualTo(202);
        awaitChannelMessage("WEB", orderId);

        clock.advance(Duration.ofMinutes(11));
        Answer again = http.postJson(ordersPath, body);

        assertThat(again.status()).isEqualTo(200);
        assertThat(read(again.body()).path("status").asText()).isEqualTo("ALREADY_ACCEPTED");
        // so is the order as first sent, naming no method, once its buyer chose: it is that attempt, not consulted
        Map<String, Object> withoutMethod = new java.util.HashMap<>(order);
        withoutMethod.remove("paymentMethodType");
        Answer asFirstSent = http.postJson(ordersPath, json.writeValueAsBytes(withoutMethod));
        assertThat(asFirstSent.status()).isEqualTo(200);
        assertThat(read(asFirstSent.body()).path("status").asText()).isEqualTo("ALREADY_ACCEPTED");
    }

    /**
     * A new attempt of an order paid or cancelled already is answered 409 with the code the order route would
     * dead-letter it with, and is not published (it was answered 202 and then dead-lettered).
     */
    @Test
    void aNewAttemptOfAPaidOrACancelledOrderGets409AndIsNotPublished() throws Exception {
        PaymentAttempt paid = paidWallet();
        Map<String, Object> again = order(paid.orderId());
        again.put("attempt", 2);

        Answer afterPayment = http.postJson(ordersPath, json.writeValueAsBytes(again));

        assertThat(afterPayment.status()).isEqualTo(409);
        assertThat(read(afterPayment.body()).path("status").asText()).isEqualTo("ORDER_ALREADY_PAID");
        assertThat(read(afterPayment.body()).path("accepted").asBoolean()).isFalse();

        String replacedId = newOrderId();
        Map<String, Object> second = order(replacedId);
        second.put("attempt", 2);
        publish(second);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !ledger.attemptsOf(replacedId).isEmpty());
        Answer olderAttempt = http.postJson(ordersPath, json.writeValueAsBytes(order(replacedId)));
        assertThat(olderAttempt.status()).as("an attempt a later one replaced").isEqualTo(409);
        assertThat(read(olderAttempt.body()).path("status").asText()).isEqualTo("ATTEMPT_SUPERSEDED");
        Answer olderWithoutMethod = http.postJson(ordersPath, json.writeValueAsBytes(orderWithoutMethod(replacedId)));
        assertThat(olderWithoutMethod.status()).as("nor is its buyer asked to choose a method").isEqualTo(409);
        assertThat(read(olderWithoutMethod.body()).path("status").asText()).isEqualTo("ATTEMPT_SUPERSEDED");

        String cancelledId = newOrderId();
        orderEvent(cancelledId, "ORDER_CANCELLED");
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> cancellations.cancelled(cancelledId));

        Answer afterCancellation = http.postJson(ordersPath, OrderCorpus.valid(cancelledId)
                .getBytes(StandardCharsets.UTF_8));

        assertThat(afterCancellation.status()).isEqualTo(409);
        assertThat(read(afterCancellation.body()).path("status").asText()).isEqualTo("ORDER_CANCELLED");
        Answer withoutMethod = http.postJson(ordersPath, json.writeValueAsBytes(orderWithoutMethod(cancelledId)));
        assertThat(withoutMethod.status()).as("nor is its buyer asked to choose a method").isEqualTo(409);
        assertThat(read(withoutMethod.body()).path("status").asText()).isEqualTo("ORDER_CANCELLED");
        ordersProcessedUpTo(paid.orderId());
        ordersProcessedUpTo(cancelledId);
        ordersProcessedUpTo(replacedId);
        assertThat(kafka().matching(ordersTopic, r -> !r.value().contains("sentinel")
                && (paid.orderId().equals(r.key()) || cancelledId.equals(r.key()) || replacedId.equals(r.key()))))
                .as("only the paid order's first attempt and the replaced order's second were published").hasSize(2);
        assertThat(ledger.attemptsOf(cancelledId)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void eachBadOrderGets400WithItsReasonAndIsNotPublished(Case c) {
        String orderId = newOrderId();

        Answer answer = http.postJson(ordersPath, c.body().apply(orderId));

        assertThat(answer.status()).as("%s: %s", c.name(), answer.body()).isEqualTo(400);
        JsonNode reason = read(answer.body()).path("reasons").get(0);
        assertThat(reason.path("code").asText()).as(c.name()).isEqualTo(c.code());
        assertThat(reason.path("field").isNull() ? null : reason.path("field").asText()).as(c.name()).isEqualTo(c.field());
        // the door publishes before it answers 202, so a 400 means nothing was sent
        assertThat(kafka().matching(ordersTopic, r -> r.value().contains(orderId))).as(c.name()).isEmpty();
    }
}
