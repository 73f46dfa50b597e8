package com.checkoutroutes.shipment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.checkoutroutes.gateway.AntomRefundCalls;
import com.checkoutroutes.gateway.CallOutcome;
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.ledger.RefundLedger;
import com.checkoutroutes.ledger.RefundState;
import com.checkoutroutes.results.AntomRefunds;
import com.checkoutroutes.sandbox.FaultRule;
import com.checkoutroutes.sandbox.FaultType;
import com.checkoutroutes.sandbox.OutcomeScript.Outcome;
import com.checkoutroutes.testsupport.AntomNotifier;
import com.checkoutroutes.testsupport.DemoCredentials;
import com.checkoutroutes.testsupport.FlowTestSupport;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/** "Can order X ship?": each HOLD reason comes from a real scenario, and SHIP only when everything holds. */
class ShipmentChecksTest extends FlowTestSupport {

    @Value("${checkout.topics.shipment-checks}")
    String checksTopic;
    @Value("${checkout.topics.shipment-decisions}")
    String decisionsTopic;
    @Autowired
    AntomRefunds antomRefunds;
    @Autowired
    RefundLedger refunds;
    @Autowired
    ShipmentChecks shipment;
    @Autowired
    AntomRefundCalls refundCalls;

    @Test
    void aPaidOrderShipsOverKafkaAndAFreshConfirmationSkipsTheInquiry() {
        PaymentAttempt paid = paidWallet();
        int inquiries = sandbox.requests("inquiryPayment", paid.paymentRequestId()).size();
        kafka().publish(checksTopic, paid.orderId(), "{\"orderId\":\"" + paid.orderId() + "\",\"requestId\":\"r-1\"}");

        JsonNode decision = read(kafka().await(decisionsTopic, r -> paid.orderId().equals(r.key())).value());
        assertThat(decision.path("decision").asText()).isEqualTo("SHIP");
        assertThat(decision.path("requestId").asText()).isEqualTo("r-1");
        assertThat(decision.path("paymentRequestId").asText()).isEqualTo(paid.paymentRequestId());
        assertThat(sandbox.requests("inquiryPayment", paid.paymentRequestId())).hasSize(inquiries);
    }

    @Test
    void aStaleConfirmationIsCheckedWithAntomBeforeShipping() {
        PaymentAttempt paid = paidWallet();
        clock.advance(Duration.ofMinutes(10));
        int inquiries = sandbox.requests("inquiryPayment", paid.paymentRequestId()).size();

        assertThat(httpDecision(paid.orderId()).path("decision").asText()).isEqualTo("SHIP");
        assertThat(sandbox.requests("inquiryPayment", paid.paymentRequestId())).hasSize(inquiries + 1);
    }

    /**
     * A cancel of the payment may still reach Antom (sent, no answer yet: an expiry's racing the buyer's payment):
     * the order is held until it can no longer arrive, then ships on Antom's confirmation.
     */
    @Test
    void aPaymentWhoseCancelMayStillReachAntomIsHeld() {
        PaymentAttempt paid = paidWallet();
        ledger.claimCancelSend(paid.paymentRequestId(), java.time.OffsetDateTime.now(clock).plusSeconds(30));

        assertHold(paid.orderId(), "CANCEL_IN_PROGRESS");

        sendTriesOver();
        assertThat(httpDecision(paid.orderId()).path("decision").asText()).isEqualTo("SHIP");
    }

    /** A refund made outside this service, whose notification never came, is found by the check's inquiry. */
    @Test
    void aRefundMadeOutsideThisServiceHoldsTheOrder() {
        PaymentAttempt paid = paidWallet();
        sandbox.addFault(FaultRule.of(FaultType.NOTIFY_DROP).forPaymentRequestId(paid.paymentRequestId()).withTimes(0));
        assertThat(refundCalls.refund("REF-DASHBOARD-" + paid.paymentRequestId(), paid.paymentId(), "USD", 500,
                "refunded in the Dashboard")).isInstanceOf(CallOutcome.Answered.class);
        clock.advance(Duration.ofMinutes(10)); // the paid answer's confirmation is stale: the check asks Antom

        ShipmentDecision decision = shipment.decide(paid.orderId(), null);

        assertThat(decision.decision()).isEqualTo(ShipmentDecision.HOLD);
        assertThat(ledger.find(paid.paymentRequestId()).orElseThrow().flagReason()).startsWith("REFUND_NOT_OURS");

        // an operator looked into it and cleared the flag: asking Antom again does not flag it again
        ledger.clearFlag(paid.paymentRequestId(), "operator", "a goodwill refund, the goods still ship");
        clock.advance(Duration.ofMinutes(10));
        assertThat(shipment.decide(paid.orderId(), null).decision()).isEqualTo(ShipmentDecision.SHIP);
        assertThat(ledger.find(paid.paymentRequestId()).orElseThrow().flagged()).isFalse();
    }

    @Test
    void notPaidIsHeld() {
        String orderId = newOrderId();
        publish(order(orderId));
        awaitChannelMessage("WEB", orderId);
        assertHold(orderId, "NOT_PAID");
        assertHold("no-such-order", "NOT_PAID");
    }

    @Test
    void anUnknownPaymentIsHeld() {
        sandbox.addFault(FaultRule.of(FaultType.HTTP_5XX).forApi("pay").withTimes(0));
        String orderId = newOrderId();
        publish(order(orderId));
        await().atMost(Duration.ofSeconds(20)).until(() -> onlyAttempt(orderId).state() == PaymentState.UNKNOWN);
        assertHold(orderId, "PAYMENT_UNKNOWN");
    }

    /**
     * An attempt closed unpaid (failed) that Antom then reports paid is flagged CONFLICTING_RESULT and kept closed: the
     * order, paid by another attempt, is held, as the buyer may have paid twice.
     */
    @Test
    void aPaidOrderIsHeldWhileAClosedAttemptIsReportedPaid() throws Exception {
        try (AutoCloseable jobs = scheduledJobsStopped()) {
            String orderId = newOrderId();
            publish(order(orderId));
            PaymentAttempt failed = await().atMost(Duration.ofSeconds(20))
                    .until(() -> onlyAttempt(orderId), a -> a.paymentId() != null);
            sandbox.buyerAction(failed.paymentId(), Outcome.FAIL);
            awaitState(failed, PaymentState.FAILED);
            Map<String, Object> second = order(orderId);
            second.put("attempt", 2);
            publish(second);
            PaymentAttempt paid = await().atMost(Duration.ofSeconds(20)).until(() -> ledger.attemptsOf(orderId)
                    .stream().filter(a -> a.attemptNo() == 2 && a.paymentId() != null).findFirst(),
                    java.util.Optional::isPresent).orElseThrow();
            sandbox.buyerAction(paid.paymentId(), Outcome.PAY);
            awaitState(paid, PaymentState.SUCCEEDED);

            antomNotifier().send(AntomNotifier.paymentResult("PAYMENT_RESULT", "S", "SUCCESS",
                    failed.paymentRequestId(), failed.paymentId(), failed.currency(), failed.amountValue()));
            await().atMost(Duration.ofSeconds(10)).until(() -> ledger.find(failed.paymentRequestId()).orElseThrow()
                    .flagged());

            assertHold(orderId, "FLAGGED");
        }
    }

    @Test
    void anAmountMismatchIsHeld() {
        PaymentAttempt pending = pendingWallet();
        AntomNotifier antom = antomNotifier();
        antom.send(AntomNotifier.paymentResult("PAYMENT_RESULT", "S", "SUCCESS", pending.paymentRequestId(),
                pending.paymentId(), pending.currency(), pending.amountValue() + 100));
        assertHold(pending.orderId(), "AMOUNT_MISMATCH");
    }

    @Test
    void twoSuccessfulPaymentsAreHeld() {
        sandbox.addFault(FaultRule.of(FaultType.UNKNOWN_EXCEPTION).forApi("cancel").withTimes(0));
        String orderId = newOrderId();
        publishTwoAttempts(orderId);
        List<PaymentAttempt> attempts = await().atMost(Duration.ofSeconds(20)).until(
                () -> ledger.attemptsOf(orderId), l -> l.size() == 2 && l.stream().allMatch(a -> a.paymentId() != null));
        sandbox.buyerAction(attempts.get(0).paymentId(), Outcome.PAY);
        sandbox.buyerAction(attempts.get(1).paymentId(), Outcome.PAY);
        await().atMost(Duration.ofSeconds(20)).until(() -> ledger.attemptsOf(orderId).stream()
                .filter(a -> a.state() == PaymentState.SUCCEEDED).count() == 2);

        assertHold(orderId, "MULTIPLE_PAYMENTS");
    }

    /**
     * The order system sent a second attempt for another amount while the first was still open; the buyer paid the
     * first one's link. One payment succeeded, unflagged, at its own amount, but not at the amount now ordered.
     */
    @Test
    void aPaymentOfAnEarlierAttemptWhoseAmountTheOrderChangedIsHeld() {
        String orderId = newOrderId();
        publish(order(orderId));
        awaitChannelMessage("WEB", orderId);
        Map<String, Object> dearer = order(orderId);
        dearer.put("attempt", 2);
        dearer.put("amount", Map.of("currency", "USD", "value", "1500"));
        publish(dearer);
        List<PaymentAttempt> two = await().atMost(Duration.ofSeconds(20)).until(() -> ledger.attemptsOf(orderId),
                l -> l.size() == 2 && l.stream().allMatch(a -> a.state() == PaymentState.PENDING));

        sandbox.buyerAction(two.get(0).paymentId(), Outcome.PAY);
        awaitState(two.get(0), PaymentState.SUCCEEDED);

        ShipmentDecision decision = shipment.decide(orderId, null);
        assertThat(decision.decision()).isEqualTo(ShipmentDecision.HOLD);
        assertThat(decision.reasons()).singleElement().satisfies(reason -> {
            assertThat(reason.code()).isEqualTo("ORDER_TERMS_CHANGED");
            assertThat(reason.paymentRequestId()).isEqualTo(two.get(0).paymentRequestId());
            assertThat(reason.detail()).contains("1250 USD", "1500 USD");
        });
    }

    /**
     * A second payment that could not be cancelled and was refunded in full instead (as for a captured card, or past
     * the cancel window) holds the order only until its refund is done: then the order has one payment again.
     */
    @Test
    void aSecondPaymentRefundedInFullHoldsTheOrderOnlyUntilTheRefundIsDone() {
        List<PaymentAttempt> paidTwice = paidTwiceSecondNotGivenBack();
        String orderId = paidTwice.get(0).orderId();
        PaymentAttempt second = paidTwice.get(1);
        assertHold(orderId, "MULTIPLE_PAYMENTS");
        sandbox.clearFaults();
        // the give-back's cancel had no answer: no refund until it can no longer be on its way
        assertThat(antomRefunds.refundInFull(second, "DUPLICATE_PAYMENT", "cancel refused", "checkout-routes"))
                .isEmpty();
        sendTriesOver();

        // as the give-back does where Antom refuses the cancel
        assertThat(antomRefunds.refundInFull(second, "DUPLICATE_PAYMENT", "cancel refused", "checkout-routes"))
                .isPresent();
        await().atMost(Duration.ofSeconds(20)).until(() -> refunds.refundsOf(second.paymentRequestId()),
                l -> l.size() == 1 && l.get(0).state() == RefundState.REFUNDED);

        assertThat(httpDecision(orderId).path("decision").asText()).isEqualTo("SHIP");
        assertThat(ledger.find(second.paymentRequestId()).orElseThrow().state()).as("still paid, and given back")
                .isEqualTo(PaymentState.SUCCEEDED);
    }

    /**
     * The authorisation guard's alert (ALERT policy: capture or cancel it before Antom releases it) is answered by
     * the capture: it does not hold the order once captured, nor stop the shipment's capture.
     */
    @Test
    void anUncapturedCardIsHeldAndShipsOnceCaptured() {
        PaymentAttempt auth = authorisedCard();
        String orderId = auth.orderId();
        assertHold(orderId, "CARD_NOT_CAPTURED");
        ledger.note(auth.paymentRequestId(), "AUTHORISATION_EXPIRING", "authorised at " + auth.paidAt(),
                "AUTHORISATION_EXPIRING: capture or cancel before Antom releases it");

        kafka().publish(orderEventsTopic, orderId, "{\"type\":\"ORDER_SHIPPED\",\"orderId\":\"" + orderId + "\"}");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> ledger.find(auth.paymentRequestId()).orElseThrow().state() == PaymentState.CAPTURED);
        clock.advance(Duration.ofMinutes(10)); // a stale confirmation: Antom is asked again
        assertThat(httpDecision(orderId).path("decision").asText()).isEqualTo("SHIP");
        assertThat(ledger.history(auth.paymentRequestId())).extracting(c -> c.cause())
                .as("confirming a captured card is no conflict").doesNotContain("NOTIFICATION_CONFLICT");
    }

    /** A request past checkout.kafka.max-event-bytes is dead-lettered unread, and the requests behind it answered. */
    @Test
    void aRequestPastItsLimitIsDeadLetteredAndTheNextIsAnswered() {
        PaymentAttempt paid = paidWallet();
        String huge = "{\"orderId\":\"" + paid.orderId() + "\",\"requestId\":\"" + "r".repeat(20_000) + "\"}";
        kafka().publish(checksTopic, paid.orderId(), huge);
        kafka().publish(checksTopic, paid.orderId(), "{\"orderId\":\"" + paid.orderId() + "\",\"requestId\":\"r-2\"}");

        JsonNode letter = read(kafka().await(deadLetterTopic, r -> paid.orderId().equals(r.key())).value());
        assertThat(letter.path("reason").path("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(letter.path("originalBytes").asInt()).isEqualTo(huge.length());
        JsonNode decision = read(kafka().await(decisionsTopic, r -> paid.orderId().equals(r.key())).value());
        assertThat(decision.path("requestId").asText()).isEqualTo("r-2");
    }

    private void assertHold(String orderId, String reason) {
        JsonNode decision = httpDecision(orderId);
        assertThat(decision.path("decision").asText()).as(decision.toString()).isEqualTo("HOLD");
        assertThat(decision.path("reasons").findValuesAsText("code")).contains(reason);
    }

    private JsonNode httpDecision(String orderId) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/shipment-checks/" + orderId))
                            .header("Authorization", DemoCredentials.basic(DemoCredentials.OPERATOR)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            return read(response.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
