package com.checkoutroutes.orderintake;

import static org.assertj.core.api.Assertions.assertThat;

import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.sandbox.ApiCall;
import com.checkoutroutes.testsupport.CrashPoints;
import com.checkoutroutes.testsupport.FlowTestSupport;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Redelivery never pays twice: a duplicate publish and a crash before the offset commit each end with exactly one
 * attempt, and with one pay request when the outcome was already durable.
 */
class RedeliveryTest extends FlowTestSupport {

    @org.springframework.beans.factory.annotation.Autowired
    com.checkoutroutes.ledger.OrderCancellations cancellations;

    @Test
    void theSameOrderDeliveredTwiceMakesOnePayment() throws Exception {
        String orderId = newOrderId();
        String message = json.writeValueAsString(order(orderId));
        kafka().publish(ordersTopic, orderId, message);
        kafka().publish(ordersTopic, orderId, message);
        ordersProcessedUpTo(orderId);

        PaymentAttempt attempt = onlyAttempt(orderId);
        assertThat(sandbox.requests("pay", attempt.paymentRequestId())).hasSize(1);
        assertThat(channelMessages("WEB", orderId)).hasSize(1);
    }

    @Test
    void aCrashAfterTheOutcomeIsDurableButBeforeTheCommitDoesNotCallAntomAgain() {
        String orderId = newOrderId();
        crashPoints.armFor(orderId, CrashPoints.AFTER_OUTCOME_RECORDED, 1);
        publish(order(orderId));
        ordersProcessedUpTo(orderId);

        assertThat(crashPoints.pending()).as("the crash happened").isZero();
        PaymentAttempt attempt = onlyAttempt(orderId);
        assertThat(attempt.state()).isEqualTo(PaymentState.PENDING);
        assertThat(sandbox.requests("pay", attempt.paymentRequestId())).hasSize(1);
        assertThat(channelMessages("WEB", orderId)).hasSize(1);
    }

    @Test
    void aCrashBeforeTheOutcomeIsRecordedResendsTheIdenticalRequestAndGetsTheSamePayment() {
        // this order's crash: a janitor's resend of another test's attempt passes the same point
        String orderId = newOrderId();
        crashPoints.armFor(orderId, CrashPoints.AFTER_ANTOM_CALL, 1);
        publish(order(orderId));
        ordersProcessedUpTo(orderId);

        assertThat(crashPoints.pending()).isZero();
        PaymentAttempt attempt = onlyAttempt(orderId);
        List<ApiCall> calls = sandbox.requests("pay", attempt.paymentRequestId());
        assertThat(calls).hasSize(2).allSatisfy(call -> assertThat(call.signatureValid()).isTrue());
        assertThat(calls).extracting(ApiCall::resultCode).containsOnly("PAYMENT_IN_PROCESS");
        assertThat(attempt.paymentId()).isEqualTo(sandbox.payment(attempt.paymentRequestId()).orElseThrow()
                .path("paymentId").asText());
        assertThat(channelMessages("WEB", orderId)).hasSize(1);
    }

    /**
     * The order was cancelled between Antom's answer and its record (the crash), and is read again: its stored pay is
     * not sent again, which would give the buyer a link to pay a cancelled order; the attempt waits for the janitor.
     */
    @Test
    void anOrderReadAgainAfterItsCancellationIsNotSentAgain() throws Exception {
        String orderId = newOrderId();
        readAgainAfter(orderId, () -> cancellations.keep(orderId, "ORDER_CANCELLED", null, 1));
    }

    /**
     * An order whose pay's answer was never recorded is read again only after its expiry (the instance was down
     * meanwhile): its stored pay is not sent again, which would open a payment at Antom that the janitor then cancels
     * (giving back what the buyer paid in between); the attempt waits for the janitor, which closes it.
     */
    @Test
    void anOrderReadAgainAfterItsExpiryIsNotSentAgain() throws Exception {
        readAgainAfter(newOrderId(), () -> clock.advance(java.time.Duration.ofMinutes(15))); // a wallet's 14 minutes
    }

    /**
     * The order's pay reached Antom, then the process failed before its answer was recorded, and {@code meanwhile}
     * happened before the order was read again: its stored pay is not sent again (one pay call, the attempt still
     * REQUESTED, the buyer's channel told nothing); the janitor's jobs are stopped throughout.
     */
    private void readAgainAfter(String orderId, Runnable meanwhile) throws Exception {
        try (AutoCloseable jobs = scheduledJobsStopped()) {
            crashPoints.armFor(orderId, CrashPoints.AFTER_ANTOM_CALL, 1, message -> {
                meanwhile.run();
                return new org.springframework.dao.TransientDataAccessResourceException(message);
            });
            publish(order(orderId));
            ordersProcessedUpTo(orderId);

            assertThat(crashPoints.pending()).isZero();
            PaymentAttempt attempt = onlyAttempt(orderId);
            assertThat(sandbox.requests("pay", attempt.paymentRequestId())).hasSize(1);
            assertThat(attempt.state()).isEqualTo(PaymentState.REQUESTED);
            assertThat(channelMessages("WEB", orderId)).isEmpty();
        }
    }

    @Test
    void aBugInOneOrderIsRetriedTwiceThenDeadLetteredWithItsReasonAndFreesItsPartition() throws Exception {
        // the janitor sends a pay still REQUESTED and processing at Antom again: only the redeliveries' are counted
        try (AutoCloseable janitor = scheduledJobsStopped()) {
            // a surprise (not the database, not Kafka, not the order's fault) after Antom answered, every time
            String orderId = newOrderId();
            crashPoints.armFor(orderId, CrashPoints.AFTER_ANTOM_CALL, 3, IllegalStateException::new);
            publish(order(orderId));

            JsonNode letter = awaitDeadLetter(orderId);
            assertThat(letter.path("reason").path("code").asText()).isEqualTo("PROCESSING_ERROR");
            assertThat(letter.path("reason").path("message").asText()).contains("IllegalStateException");
            assertThat(crashPoints.pending()).as("the first try and two redeliveries, then the dead letter").isZero();
            PaymentAttempt attempt = onlyAttempt(orderId);
            assertThat(sandbox.requests("pay", attempt.paymentRequestId())).as("redeliveries resend the same request")
                    .hasSize(3);
            ordersProcessedUpTo(orderId); // its key and partition move on
        }
    }

    @Test
    void aRejectedOrderIsDeadLetteredAtOnceWithoutRedelivery() {
        String orderId = newOrderId();
        crashPoints.armFor(orderId, CrashPoints.AFTER_ANTOM_CALL, 1,
                message -> new com.checkoutroutes.deadletter.RejectedOrderException("TEST_REJECTED", "$", message));
        publish(order(orderId));

        JsonNode letter = awaitDeadLetter(orderId);
        assertThat(letter.path("reason").path("code").asText()).isEqualTo("TEST_REJECTED");
        assertThat(sandbox.requests("pay", onlyAttempt(orderId).paymentRequestId())).hasSize(1);
    }

    /**
     * The same attempt number again with another capture mode is another payment (money held until shipment, or taken
     * at once): refused, and the stored one is not sent again as if it were the same.
     */
    @Test
    void theSameAttemptWithAnotherCaptureModeIsRefused() {
        String orderId = newOrderId();
        publish(cardOrder(orderId, "MANUAL"));
        awaitChannelMessage("WEB", orderId);
        PaymentAttempt stored = onlyAttempt(orderId);

        publish(cardOrder(orderId, "AUTOMATIC"));

        JsonNode letter = read(kafka().await(deadLetterTopic, r -> r.value().contains(orderId)
                && r.value().contains("ATTEMPT_CHANGED")).value());
        assertThat(letter.path("reason").path("field").asText()).isEqualTo("$.attempt");
        assertThat(onlyAttempt(orderId).captureMode()).isEqualTo("MANUAL");
        assertThat(sandbox.requests("pay", stored.paymentRequestId())).hasSize(1);
    }

    /**
     * An order read again once its paymentExpiryTime has passed (a restart or rebalance held its commit back) is its
     * stored attempt: not dead-lettered as INVALID_EXPIRY, which told the order system "rejected" after it was paid.
     */
    @Test
    void anOrderReadAgainAfterItsExpiryIsItsStoredAttemptNotARejection() throws Exception {
        String orderId = newOrderId();
        Map<String, Object> order = order(orderId);
        order.put("paymentExpiryTime", java.time.OffsetDateTime.now(clock).plusMinutes(10).toString());
        String message = json.writeValueAsString(order);
        kafka().publish(ordersTopic, orderId, message);
        PaymentAttempt stored = org.awaitility.Awaitility.await()
                .until(() -> onlyAttempt(orderId), a -> a.state() == PaymentState.PENDING);
        sandbox.buyerAction(stored.paymentId(), com.checkoutroutes.sandbox.OutcomeScript.Outcome.PAY);
        awaitState(stored, PaymentState.SUCCEEDED);

        clock.advance(java.time.Duration.ofMinutes(11));
        kafka().publish(ordersTopic, orderId, message);
        ordersProcessedUpTo(orderId);

        assertThat(kafka().matching(deadLetterTopic, r -> r.value().contains(orderId)
                && !r.value().contains("sentinel"))).as("the sentinel's own dead letter aside").isEmpty();
        assertThat(onlyAttempt(orderId).state()).isEqualTo(PaymentState.SUCCEEDED);
        assertThat(sandbox.requests("pay", stored.paymentRequestId())).hasSize(1);
        // a repeat breaking a rule that does not move with time is refused with that rule's reason
        Map<String, Object> onAPc = new java.util.HashMap<>(order);
        onAPc.put("channel", Map.of("terminalType", "PC", "clientIp", "203.0.113.7"));
        kafka().publish(ordersTopic, orderId, json.writeValueAsString(onAPc));
        assertThat(read(kafka().await(deadLetterTopic, r -> r.value().contains(orderId)
                && !r.value().contains("sentinel")).value()).path("reason").path("code").asText())
                .isEqualTo("UNKNOWN_TERMINAL_TYPE");
        assertThat(onlyAttempt(orderId).state()).isEqualTo(PaymentState.SUCCEEDED);
        // a new attempt with that expiry is still refused
        Map<String, Object> late = new java.util.HashMap<>(order);
        late.put("orderId", orderId + "-late");
        publish(late);
        assertThat(awaitDeadLetter(orderId + "-late").path("reason").path("code").asText())
                .isEqualTo("INVALID_EXPIRY");
    }

    @Test
    void aDeliberateNewAttemptGetsANewPaymentRequestIdForTheSameOrder() {
        String orderId = newOrderId();
        Map<String, Object> first = cardOrder(orderId, null);
        first.put("amount", Map.of("currency", "USD", "value", "20051")); // the sandbox's declined card
        publish(first);
        assertThat(awaitChannelMessage("WEB", orderId).path("action").asText()).isEqualTo("FAILED");

        Map<String, Object> retry = order(orderId);
        retry.put("attempt", 2);
        publish(retry);
        awaitChannelMessage("WEB", orderId);
        List<PaymentAttempt> attempts = org.awaitility.Awaitility.await()
                .until(() -> ledger.attemptsOf(orderId), list -> list.size() == 2);
        assertThat(attempts.get(0).paymentRequestId()).isNotEqualTo(attempts.get(1).paymentRequestId());
        assertThat(read(attempts.get(1).requestJson()).path("order").path("referenceOrderId").asText())
                .isEqualTo(orderId);

        // once an attempt succeeded, a further attempt is refused before Antom is called
        publish(cardOrder(orderId + "-p", null));
        assertThat(awaitChannelMessage("WEB", orderId + "-p").path("action").asText()).isEqualTo("PAID");
        Map<String, Object> again = cardOrder(orderId + "-p", null);
        again.put("attempt", 2);
        publish(again);
        JsonNode refused = read(kafka().await(deadLetterTopic, r -> r.value().contains(orderId + "-p")
                && r.value().contains("ORDER_ALREADY_PAID")).value());
        assertThat(refused.path("orderId").asText()).isEqualTo(orderId + "-p");
        assertThat(ledger.attemptsOf(orderId + "-p")).hasSize(1);
    }
}
