package com.checkoutroutes.refunds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentLedger.StateChange;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.ledger.Refund;
import com.checkoutroutes.ledger.RefundAmount;
import com.checkoutroutes.ledger.RefundLedger;
import com.checkoutroutes.ledger.RefundRefusedException;
import com.checkoutroutes.ledger.RefundRules;
import com.checkoutroutes.ledger.RefundState;
import com.checkoutroutes.sandbox.FaultRule;
import com.checkoutroutes.sandbox.FaultType;
import com.checkoutroutes.sandbox.OutcomeScript.Outcome;
import com.checkoutroutes.shipment.ShipmentChecks;
import com.checkoutroutes.shipment.ShipmentDecision;
import com.checkoutroutes.testsupport.AntomNotifier;
import com.checkoutroutes.testsupport.FlowTestSupport;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Refunds through the routes against the sandbox: order events (ORDER_RETURNED, ORDER_CANCELLED after capture),
 * the captured-amount rule, redelivery, notifyRefund, the janitor's inquiryRefund, and the duplicate-payment rule
 * past the cancel window.
 */
class RefundFlowsTest extends FlowTestSupport {

    @Autowired
    RefundLedger refunds;
    @Autowired
    Refunds operatorRefunds;
    @Autowired
    com.checkoutroutes.results.AntomRefunds antomRefunds;
    @Autowired
    ShipmentChecks shipment;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    MeterRegistry meters;
    @Autowired
    com.checkoutroutes.scheduling.JobRuns jobRuns;

    @Test
    void aReturnAfterCaptureIsRefundedInFull() {
        PaymentAttempt captured = capturedCard();
        returned(captured.orderId(), newEventId(), null);

        Refund refund = awaitRefund(captured, RefundState.REFUNDED);
        assertThat(refund.amountValue()).isEqualTo(captured.amountValue());
        assertThat(refund.refundId()).isNotBlank();
        assertThat(refund.requestedBy()).isEqualTo("order-system");
        assertThat(sandbox.payment(captured.paymentRequestId()).orElseThrow().path("refunds")).hasSize(1);
        assertThat(sandbox.payment(captured.paymentRequestId()).orElseThrow().path("refunds").get(0)
                .path("refundAmount").path("value").asText()).isEqualTo(String.valueOf(captured.amountValue()));

        JsonNode event = refundEvent(refund, "REFUNDED");
        assertThat(event.path("previousState").asText()).as("Antom's S accepted it; notifyRefund, which may come "
                + "first, refunded it").isIn("ACCEPTED", "REQUESTED");
        assertThat(event.path("refunded").path("value").asText()).isEqualTo(String.valueOf(captured.amountValue()));
        assertThat(event.path("version").asInt()).as("the payment's ledger version after the change")
                .isEqualTo(ledger.find(captured.paymentRequestId()).orElseThrow().version());
        List<Integer> versions = resultEvents(captured).stream().map(e -> e.path("version").asInt()).toList();
        assertThat(versions).as("one version sequence for the payment and its refunds").isSorted()
                .doesNotHaveDuplicates();
        assertHold(captured.orderId(), "REFUNDED");
    }

    /**
     * A return that comes while the buyer has not paid yet (the e-wallet's page still open) is held, not refused for
     * good: once the buyer pays, it is read again (held-order-events) and refunded.
     */
    @Test
    void aReturnBeforeThePaymentsResultIsHeldAndRefundedOnceItIsPaid() {
        PaymentAttempt pending = pendingWallet();
        returned(pending.orderId(), newEventId(), null);
        JsonNode held = read(kafka().await(deadLetterTopic, r -> pending.orderId().equals(r.key())
                && r.value().contains("ORDER_EVENT_HELD")).value());
        assertThat(held.path("reason").path("code").asText()).isEqualTo(PaymentAttempt.PAYMENT_NOT_KNOWN_YET);
        assertThat(refunds.refundsOf(pending.paymentRequestId())).isEmpty();

        sandbox.buyerAction(pending.paymentId(), Outcome.PAY);

        Refund refund = awaitRefund(pending, RefundState.REFUNDED);
        assertThat(refund.amountValue()).isEqualTo(pending.amountValue());
    }

    @Test
    void aCancellationAfterCaptureIsRefundedOnceInsteadOfRefused() {
        PaymentAttempt captured = capturedCard();
        orderEvent(captured.orderId(), "ORDER_CANCELLED");
        Refund refund = awaitRefund(captured, RefundState.REFUNDED);
        orderEvent(captured.orderId(), "ORDER_CANCELLED");
        orderEventsProcessedUpTo(captured.orderId());

        assertThat(refund.requestKey()).isEqualTo("CANCELLATION");
        assertThat(refund.amountValue()).isEqualTo(captured.amountValue());
        assertThat(refunds.refundsOf(captured.paymentRequestId())).hasSize(1);
        assertThat(sandbox.payment(captured.paymentRequestId()).orElseThrow().path("refunds")).hasSize(1);
        assertThat(sandbox.requests("cancel", captured.paymentRequestId())).as("Antom cancels nothing captured")
                .isEmpty();
        assertThat(state(captured)).isEqualTo(PaymentState.CAPTURED);
    }

    /**
     * A DANA payment (Antom cancels none) still open when its order is cancelled: the cancel is refused, and the buyer
     * pays afterwards. The payment is the janitor's again, which refunds it in full, once (CANCELLATION), where the
     * money stayed with the merchant, the payment only flagged.
     */
    @Test
    void aPaymentMadeAfterItsCancelWasRefusedIsRefundedInFull() {
        String orderId = newOrderId();
        Map<String, Object> order = order(orderId);
        order.put("paymentMethodType", "DANA");
        order.put("amount", Map.of("currency", "IDR", "value", "125000"));
        publish(order);
        PaymentAttempt pending = await().atMost(Duration.ofSeconds(20))
                .until(() -> onlyAttempt(orderId), a -> a.state() == PaymentState.PENDING);

        orderEvent(orderId, "ORDER_CANCELLED");
        await().atMost(Duration.ofSeconds(20)).until(() -> ledger.history(pending.paymentRequestId()).stream()
                .anyMatch(c -> "CANCEL_NOT_DONE".equals(c.cause())));
        assertThat(state(pending)).isEqualTo(PaymentState.PENDING);

        sandbox.buyerAction(pending.paymentId(), Outcome.PAY);

        Refund refund = awaitRefund(pending, RefundState.REFUNDED);
        assertThat(refund.requestKey()).isEqualTo("CANCELLATION");
        assertThat(refund.amountValue()).isEqualTo(pending.amountValue());
        assertThat(sandbox.payment(pending.paymentRequestId()).orElseThrow().path("refunds")).hasSize(1);
        assertHold(orderId, "ORDER_CANCELLED");
    }

    /**
     * An order's cancellation sends Antom a cancel of its paid wallet payment, which gives all of it back: while the
     * cancel is on its way, an operator's refund of the same payment is refused (it would give the money back twice).
     * The cancel's answer is lost; Antom's list says it cancelled, so the payment ends CANCELLED, nothing refunded.
     */
    @Test
    void aRefundWhileACancelIsOnItsWayIsRefusedAndALostCancelAnswerIsAskedAbout() throws Exception {
        try (AutoCloseable jobs = scheduledJobsStopped()) {
            PaymentAttempt paid = paidWallet();
            // applied, then answered after the client stopped waiting: every try of the call
            sandbox.addFault(FaultRule.of(FaultType.TIMEOUT).forApi("cancel").withDelayMs(1500).withTimes(0));
            orderEvent(paid.orderId(), "ORDER_CANCELLED");
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> !sandbox.requests("cancel", paid.paymentRequestId()).isEmpty());

            assertThatThrownBy(() -> operatorRefunds.request(paid.orderId(), new RefundAmount(paid.currency(), 100),
                    "goodwill", "operator")).isInstanceOfSatisfying(RefundRefusedException.class,
                            e -> assertThat(e.code()).isEqualTo("CANCEL_IN_PROGRESS"));

            await().atMost(Duration.ofSeconds(30)).until(() -> state(paid) == PaymentState.CANCELLED);
            sandbox.clearFaults();
            assertThat(refunds.refundsOf(paid.paymentRequestId())).isEmpty();
            assertThat(sandbox.payment(paid.paymentRequestId()).orElseThrow().path("refunds")).isEmpty();
            assertThat(ledger.history(paid.paymentRequestId())).extracting(StateChange::cause)
                    .contains("CANCEL_RESULT_UNKNOWN", "INQUIRY_CANCELLED").doesNotContain("CANCEL_NOT_DONE");
        }
    }

    /**
     * The capture's answer and its notification were lost (the ledger still says CAPTURE_REQUESTED) when the order is
     * cancelled: Antom is asked first, the capture it made is recorded, and the money is refunded instead of the
     * event being refused CAPTURE_IN_PROGRESS to the dead-letter topic.
     */
    @Test
    void aCancellationWhileACapturesAnswerIsLostAsksAntomAndRefunds() throws Exception {
        Refund refund;
        PaymentAttempt capturing;
        try (AutoCloseable janitor = scheduledJobsStopped()) {
            capturing = capturedWithTheAnswerLost();
            orderEvent(capturing.orderId(), "ORDER_CANCELLED");
            refund = awaitRefund(capturing, RefundState.REFUNDED);
        }
        assertThat(refund.requestKey()).isEqualTo("CANCELLATION");
        assertThat(refund.amountValue()).isEqualTo(capturing.amountValue());
        assertThat(ledger.history(capturing.paymentRequestId()))
                .filteredOn(c -> c.from() == PaymentState.CAPTURE_REQUESTED && c.to() == PaymentState.CAPTURED)
                .extracting(StateChange::cause).containsExactly("INQUIRY");
    }

    /**
     * The capture never reached Antom (answered 503 each try) when the order is cancelled: Antom lists no capture, so
     * the authorisation is cancelled; the janitor, which would have sent the capture again, then finds it closed.
     */
    @Test
    void aCancellationWhileACaptureNeverReachedAntomCancelsTheAuthorisation() throws Exception {
        PaymentAttempt auth = authorisedCard();
        try (AutoCloseable janitor = scheduledJobsStopped()) {
            shippedWhileTheCaptureFails(auth, FaultRule.of(FaultType.HTTP_5XX).forApi("capture").withTimes(0));
            sendTriesOver();

            orderEvent(auth.orderId(), "ORDER_CANCELLED");
            awaitState(auth, PaymentState.CANCELLED);
        }
        orderEventsProcessedUpTo(auth.orderId());
        assertThat(sandbox.payment(auth.paymentRequestId()).orElseThrow().path("paymentStatus").asText())
                .isEqualTo("CANCELLED");
        assertThat(sandbox.payment(auth.paymentRequestId()).orElseThrow().has("capture")).isFalse();
        assertThat(refunds.refundsOf(auth.paymentRequestId())).isEmpty();
        assertThat(ledger.history(auth.paymentRequestId())).extracting(StateChange::from, StateChange::to,
                StateChange::cause).containsSubsequence(
                        org.assertj.core.groups.Tuple.tuple(PaymentState.CAPTURE_REQUESTED, PaymentState.CAPTURE_FAILED,
                                "CAPTURE_OVERTAKEN"),
                        org.assertj.core.groups.Tuple.tuple(PaymentState.CAPTURE_FAILED, PaymentState.CANCELLED,
                                "ORDER_CANCELLED"));
        assertThat(ledger.find(auth.paymentRequestId()).orElseThrow().flagged())
                .as("a routine end: nothing for an operator").isFalse();
    }

    /**
     * The same, but Antom does not answer the cancel either: the capture given up stays given up. The janitor, which
     * sends a capture Antom does not list, never sends this one: the buyer of a cancelled order is not charged.
     */
    @Test
    void aCaptureOvertakenByACancellationIsNotSentAgainEvenIfTheCancelIsNotDone() throws Exception {
        PaymentAttempt auth = authorisedCard();
        try (AutoCloseable janitor = scheduledJobsStopped()) {
            shippedWhileTheCaptureFails(auth, FaultRule.of(FaultType.HTTP_5XX).forApi("capture").withTimes(0));
            sendTriesOver();
            sandbox.addFault(FaultRule.of(FaultType.HTTP_5XX).forApi("cancel").withTimes(0));

            orderEvent(auth.orderId(), "ORDER_CANCELLED");
            await().atMost(Duration.ofSeconds(30)).until(() -> ledger.history(auth.paymentRequestId()).stream()
                    .anyMatch(c -> c.cause().equals("CANCEL_NOT_DONE")));
            sandbox.clearFaults();
        }
        ledger.scheduleCheck(auth.paymentRequestId(), java.time.OffsetDateTime.now(clock), false);
        clock.advance(Duration.ofMinutes(5)); // whatever the janitor would look at is due
        java.time.OffsetDateTime advanced = java.time.OffsetDateTime.now(clock);
        await().atMost(Duration.ofSeconds(30)).until(() -> jobRuns.runs("janitor").stream()
                .anyMatch(run -> run.finishedAt() != null && !run.startedAt().isBefore(advanced)));

        assertThat(state(auth)).isEqualTo(PaymentState.CAPTURE_FAILED);
        assertThat(sandbox.requests("capture", null)).filteredOn(c -> c.httpStatus() == 200
                && auth.paymentRequestId().equals(c.paymentRequestId())).isEmpty();
        assertThat(sandbox.payment(auth.paymentRequestId()).orElseThrow().has("capture")).isFalse();
        assertThat(ledger.find(auth.paymentRequestId()).orElseThrow().flagReason()).contains("CANCEL_NOT_DONE");
    }

    /** The same for a return: the capture is confirmed with Antom, then the return refunded. */
    @Test
    void aReturnWhileACapturesAnswerIsLostAsksAntomAndRefunds() throws Exception {
        Refund refund;
        PaymentAttempt capturing;
        try (AutoCloseable janitor = scheduledJobsStopped()) {
            capturing = capturedWithTheAnswerLost();
            returned(capturing.orderId(), newEventId(), 300L);
            refund = awaitRefund(capturing, RefundState.REFUNDED);
        }
        assertThat(refund.amountValue()).isEqualTo(300L);
        assertThat(state(capturing)).isEqualTo(PaymentState.CAPTURED);
    }

    /**
     * A manual-capture card shipped while Antom's answers to the capture come too late and its notifications are
     * dropped: Antom captured it, the ledger has it CAPTURE_REQUESTED (the caller stops the janitor, which would ask).
     */
    private PaymentAttempt capturedWithTheAnswerLost() {
        PaymentAttempt auth = authorisedCard();
        sandbox.addFault(FaultRule.of(FaultType.NOTIFY_DROP).forPaymentRequestId(auth.paymentRequestId()).withTimes(0));
        shippedWhileTheCaptureFails(auth, FaultRule.of(FaultType.TIMEOUT).forApi("capture").withDelayMs(1500)
                .withTimes(0));
        assertThat(state(auth)).isEqualTo(PaymentState.CAPTURE_REQUESTED);
        assertThat(sandbox.payment(auth.paymentRequestId()).orElseThrow().has("capture")).isTrue();
        return auth;
    }

    @Test
    void aCancellationAfterAPartialReturnRefundsTheRestInsteadOfCancelling() {
        PaymentAttempt paid = paidWallet();
        returned(paid.orderId(), newEventId(), 500L);
        awaitRefunds(paid, 1, RefundState.REFUNDED);

        orderEvent(paid.orderId(), "ORDER_CANCELLED");

        Refund rest = awaitRefunds(paid, 2, RefundState.REFUNDED).get(1);
        assertThat(rest.amountValue()).isEqualTo(paid.amountValue() - 500);
        assertThat(rest.requestKey()).isEqualTo("CANCELLATION");
        assertThat(sandbox.requests("cancel", paid.paymentRequestId())).as("a cancel would give back all 1250 again")
                .isEmpty();
        assertThat(state(paid)).isEqualTo(PaymentState.SUCCEEDED);
        assertHold(paid.orderId(), "REFUNDED");
    }

    @Test
    void partialReturnsAreRefundedUpToTheCapturedAmountAndOneMoreIsRefused() {
        PaymentAttempt paid = paidWallet();
        returned(paid.orderId(), newEventId(), 500L);
        awaitRefunds(paid, 1, RefundState.REFUNDED);
        returned(paid.orderId(), newEventId(), paid.amountValue() - 500);
        awaitRefunds(paid, 2, RefundState.REFUNDED);
        // both notifyRefunds applied too (they confirm the refunds), so what follows is the refusal's doing only
        await().atMost(Duration.ofSeconds(20)).until(() -> sandbox.notifications(paid.paymentRequestId()).stream()
                .filter(n -> "REFUND_RESULT".equals(n.notifyType()) && n.acknowledged()).count() == 2);
        List<Refund> both = refunds.refundsOf(paid.paymentRequestId());
        publishMarkerAndWait();
        int version = ledger.find(paid.paymentRequestId()).orElseThrow().version();
        int events = resultEvents(paid).size();
        int refundCalls = sandbox.requests("refund", paid.paymentRequestId()).size();

        String overId = newEventId();
        returned(paid.orderId(), overId, 1L);

        JsonNode refusal = read(kafka().await(deadLetterTopic, r -> r.value().contains(overId)).value());
        assertThat(refusal.path("type").asText()).isEqualTo("ORDER_EVENT_REFUSED");
        assertThat(refusal.path("reason").path("code").asText()).isEqualTo("REFUND_AMOUNT_EXCEED");
        assertThat(refusal.path("reason").path("message").asText()).contains("0 is left");
        // confirmedAt aside: the refund call's S answer may confirm again after its notification
        assertThat(refunds.refundsOf(paid.paymentRequestId())).as("nothing changed")
                .usingRecursiveFieldByFieldElementComparatorIgnoringFields("confirmedAt").isEqualTo(both);
        assertThat(ledger.find(paid.paymentRequestId()).orElseThrow().version()).isEqualTo(version);
        assertThat(sandbox.requests("refund", paid.paymentRequestId())).hasSize(refundCalls);
        publishMarkerAndWait();
        assertThat(resultEvents(paid)).hasSize(events);
        assertThat(refundEvent(both.get(1), "REFUNDED").path("refunded").path("value").asText())
                .isEqualTo(String.valueOf(paid.amountValue()));
        assertHold(paid.orderId(), "REFUNDED");
    }

    /**
     * An order event is read as strictly as an order: a return whose amount is given twice (the last one null), a
     * misspelt amount field, or a cancellation whose type is given twice would each take all of the money back if
     * read leniently. Each is refused and nothing reaches Antom.
     */
    @Test
    void malformedReturnsAndCancellationsAreRefusedAndNothingIsRefundedOrCancelled() {
        PaymentAttempt paid = paidWallet();
        String orderId = paid.orderId();
        publishMarkerAndWait();
        int version = ledger.find(paid.paymentRequestId()).orElseThrow().version();

        String twice = malformed(orderId, "\"type\":\"ORDER_RETURNED\",\"orderId\":\"" + orderId
                + "\",\"amount\":{\"currency\":\"USD\",\"value\":\"500\"},\"amount\":null}");
        String misspelt = malformed(orderId, "\"type\":\"ORDER_RETURNED\",\"orderId\":\"" + orderId
                + "\",\"returnAmount\":{\"currency\":\"USD\",\"value\":\"500\"}}");
        String typeTwice = malformed(orderId, "\"type\":\"ORDER_READY_TO_SHIP\",\"orderId\":\"" + orderId
                + "\",\"type\":\"ORDER_CANCELLED\"}");
        String cancelOfPart = malformed(orderId, "\"type\":\"ORDER_CANCELLED\",\"orderId\":\"" + orderId
                + "\",\"amount\":{\"currency\":\"USD\",\"value\":\"500\"}}");
        String trailing = malformed(orderId, "\"type\":\"ORDER_RETURNED\",\"orderId\":\"" + orderId
                + "\"} {\"amount\":1}");
        // a partial return whose amount a serializer wrote as null would refund all of it
        String nullAmount = malformed(orderId, "\"type\":\"ORDER_RETURNED\",\"orderId\":\"" + orderId
                + "\",\"amount\":null}");
        String amountExtra = malformed(orderId, "\"type\":\"ORDER_RETURNED\",\"orderId\":\"" + orderId
                + "\",\"amount\":{\"currency\":\"USD\",\"value\":\"500\",\"vlaue\":\"5\"}}");
        String notText = malformed(orderId, "\"type\":\"ORDER_RETURNED\",\"orderId\":true}");

        assertThat(refusalCode(twice)).isEqualTo("DUPLICATE_KEY");
        assertThat(refusalCode(misspelt)).isEqualTo("UNKNOWN_FIELD");
        assertThat(refusalCode(typeTwice)).isEqualTo("DUPLICATE_KEY");
        assertThat(refusalCode(cancelOfPart)).isEqualTo("UNKNOWN_FIELD");
        assertThat(refusalCode(trailing)).isEqualTo("BAD_JSON");
        assertThat(refusalCode(nullAmount)).isEqualTo("INVALID_AMOUNT");
        assertThat(refusalCode(amountExtra)).isEqualTo("UNKNOWN_FIELD");
        assertThat(refusalCode(notText)).isEqualTo("INVALID_VALUE");
        orderEventsProcessedUpTo(orderId);
        assertThat(refunds.refundsOf(paid.paymentRequestId())).isEmpty();
        assertThat(sandbox.requests("refund", paid.paymentRequestId())).isEmpty();
        assertThat(sandbox.requests("cancel", paid.paymentRequestId())).isEmpty();
        assertThat(ledger.find(paid.paymentRequestId()).orElseThrow().version()).isEqualTo(version);

        // an extra field of a cancellation changes nothing of what it does: it is carried out
        PaymentAttempt other = paidWallet();
        kafka().publish(orderEventsTopic, other.orderId(), "{\"eventId\":\"" + newEventId() + "\",\"type\":"
                + "\"ORDER_CANCELLED\",\"orderId\":\"" + other.orderId() + "\",\"occurredAt\":\"2026-12-05T10:00:00Z\"}");
        awaitState(other, PaymentState.CANCELLED);
    }

    /** Publishes an order event of a new eventId followed by {@code rest} (its other fields); returns the eventId. */
    private String malformed(String orderId, String rest) {
        String eventId = newEventId();
        kafka().publish(orderEventsTopic, orderId, "{\"eventId\":\"" + eventId + "\"," + rest);
        return eventId;
    }

    /** The code of the dead letter of the order event whose (original) text carries {@code eventId}. */
    private String refusalCode(String eventId) {
        JsonNode letter = read(kafka().await(deadLetterTopic, r -> r.value().contains(eventId)).value());
        assertThat(letter.path("type").asText()).isEqualTo("ORDER_EVENT_REFUSED");
        return letter.path("reason").path("code").asText();
    }

    @Test
    void aRedeliveredReturnRefundsOnce() {
        PaymentAttempt paid = paidWallet();
        String eventId = newEventId();
        returned(paid.orderId(), eventId, 300L);
        returned(paid.orderId(), eventId, 300L);
        orderEventsProcessedUpTo(paid.orderId());

        Refund refund = awaitRefund(paid, RefundState.REFUNDED);
        assertThat(refunds.refundsOf(paid.paymentRequestId())).hasSize(1);
        assertThat(refund.requestKey()).isEqualTo("ORDER_RETURNED:" + eventId);
        assertThat(sandbox.requests("refund", paid.paymentRequestId())).hasSize(1);
        publishMarkerAndWait();
        assertThat(resultEvents(paid)).filteredOn(e -> "REFUND_STATE_CHANGED".equals(e.path("type").asText())
                && "REFUNDED".equals(e.path("state").asText())).hasSize(1);
        assertHold(paid.orderId(), "PARTLY_REFUNDED");
    }

    @Test
    void notifyRefundForgedIsRefusedAndGenuineIsAppliedOnceAndStaysFinal() throws Exception {
        try (AutoCloseable jobs = scheduledJobsStopped()) {
            PaymentAttempt paid = paidWallet();
            Refund unknown = unknownRefund(paid);
            String body = refundNotification(unknown, "R-" + unknown.refundRequestId(), paid, "SUCCESS");
            AntomNotifier antom = antomNotifier();
            publishMarkerAndWait();
            int events = resultEvents(paid).size();

            String time = String.valueOf(System.currentTimeMillis());
            AntomNotifier.Answer forged = antom.send(body,
                    antom.headers(time, antom.sign(body, time, AntomNotifier.MERCHANT_PRIVATE_KEY)));
            assertThat(forged.status()).isEqualTo(401);
            assertThat(forged.body()).contains("INVALID_SIGNATURE");
            assertThat(refunds.find(unknown.refundRequestId()).orElseThrow()).as("nothing changed").isEqualTo(unknown);
            assertThat(inboxRows(unknown)).isZero();

            AntomNotifier.Answer genuine = antom.send(body);
            AntomNotifier.Answer resent = antom.send(body);

            assertThat(genuine.status()).isEqualTo(200);
            assertThat(genuine.body()).contains("\"resultStatus\":\"S\"");
            assertThat(resent.status()).isEqualTo(200);
            Refund refunded = refunds.find(unknown.refundRequestId()).orElseThrow();
            assertThat(refunded.state()).isEqualTo(RefundState.REFUNDED);
            assertThat(refunded.refundId()).isEqualTo("R-" + unknown.refundRequestId());
            assertThat(refunds.history(unknown.refundRequestId())).filteredOn(s -> s.to() == RefundState.REFUNDED)
                    .singleElement().satisfies(s -> assertThat(s.cause()).isEqualTo("REFUND_RESULT"));
            assertThat(inboxRows(unknown)).isEqualTo(1);
            assertThat(jdbc.queryForObject("SELECT times_received FROM notification_inbox WHERE refund_request_id = ?",
                    Integer.class, unknown.refundRequestId())).isEqualTo(2);
            publishMarkerAndWait();
            assertThat(resultEvents(paid)).as("one event: REFUNDED").hasSize(events + 1);

            // final stays final: a FAIL after the SUCCESS is acknowledged, recorded as a conflict, and flags the payment
            AntomNotifier.Answer late = antom.send(refundNotification(unknown, "R-" + unknown.refundRequestId(), paid,
                    "FAIL"));
            assertThat(late.status()).isEqualTo(200);
            assertThat(refunds.find(unknown.refundRequestId()).orElseThrow().state()).isEqualTo(RefundState.REFUNDED);
            assertThat(refunds.history(unknown.refundRequestId())).extracting(RefundLedger.Step::cause)
                    .contains("REFUND_RESULT_CONFLICT");
            assertThat(ledger.find(paid.paymentRequestId()).orElseThrow().flagReason())
                    .startsWith("CONFLICTING_REFUND_RESULT");
            publishMarkerAndWait();
            assertThat(resultEvents(paid)).hasSize(events + 1);
        }
    }

    /** A refund made outside this service (Antom's Dashboard) flags its payment: its order is held from shipment. */
    @Test
    void aRefundNotifiedThatThisServiceNeverAskedForFlagsItsPayment() {
        PaymentAttempt paid = paidWallet();
        String elsewhere = AntomNotifier.refundResult("REF-DASHBOARD-" + paid.paymentRequestId(), "R-ELSEWHERE",
                paid.paymentId(), "SUCCESS", "USD", 500);

        assertThat(antomNotifier().send(elsewhere).status()).isEqualTo(200);

        assertThat(ledger.find(paid.paymentRequestId()).orElseThrow().flagReason()).startsWith("REFUND_NOT_OURS");
        assertThat(refunds.refundsOf(paid.paymentRequestId())).isEmpty();

        // the order system's return may be that very refund: none is sent until an operator has accounted for it
        String sameReturn = newEventId();
        returned(paid.orderId(), sameReturn, 500L);
        assertThat(refusalCode(sameReturn)).isEqualTo("REFUNDED_OUTSIDE");
        assertThat(refunds.refundsOf(paid.paymentRequestId())).isEmpty();
        assertThat(sandbox.requests("refund", paid.paymentRequestId())).isEmpty();

        ledger.clearFlag(paid.paymentRequestId(), "operator", "the Dashboard's refund was another return's");
        returned(paid.orderId(), newEventId(), 500L);
        awaitRefund(paid, RefundState.REFUNDED);

        // all that is left still goes while a second refund outside is not cleared: Antom refuses what would exceed
        // the payment (the sandbox here never saw the refunds outside, and takes it)
        String again = AntomNotifier.refundResult("REF-DASHBOARD-2-" + paid.paymentRequestId(), "R-ELSEWHERE-2",
                paid.paymentId(), "SUCCESS", "USD", 100);
        assertThat(antomNotifier().send(again).status()).isEqualTo(200);
        assertThat(ledger.find(paid.paymentRequestId()).orElseThrow().flagged()).isTrue();
        returned(paid.orderId(), newEventId(), null);
        awaitRefunds(paid, 2, RefundState.REFUNDED);
    }

    /**
     * A chargeback Antom notified (notifyDispute) gives the buyer the money back through the card scheme: no refund of
     * the payment, a named amount or all that is left, until an operator has settled the dispute and cleared the flag.
     */
    @Test
    void aPaymentWithADisputeNotifiedIsNotRefundedUntilTheFlagIsCleared() {
        PaymentAttempt paid = paidWallet();
        assertThat(antomNotifier().send(dispute(paid, "RDR_RESOLVED")).status()).isEqualTo(200);
        assertThat(ledger.find(paid.paymentRequestId()).orElseThrow().flagReason()).startsWith("DISPUTED");

        String named = newEventId();
        returned(paid.orderId(), named, 500L);
        assertThat(refusalCode(named)).isEqualTo("DISPUTED");
        String whole = newEventId();
        returned(paid.orderId(), whole, null);
        assertThat(refusalCode(whole)).isEqualTo("DISPUTED");
        assertThat(refunds.refundsOf(paid.paymentRequestId())).isEmpty();
        assertThat(sandbox.requests("refund", paid.paymentRequestId())).isEmpty();

        ledger.clearFlag(paid.paymentRequestId(), "operator", "the chargeback was lost; the return is another item");
        returned(paid.orderId(), newEventId(), 500L);
        awaitRefund(paid, RefundState.REFUNDED);
    }

    /** A payment refunded in full, then disputed ("refund not received"): nothing is left to refund, as before. */
    @Test
    void aPaymentRefundedInFullAndThenDisputedHasNothingToRefund() {
        PaymentAttempt paid = paidWallet();
        returned(paid.orderId(), newEventId(), null);
        awaitRefund(paid, RefundState.REFUNDED);
        assertThat(antomNotifier().send(dispute(paid, "DISPUTE_CREATED")).status()).isEqualTo(200);

        String again = newEventId();
        returned(paid.orderId(), again, null);
        assertThat(refusalCode(again)).isEqualTo("NOTHING_TO_REFUND");
    }

    /** A notifyDispute for the payment, in its docs' shape (no notifyType, no result). */
    private static String dispute(PaymentAttempt paid, String type) {
        return "{\"paymentRequestId\":\"" + paid.paymentRequestId() + "\",\"disputeId\":\"DSP-"
                + paid.paymentRequestId() + "\",\"paymentId\":\"" + paid.paymentId()
                + "\",\"disputeNotificationType\":\"" + type + "\"}";
    }

    /**
     * Antom's S to {@code refund} only accepts it (Antom's docs): a refund that then fails, as notifyRefund says, ends
     * FAILED and flagged, its amount free to refund again, and not a conflict with a REFUNDED the S had recorded. One
     * Antom then reports refunded after all is REFUNDED, its amount held again.
     */
    @Test
    void aRefundAntomAcceptedAndThenFailedEndsFailedNotRefunded() throws Exception {
        try (AutoCloseable jobs = scheduledJobsStopped()) {
            PaymentAttempt paid = paidWallet();
            sandbox.addFault(FaultRule.of(FaultType.NOTIFY_DROP).forPaymentRequestId(paid.paymentRequestId())
                    .withTimes(0));
            returned(paid.orderId(), newEventId(), 600L);
            Refund accepted = awaitRefund(paid, RefundState.ACCEPTED);
            assertThat(accepted.refundId()).isNotBlank();
            refundEvent(accepted, "ACCEPTED");

            assertThat(antomNotifier().send(refundNotification(accepted, accepted.refundId(), paid, "FAIL")).status())
                    .isEqualTo(200);

            Refund failed = refunds.find(accepted.refundRequestId()).orElseThrow();
            assertThat(failed.state()).isEqualTo(RefundState.FAILED);
            assertThat(refunds.history(accepted.refundRequestId())).extracting(RefundLedger.Step::cause)
                    .doesNotContain("REFUND_RESULT_CONFLICT");
            assertThat(ledger.find(paid.paymentRequestId()).orElseThrow().flagReason()).startsWith("REFUND_FAILED");
            assertThat(RefundRules.refundable(ledger.find(paid.paymentRequestId()).orElseThrow(),
                    refunds.refundsOf(paid.paymentRequestId()))).as("nothing was given back")
                    .isEqualTo(paid.amountValue());
            refundEvent(accepted, "FAILED");

            // Antom reports it done after all: the money went back, so its amount is held again, and the payment is
            // flagged (an operator may have given it back by hand on the failure)
            assertThat(antomNotifier().send(refundNotification(accepted, accepted.refundId(), paid, "SUCCESS"))
                    .status()).isEqualTo(200);
            assertThat(refunds.find(accepted.refundRequestId()).orElseThrow().state()).isEqualTo(RefundState.REFUNDED);
            assertThat(ledger.find(paid.paymentRequestId()).orElseThrow().flagReason())
                    .contains("REFUNDED_AFTER_FAILURE");
            assertThat(RefundRules.refundable(ledger.find(paid.paymentRequestId()).orElseThrow(),
                    refunds.refundsOf(paid.paymentRequestId()))).isEqualTo(paid.amountValue() - 600);
            refundEvent(accepted, "REFUNDED");
        }
    }

    @Test
    void anUnknownRefundIsResolvedByTheJanitorsInquiry() throws Exception {
        PaymentAttempt paid = paidWallet();
        Refund unknown;
        try (AutoCloseable jobs = scheduledJobsStopped()) {
            // Antom refunds, but its answer (and its notifyRefund) never arrive
            sandbox.addFault(FaultRule.of(FaultType.NOTIFY_DROP).forPaymentRequestId(paid.paymentRequestId())
                    .withTimes(0));
            sandbox.addFault(FaultRule.of(FaultType.TIMEOUT).forApi("refund").withDelayMs(1500).withTimes(0));
            returned(paid.orderId(), newEventId(), 700L);
            unknown = awaitRefund(paid, RefundState.UNKNOWN);
            sandbox.clearFaults();
            assertThat(sandbox.payment(paid.paymentRequestId()).orElseThrow().path("refunds")).hasSize(1);
            // operators see it waiting (checkout_refunds{state="UNKNOWN"}, recounted every ledger-refresh)
            await().atMost(Duration.ofSeconds(10)).until(
                    () -> meters.get("checkout.refunds").tag("state", "UNKNOWN").gauge().value() >= 1);
        }

        Refund resolved = awaitRefund(paid, RefundState.REFUNDED);
        assertThat(resolved.refundRequestId()).isEqualTo(unknown.refundRequestId());
        assertThat(resolved.refundId()).isNotBlank();
        assertThat(refunds.history(resolved.refundRequestId())).filteredOn(s -> s.to() == RefundState.REFUNDED)
                .singleElement().satisfies(s -> {
                    assertThat(s.from()).isEqualTo(RefundState.UNKNOWN);
                    assertThat(s.cause()).isEqualTo("INQUIRY");
                });
        assertThat(sandbox.requests("inquiryRefund", paid.paymentRequestId())).isNotEmpty();
        assertThat(sandbox.payment(paid.paymentRequestId()).orElseThrow().path("refunds")).hasSize(1);
    }

    @Test
    void anUnknownRefundAntomNeverReceivedIsSentAgainByTheJanitor() throws Exception {
        PaymentAttempt paid = paidWallet();
        Refund unknown;
        try (AutoCloseable jobs = scheduledJobsStopped()) {
            unknown = unknownRefund(paid);
        }

        Refund resolved = awaitRefund(paid, RefundState.REFUNDED);
        assertThat(resolved.refundRequestId()).isEqualTo(unknown.refundRequestId());
        assertThat(refunds.history(resolved.refundRequestId())).extracting(RefundLedger.Step::cause)
                .containsSubsequence("REFUND_RESULT_UNKNOWN", "REFUND_RESENT");
        JsonNode atAntom = sandbox.payment(paid.paymentRequestId()).orElseThrow().path("refunds");
        assertThat(atAntom).hasSize(1);
        assertThat(atAntom.get(0).path("refundRequestId").asText()).isEqualTo(unknown.refundRequestId());
    }

    /** A return whose eventId is a number is read as its text, as a shipment's or a cancellation's is. */
    @Test
    void aReturnWithANumericEventIdIsRefundedOnce() {
        PaymentAttempt paid = paidWallet();
        long eventId = System.nanoTime();
        String event = "{\"eventId\":" + eventId + ",\"type\":\"ORDER_RETURNED\",\"orderId\":\"" + paid.orderId()
                + "\",\"amount\":{\"currency\":\"USD\",\"value\":\"100\"}}";
        kafka().publish(orderEventsTopic, paid.orderId(), event);
        kafka().publish(orderEventsTopic, paid.orderId(), event);

        Refund refund = awaitRefund(paid, RefundState.REFUNDED);
        assertThat(refund.requestKey()).isEqualTo("ORDER_RETURNED:" + eventId);
        orderEventsProcessedUpTo(paid.orderId());
        assertThat(refunds.refundsOf(paid.paymentRequestId())).hasSize(1);
    }

    /**
     * The janitor's backoff, decided on a refund as it read it, is not written over the refund once it moved (a
     * resend's answer while Antom was asked): the new state's first check stands, and its looks are counted anew.
     */
    @Test
    void aLookAtARefundThatMovedSinceLeavesItsNewStatesCheck() throws Exception {
        PaymentAttempt paid = paidWallet();
        try (AutoCloseable jobs = scheduledJobsStopped()) {
            Refund unknown = unknownRefund(paid);
            java.time.OffsetDateTime now = java.time.OffsetDateTime.now(clock);
            refunds.scheduleCheck(unknown, now.plusMinutes(10), true);
            assertThat(refunds.find(unknown.refundRequestId()).orElseThrow().checkCount()).isEqualTo(1);

            Refund accepted = refunds.apply(unknown.refundRequestId(), com.checkoutroutes.ledger.RefundChange
                    .to(RefundState.ACCEPTED, "REFUND_ACCEPTED").refundId("R-" + unknown.refundRequestId())).refund();
            assertThat(accepted.nextCheckAt()).isNull();
            assertThat(accepted.checkCount()).as("a new state's own backoff").isZero();

            refunds.scheduleCheck(unknown, now.plusHours(6), true); // the look that read it UNKNOWN ends
            Refund after = refunds.find(unknown.refundRequestId()).orElseThrow();
            assertThat(after.nextCheckAt()).isNull();
            assertThat(after.checkCount()).isZero();
        }
    }

    /**
     * A refund Antom never received, whose payment a dispute reached meanwhile, is not sent again: the chargeback may
     * give the buyer the money back. It fails (DISPUTED), as a new refund would be refused, but only once no send of
     * it may still be on its way (until then the janitor only asks).
     */
    @Test
    void anUnknownRefundAntomNeverReceivedIsNotSentAgainOnceItsPaymentIsDisputed() throws Exception {
        PaymentAttempt paid = paidWallet();
        Refund unknown;
        try (AutoCloseable jobs = scheduledJobsStopped()) {
            unknown = unknownRefund(paid);
            assertThat(antomNotifier().send(dispute(paid, "DISPUTE_CREATED")).status()).isEqualTo(200);
            // a resend decided from a read before the dispute (the janitor's, a request read again) is refused under
            // the payment's lock, and nothing is noted
            assertThat(refunds.claimResend(unknown, "Antom has no such refund: sent again")).isEmpty();
        }
        // asked about (its checks counted), neither sent again nor failed while a send may be on its way
        Refund asked = await().atMost(Duration.ofSeconds(30))
                .until(() -> refunds.find(unknown.refundRequestId()).orElseThrow(), r -> r.checkCount() > 0);
        assertThat(asked.state()).isEqualTo(RefundState.UNKNOWN);

        sendTriesOver();
        Refund withheld = awaitRefund(paid, RefundState.FAILED);
        assertThat(withheld.refundRequestId()).isEqualTo(unknown.refundRequestId());
        assertThat(withheld.resultCode()).isEqualTo("DISPUTED");
        assertThat(refunds.history(withheld.refundRequestId())).extracting(RefundLedger.Step::cause)
                .contains("REFUND_WITHHELD").doesNotContain("REFUND_RESENT");
        assertThat(sandbox.payment(paid.paymentRequestId()).orElseThrow().path("refunds")).isEmpty();

        // a read of it from before it was withheld (its request read again) sends nothing, even once the dispute's
        // flag is cleared: the resend is decided under the payment's lock on the refund as it is now
        ledger.clearFlag(paid.paymentRequestId(), "operator", "the chargeback was lost");
        Refund readBefore = new Refund(withheld.refundRequestId(), withheld.paymentRequestId(), withheld.orderId(),
                withheld.requestKey(), withheld.amountValue(), withheld.currency(), RefundState.REQUESTED, null, null,
                null, withheld.reason(), withheld.requestedBy(), 0, 0, null, null, null, null, null);
        assertThat(antomRefunds.sendIfNew(new RefundLedger.Opened(readBefore, false)).state())
                .isEqualTo(RefundState.FAILED);
        assertThat(sandbox.payment(paid.paymentRequestId()).orElseThrow().path("refunds")).isEmpty();
        assertThat(refunds.history(withheld.refundRequestId())).extracting(RefundLedger.Step::cause)
                .doesNotContain("REFUND_RESENT");
    }

    @Test
    void aDuplicateSuccessPastItsCancelWindowIsRefunded() throws Exception {
        String orderId = newOrderId();
        List<PaymentAttempt> attempts = twoPendingAttempts(orderId);
        PaymentAttempt first = attempts.get(0);
        PaymentAttempt second = attempts.get(1);
        // the cancel window ends at 00:15 UTC+8 the day after the payment was created: up to 24 h 15 min later (a
        // payment made at 00:05 UTC+8 can still be cancelled a day on), so two days are past it at any time of day
        Duration pastTheCancelWindow = Duration.ofDays(2);
        try {
            try (AutoCloseable jobs = scheduledJobsStopped()) {
                sandbox.buyerAction(first.paymentId(), Outcome.PAY);
                awaitState(first, PaymentState.SUCCEEDED);
                // the second payment succeeds too, but we hear of it only after its cancel window has passed: the
                // janitor's inquiry finds it
                sandbox.addFault(FaultRule.of(FaultType.NOTIFY_DROP).forPaymentRequestId(second.paymentRequestId())
                        .withTimes(0));
                sandbox.buyerAction(second.paymentId(), Outcome.PAY);
                sandbox.advanceClock(pastTheCancelWindow);
            }

            Refund refund = awaitRefund(second, RefundState.REFUNDED);
            assertThat(refund.requestKey()).isEqualTo("DUPLICATE_PAYMENT");
            assertThat(refund.amountValue()).isEqualTo(second.amountValue());
            assertThat(sandbox.requests("cancel", second.paymentRequestId())).singleElement()
                    .satisfies(c -> assertThat(c.resultCode()).isEqualTo("CANCEL_WINDOW_EXCEED"));
            assertThat(ledger.history(second.paymentRequestId())).extracting(c -> c.cause())
                    .contains("CANCEL_REFUSED");
            assertThat(sandbox.payment(second.paymentRequestId()).orElseThrow().path("paymentStatus").asText())
                    .isEqualTo("SUCCESS");
            assertThat(state(first)).isEqualTo(PaymentState.SUCCEEDED);
            assertThat(refunds.refundsOf(first.paymentRequestId())).isEmpty();
        } finally {
            sandbox.advanceClock(pastTheCancelWindow.negated());
        }
    }

    @Test
    void aRefundAntomRefusesEndsFailedWithItsReasonAndFlagsThePayment() {
        String orderId = newOrderId();
        Map<String, Object> order = order(orderId);
        order.put("paymentMethodType", "ONLINEBANKING_FPX"); // the sandbox's method without refunds
        order.put("amount", Map.of("currency", "MYR", "value", "5000"));
        publish(order);
        PaymentAttempt pending = await().atMost(Duration.ofSeconds(20))
                .until(() -> onlyAttempt(orderId), a -> a.state() == PaymentState.PENDING);
        sandbox.buyerAction(pending.paymentId(), Outcome.PAY);
        awaitState(pending, PaymentState.SUCCEEDED);

        returned(orderId, newEventId(), null);

        Refund failed = awaitRefund(pending, RefundState.FAILED);
        assertThat(failed.resultCode()).isEqualTo("REFUND_NOT_SUPPORTED");
        assertThat(refundEvent(failed, "FAILED").path("result").path("code").asText())
                .isEqualTo("REFUND_NOT_SUPPORTED");
        assertThat(ledger.find(pending.paymentRequestId()).orElseThrow().flagReason()).startsWith("REFUND_FAILED");
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    /** A manual-capture card, authorised, then captured on shipment. */
    private PaymentAttempt capturedCard() {
        PaymentAttempt authorised = authorisedCard();
        orderEvent(authorised.orderId(), "ORDER_SHIPPED");
        return awaitState(authorised, PaymentState.CAPTURED);
    }

    /** A refund of 400 whose every call Antom answers U UNKNOWN_EXCEPTION without refunding: UNKNOWN. */
    private Refund unknownRefund(PaymentAttempt paid) {
        sandbox.addFault(FaultRule.of(FaultType.UNKNOWN_EXCEPTION).forApi("refund")
                .forPaymentRequestId(paid.paymentRequestId()).withTimes(0));
        returned(paid.orderId(), newEventId(), 400L);
        Refund unknown = awaitRefund(paid, RefundState.UNKNOWN);
        sandbox.clearFaults();
        assertThat(sandbox.payment(paid.paymentRequestId()).orElseThrow().path("refunds")).isEmpty();
        return unknown;
    }

    /** Antom's notifyRefund of {@code refund} with {@code refundStatus} (SUCCESS or FAIL), unsigned. */
    private static String refundNotification(Refund refund, String refundId, PaymentAttempt paid, String refundStatus) {
        return AntomNotifier.refundResult(refund.refundRequestId(), refundId, paid.paymentId(), refundStatus, "USD",
                refund.amountValue());
    }

    private static String newEventId() {
        return "e-" + UUID.randomUUID();
    }

    /** ORDER_RETURNED of {@code amount} USD... in the payment's currency, or of the whole order when null. */
    private void returned(String orderId, String eventId, Long amount) {
        String currency = ledger.attemptsOf(orderId).get(0).currency();
        kafka().publish(orderEventsTopic, orderId, "{\"eventId\":\"" + eventId + "\",\"type\":\"ORDER_RETURNED\","
                + "\"orderId\":\"" + orderId + "\"" + (amount == null ? "" : ",\"amount\":{\"currency\":\"" + currency
                + "\",\"value\":\"" + amount + "\"}") + ",\"reason\":\"returned by the buyer\"}");
    }

    private Refund awaitRefund(PaymentAttempt payment, RefundState state) {
        return awaitRefunds(payment, 1, state).get(0);
    }

    /** The payment's refunds once there are {@code count} of them and the newest is in {@code state}. */
    private List<Refund> awaitRefunds(PaymentAttempt payment, int count, RefundState state) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> refunds.refundsOf(payment.paymentRequestId()),
                l -> l.size() == count && l.get(count - 1).state() == state);
    }

    private List<JsonNode> resultEvents(PaymentAttempt payment) {
        return kafka().matching(resultsTopic, r -> r.value().contains(payment.paymentRequestId())).stream()
                .map(r -> read(r.value())).toList();
    }

    private JsonNode refundEvent(Refund refund, String state) {
        return read(kafka().await(resultsTopic, r -> r.value().contains("\"refundRequestId\":\""
                + refund.refundRequestId() + "\"") && r.value().contains("\"state\":\"" + state + "\"")).value());
    }

    private int inboxRows(Refund refund) {
        Integer rows = jdbc.queryForObject("SELECT COUNT(*) FROM notification_inbox WHERE refund_request_id = ?",
                Integer.class, refund.refundRequestId());
        return rows == null ? 0 : rows;
    }

    private void assertHold(String orderId, String reason) {
        ShipmentDecision decision = shipment.decide(orderId, null);
        assertThat(decision.decision()).isEqualTo(ShipmentDecision.HOLD);
        assertThat(decision.reasons()).extracting(ShipmentDecision.Reason::code).contains(reason);
    }
}
