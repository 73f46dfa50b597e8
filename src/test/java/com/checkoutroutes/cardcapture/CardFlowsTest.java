package com.checkoutroutes.cardcapture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.alipay.global.api.model.ams.Amount;
import com.alipay.global.api.request.ams.pay.AlipayCaptureRequest;
import com.alipay.global.api.request.ams.pay.AlipayPayCancelRequest;
import com.checkoutroutes.cardcapture.AuthorisationGuard.Policy;
import com.checkoutroutes.deadletter.HeldOrderEventException;
import com.checkoutroutes.gateway.AntomGateway;
import com.checkoutroutes.gateway.CallOutcome;
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentLedger.StateChange;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.ledger.Transition;
import com.checkoutroutes.results.AntomCancels;
import com.checkoutroutes.results.AntomCaptures;
import com.checkoutroutes.results.CaptureClaims;
import com.checkoutroutes.results.CaptureOnItsWayException;
import com.checkoutroutes.results.PaymentInquiries;
import com.checkoutroutes.sandbox.FaultRule;
import com.checkoutroutes.sandbox.FaultType;
import com.checkoutroutes.testsupport.AntomNotifier;
import com.checkoutroutes.testsupport.FlowTestSupport;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Card authorisations: captured on shipment, cancelled on cancellation, guarded near Antom's 7-day limit. */
class CardFlowsTest extends FlowTestSupport {

    @Autowired
    AuthorisationGuard guard;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    AntomGateway gateway;
    @Autowired
    AntomCaptures captures;
    @Autowired
    PaymentInquiries inquiries;
    @Autowired
    CaptureClaims claims;
    @Autowired
    CardAuthorisations cards;
    @Autowired
    AntomCancels cancels;
    @Autowired
    com.checkoutroutes.shipment.ShipmentChecks shipment;
    @Autowired
    com.checkoutroutes.ledger.OrderCancellations cancellations;
    @Autowired
    com.checkoutroutes.ledger.RefundLedger refunds;

    @Test
    void authorisedThenShippedIsCaptured() {
        PaymentAttempt auth = authorisedCard();
        orderEvent(auth.orderId(), "ORDER_SHIPPED");

        PaymentAttempt captured = awaitState(auth, PaymentState.CAPTURED);
        assertThat(captured.captureRequestId()).isNotBlank();
        assertThat(captured.captureId()).isNotBlank();
        assertThat(sandbox.requests("capture", null)).filteredOn(c -> auth.paymentRequestId().equals(c.paymentRequestId())
                || captured.captureRequestId().equals(c.paymentRequestId())).hasSize(1);
        kafka().await(resultsTopic, r -> r.value().contains(auth.paymentRequestId())
                && r.value().contains("\"state\":\"CAPTURED\""));
        // every change has its event, the capture's request included: the versions the order system sees have no gap
        List<JsonNode> events = kafka().matching(resultsTopic, r -> r.value().contains(auth.paymentRequestId()))
                .stream().map(r -> read(r.value())).toList();
        assertThat(events).extracting(e -> e.path("state").asText())
                .containsSubsequence("AUTHORISED", "CAPTURE_REQUESTED", "CAPTURED");
        List<Integer> versions = events.stream().map(e -> e.path("version").asInt()).toList();
        assertThat(versions).as("one event per version, none missing")
                .isEqualTo(IntStream.rangeClosed(versions.get(0), versions.get(0) + versions.size() - 1).boxed().toList());
    }

    @Test
    void authorisedThenCancelledIsCancelled() {
        PaymentAttempt auth = authorisedCard();
        orderEvent(auth.orderId(), "ORDER_CANCELLED");

        awaitState(auth, PaymentState.CANCELLED);
        assertThat(sandbox.requests("cancel", auth.paymentRequestId())).hasSize(1);
        assertThat(sandbox.payment(auth.paymentRequestId()).orElseThrow().path("paymentStatus").asText())
                .isEqualTo("CANCELLED");
    }

    @Test
    void aCaptureWhoseAnswerIsLostIsResolvedByInquiry() {
        PaymentAttempt auth = authorisedCard();
        sandbox.addFault(FaultRule.of(FaultType.NOTIFY_DROP).forPaymentRequestId(auth.paymentRequestId()).withTimes(0));
        sandbox.addFault(FaultRule.of(FaultType.TIMEOUT).forApi("capture").withDelayMs(1500).withTimes(0));
        orderEvent(auth.orderId(), "ORDER_SHIPPED");

        await().atMost(Duration.ofSeconds(30)).until(() -> ledger.history(auth.paymentRequestId()).stream()
                .anyMatch(c -> c.cause().equals("CAPTURE_RESULT_UNKNOWN")));
        sandbox.clearFaults();
        awaitState(auth, PaymentState.CAPTURED);
        assertThat(ledger.history(auth.paymentRequestId()))
                .filteredOn(c -> c.from() == PaymentState.CAPTURE_REQUESTED && c.to() == PaymentState.CAPTURED)
                .extracting(StateChange::cause).containsExactly("INQUIRY");
    }

    /**
     * A shipment that comes while the card's payment has no result here yet (pay's answer lost, its notification not
     * come) is held, not refused for good: once the janitor learns the card was authorised, the held event is read
     * again (held-order-events) and the card captured.
     */
    @Test
    void aShipmentWhileThePaymentIsNotKnownYetIsHeldAndCapturesOnceItIsAuthorised() {
        String orderId = newOrderId();
        sandbox.addFault(FaultRule.of(FaultType.TIMEOUT).forApi("pay").withDelayMs(1500).withTimes(0));
        sandbox.addFault(FaultRule.of(FaultType.UNKNOWN_EXCEPTION).forApi("inquiryPayment").withTimes(0));
        sandbox.addFault(FaultRule.of(FaultType.NOTIFY_DROP).withTimes(0));
        try {
            publish(cardOrder(orderId, "MANUAL"));
            PaymentAttempt unknown = await().atMost(Duration.ofSeconds(30))
                    .until(() -> onlyAttempt(orderId), a -> a.state() == PaymentState.UNKNOWN);
            orderEvent(orderId, "ORDER_SHIPPED");

            JsonNode held = read(kafka().await(deadLetterTopic, r -> orderId.equals(r.key())
                    && r.value().contains(HeldOrderEventException.TYPE)).value());
            assertThat(held.path("reason").path("code").asText()).isEqualTo(PaymentAttempt.PAYMENT_NOT_KNOWN_YET);
            assertThat(state(unknown)).isEqualTo(PaymentState.UNKNOWN);
            assertThat(sandbox.requests("capture", unknown.paymentRequestId())).isEmpty();
        } finally {
            sandbox.clearFaults();
        }

        PaymentAttempt captured = awaitState(onlyAttempt(orderId), PaymentState.CAPTURED);
        assertThat(ledger.history(captured.paymentRequestId())).extracting(StateChange::cause)
                .containsSubsequence("INQUIRY", "ORDER_SHIPPED");
        assertThat(jdbc.queryForList("SELECT redriven_by FROM dead_letter WHERE order_id = ? AND reason_code = ?",
                String.class, orderId, PaymentAttempt.PAYMENT_NOT_KNOWN_YET)).containsExactly("held-order-events");
    }

    /** Antom never got the capture (answered 500 each try): the janitor finds none listed and sends the same one. */
    @Test
    void aCaptureThatNeverReachedAntomIsSentAgainByTheJanitor() {
        PaymentAttempt auth = shippedWithTheCaptureNotReachingAntom();
        String captureRequestId = ledger.find(auth.paymentRequestId()).orElseThrow().captureRequestId();
        assertThat(sandbox.payment(auth.paymentRequestId()).orElseThrow().has("capture")).as("Antom has no capture")
                .isFalse();
        sandbox.clearFaults();

        PaymentAttempt captured = awaitState(auth, PaymentState.CAPTURED);
        assertThat(captured.captureRequestId()).isEqualTo(captureRequestId);
        assertThat(ledger.history(auth.paymentRequestId())).extracting(StateChange::cause).contains("CAPTURE_RESENT");
        assertThat(sandbox.requests("capture", auth.paymentRequestId())).hasSizeGreaterThan(1);
        assertThat(sandbox.payment(auth.paymentRequestId()).orElseThrow().path("capture").path("captureRequestId")
                .asText()).as("the stored capture, sent again").isEqualTo(captureRequestId);
        assertThat(ledger.history(auth.paymentRequestId())).filteredOn(c -> c.to() == PaymentState.CAPTURE_REQUESTED
                && c.from() != PaymentState.CAPTURE_REQUESTED).as("one capture requested").hasSize(1);
    }

    /**
     * A capture Antom does not list, being sent again (by the janitor or a repeated shipment), is not given up by a
     * cancellation until that send's every try is over: the cancellation is refused CAPTURE_IN_PROGRESS and nothing
     * reaches Antom (the capture could still take the money, and Antom would refuse the cancel). Once given up, nothing
     * sends it again.
     */
    @Test
    void aCancellationWhileTheCaptureIsSentAgainIsRefusedUntilTheSendIsOver() throws Exception {
        PaymentAttempt auth = authorisedCard();
        try (AutoCloseable jobs = scheduledJobsStopped()) {
            shippedWhileTheCaptureFails(auth, FaultRule.of(FaultType.HTTP_5XX).forApi("capture").withTimes(0));
            sendTriesOver();
            PaymentAttempt requested = ledger.find(auth.paymentRequestId()).orElseThrow();
            int cancels = sandbox.requests("cancel", null).size();

            assertThat(claims.toSend(requested)).as("a send on its way").isTrue();
            orderEvent(auth.orderId(), "ORDER_CANCELLED");
            assertThat(refusal(auth.orderId())).isEqualTo("CAPTURE_IN_PROGRESS");
            assertThat(state(auth)).isEqualTo(PaymentState.CAPTURE_REQUESTED);
            assertThat(sandbox.requests("cancel", null)).hasSize(cancels);

            sendTriesOver();
            orderEvent(auth.orderId(), "ORDER_CANCELLED");
            awaitState(auth, PaymentState.CANCELLED);
            assertThat(claims.toSend(requested)).as("given up: nothing sends it").isFalse();
        }
    }

    /**
     * The cancellation came while the shipment's capture was in progress (refused CAPTURE_IN_PROGRESS, dead-lettered):
     * the janitor carries it out once nothing may be on its way, by the same rules: the capture Antom does not list is
     * never sent again but given up (CAPTURE_OVERTAKEN), and the authorisation cancelled, where the janitor sent the
     * capture again and the cancelled order's money stayed captured.
     */
    @Test
    void aCancellationRefusedWhileTheCaptureWasInProgressIsCarriedOutByTheJanitor() throws Exception {
        PaymentAttempt auth = authorisedCard();
        int captures;
        try (AutoCloseable jobs = scheduledJobsStopped()) {
            shippedWhileTheCaptureFails(auth, FaultRule.of(FaultType.HTTP_5XX).forApi("capture").withTimes(0));
            orderEvent(auth.orderId(), "ORDER_CANCELLED");
            assertThat(refusal(auth.orderId())).isEqualTo("CAPTURE_IN_PROGRESS");
            captures = sandbox.requests("capture", auth.paymentRequestId()).size();
            sendTriesOver();
        }

        awaitState(auth, PaymentState.CANCELLED);
        assertThat(ledger.history(auth.paymentRequestId())).extracting(StateChange::cause)
                .contains("CAPTURE_OVERTAKEN").doesNotContain("CAPTURE_RESENT");
        assertThat(sandbox.requests("capture", auth.paymentRequestId())).hasSize(captures);
        assertThat(refunds.refundsOf(auth.paymentRequestId())).isEmpty();
    }

    /**
     * The same, but the capture did reach Antom (its answer and notification lost, and Antom not answering the
     * cancellation's inquiry): the janitor learns Antom took it, and the cancellation gives the money back in full.
     */
    @Test
    void aCancellationRefusedWhileACaptureAntomTookWasInProgressIsRefundedByTheJanitor() throws Exception {
        PaymentAttempt auth = authorisedCard();
        try (AutoCloseable jobs = scheduledJobsStopped()) {
            sandbox.addFault(FaultRule.of(FaultType.NOTIFY_DROP).forPaymentRequestId(auth.paymentRequestId())
                    .withTimes(0));
            shippedWhileTheCaptureFails(auth, FaultRule.of(FaultType.TIMEOUT).forApi("capture").withDelayMs(1500)
                    .withTimes(0));
            sandbox.addFault(FaultRule.of(FaultType.HTTP_5XX).forApi("inquiryPayment").withTimes(0));
            orderEvent(auth.orderId(), "ORDER_CANCELLED");
            assertThat(refusal(auth.orderId())).isEqualTo("CAPTURE_IN_PROGRESS");
            sandbox.clearFaults();
        }

        awaitState(auth, PaymentState.CAPTURED);
        com.checkoutroutes.ledger.Refund refund = await().atMost(Duration.ofSeconds(30))
                .until(() -> refunds.refundsOf(auth.paymentRequestId()), list -> !list.isEmpty()).get(0);
        assertThat(refund.requestKey()).isEqualTo("CANCELLATION");
        assertThat(refund.amountValue()).isEqualTo(auth.amountValue());
    }

    /** A shipment after it, the capture still requested: refused, and the capture not sent again. */
    @Test
    void aShipmentOfACancelledOrderWhoseCaptureIsInProgressIsRefused() throws Exception {
        PaymentAttempt auth = authorisedCard();
        try (AutoCloseable jobs = scheduledJobsStopped()) {
            shippedWhileTheCaptureFails(auth, FaultRule.of(FaultType.HTTP_5XX).forApi("capture").withTimes(0));
            cancellations.keep(auth.orderId(), "ORDER_CANCELLED", null, 0); // left to the janitor, as refused
            int captures = sandbox.requests("capture", auth.paymentRequestId()).size();
            sendTriesOver();

            orderEvent(auth.orderId(), "ORDER_SHIPPED");

            assertThat(refusal(auth.orderId())).isEqualTo("CAPTURE_AFTER_CANCEL");
            assertThat(sandbox.requests("capture", auth.paymentRequestId())).hasSize(captures);
        }
    }

    /**
     * A repeated shipment event sends the capture again, and Antom still does not take it: a cancellation right after
     * is refused, as that send's every try may not be over. So for the janitor's sends.
     */
    @Test
    void aCancellationAfterARepeatedShipmentSentTheCaptureAgainIsRefused() throws Exception {
        PaymentAttempt auth = authorisedCard();
        try (AutoCloseable jobs = scheduledJobsStopped()) {
            shippedWhileTheCaptureFails(auth, FaultRule.of(FaultType.HTTP_5XX).forApi("capture").withTimes(0));
            sendTriesOver();
            sandbox.addFault(FaultRule.of(FaultType.HTTP_5XX).forApi("capture").withTimes(0));
            int sent = sandbox.requests("capture", null).size();
            orderEvent(auth.orderId(), "ORDER_SHIPPED");
            await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.requests("capture", null).size() > sent);

            aCancellationNowIsRefusedAndGivesNothingUp(auth);
        }
    }

    @Test
    void aCancellationAfterTheJanitorSentTheCaptureAgainIsRefused() throws Exception {
        PaymentAttempt auth;
        try (AutoCloseable jobs = scheduledJobsStopped()) {
            // the janitor's first look comes after the shipment's send is over: its send is the one on its way
            auth = shippedWithTheCaptureNotReachingAntom();
            sendTriesOver();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> ledger.history(auth.paymentRequestId()).stream()
                .anyMatch(c -> c.cause().equals("CAPTURE_RESENT")));

        aCancellationNowIsRefusedAndGivesNothingUp(auth);
    }

    /** The order is cancelled now: refused CAPTURE_IN_PROGRESS, the capture not given up. Clears the faults. */
    private void aCancellationNowIsRefusedAndGivesNothingUp(PaymentAttempt auth) {
        orderEvent(auth.orderId(), "ORDER_CANCELLED");
        assertThat(refusal(auth.orderId())).isEqualTo("CAPTURE_IN_PROGRESS");
        sandbox.clearFaults();
        assertThat(ledger.history(auth.paymentRequestId())).extracting(StateChange::cause)
                .doesNotContain("CAPTURE_OVERTAKEN");
    }

    /**
     * Moments after a capture was requested its first send may still be on its way to Antom (another instance's, or
     * the authorisation guard's): a cancellation finding no capture at Antom then is refused, not given up; once
     * every try of it is over, the same cancellation gives it up and cancels the authorisation.
     */
    @Test
    void aCancellationMomentsAfterACaptureWasRequestedIsRefusedUntilItsTriesAreOver() throws Exception {
        PaymentAttempt auth = authorisedCard();
        try (AutoCloseable jobs = scheduledJobsStopped()) {
            shippedWhileTheCaptureFails(auth, FaultRule.of(FaultType.HTTP_5XX).forApi("capture").withTimes(0));

            orderEvent(auth.orderId(), "ORDER_CANCELLED");
            assertThat(refusal(auth.orderId())).isEqualTo("CAPTURE_IN_PROGRESS");
            assertThat(state(auth)).isEqualTo(PaymentState.CAPTURE_REQUESTED);

            sendTriesOver();
            orderEvent(auth.orderId(), "ORDER_CANCELLED");
            awaitState(auth, PaymentState.CANCELLED);
        }
        assertThat(ledger.history(auth.paymentRequestId())).extracting(StateChange::cause)
                .contains("CAPTURE_OVERTAKEN");
    }

    /**
     * A capture that never reached Antom, and an authorisation Antom then cancelled (as it does after 7 days): the
     * janitor's inquiry closes the attempt CANCELLED and flags it, since the order's money was never taken.
     */
    @Test
    void aCaptureRequestedAuthorisationThatAntomCancelledIsClosedAndFlagged() {
        PaymentAttempt auth = shippedWithTheCaptureNotReachingAntom();
        cancelledAtAntom(auth);

        PaymentAttempt closed = awaitState(auth, PaymentState.CANCELLED);
        sandbox.clearFaults();

        assertThat(closed.flagReason()).startsWith("AUTHORISATION_RELEASED");
        assertThat(ledger.history(auth.paymentRequestId())).filteredOn(c -> c.to() == PaymentState.CANCELLED)
                .extracting(StateChange::from, StateChange::cause)
                .containsExactly(tuple(PaymentState.CAPTURE_REQUESTED,
                        "AUTHORISATION_RELEASED"));
        assertThat(sandbox.payment(auth.paymentRequestId()).orElseThrow().has("capture")).isFalse();
        kafka().await(resultsTopic, r -> r.value().contains(auth.paymentRequestId())
                && r.value().contains("\"state\":\"CANCELLED\""));
    }

    /**
     * The answer to a capture sent for the attempt as it was (CAPTURE_REQUESTED) that arrives once the attempt has
     * moved on (closed CANCELLED): it is noted, and moves nothing.
     */
    @Test
    void aCaptureAnswerForAnAttemptThatHasMovedOnIsNotedAndChangesNothing() {
        PaymentAttempt auth = shippedWithTheCaptureNotReachingAntom();
        PaymentAttempt asSent = ledger.find(auth.paymentRequestId()).orElseThrow();
        cancelledAtAntom(auth);
        awaitState(auth, PaymentState.CANCELLED);
        sandbox.clearFaults();

        // Antom refuses it (the authorisation is cancelled): CAPTURE_FAILED, were the attempt still CAPTURE_REQUESTED
        assertThat(captures.send(asSent)).isEqualTo(PaymentState.CANCELLED);

        assertThat(ledger.find(auth.paymentRequestId()).orElseThrow().state()).isEqualTo(PaymentState.CANCELLED);
        assertThat(ledger.history(auth.paymentRequestId())).noneMatch(c -> c.to() == PaymentState.CAPTURE_FAILED)
                .filteredOn(c -> c.cause().equals("STALE_CAPTURE_ANSWER")).singleElement()
                .satisfies(c -> assertThat(c.to()).isEqualTo(PaymentState.CANCELLED));
    }

    /**
     * A capture failed and another was requested (a redelivered shipment event): the first one's failure, notified
     * late, leaves the second under way; and a capture Antom notifies done after one failed is recorded CAPTURED,
     * where CAPTURE_FAILED was a dead end that refused refunds of money Antom had taken.
     */
    @Test
    void aLateFailureOfAnEarlierCaptureChangesNothingAndASuccessAfterAFailureIsRecorded() throws Exception {
        try (AutoCloseable jobs = scheduledJobsStopped()) {
            // the janitor would send cap-2, which Antom does not list, and the sandbox would capture it
            lateFailureThenSuccess();
        }
    }

    /** The authorised card's capture {@code captureRequestId} requested in the ledger, as a shipment would. */
    private PaymentAttempt captureRequested(PaymentAttempt auth, String captureRequestId) {
        return ledger.apply(auth.paymentRequestId(), Transition.to(PaymentState.CAPTURE_REQUESTED,
                "CAPTURE_REQUESTED").captureRequestId(captureRequestId)).attempt();
    }

    private void lateFailureThenSuccess() {
        PaymentAttempt auth = authorisedCard();
        String prid = auth.paymentRequestId();
        captureRequested(auth, "cap-2-" + prid);
        AntomNotifier antom = antomNotifier();

        assertThat(antom.send(captureNotification(auth, "cap-1-" + prid, false)).status()).isEqualTo(200);
        assertThat(state(auth)).isEqualTo(PaymentState.CAPTURE_REQUESTED);
        assertThat(ledger.history(prid)).extracting(StateChange::cause).contains("STALE_CAPTURE_RESULT");

        assertThat(antom.send(captureNotification(auth, "cap-2-" + prid, false)).status()).isEqualTo(200);
        assertThat(state(auth)).isEqualTo(PaymentState.CAPTURE_FAILED);
        assertThat(antom.send(captureNotification(auth, "cap-2-" + prid, true)).status()).isEqualTo(200);
        assertThat(state(auth)).isEqualTo(PaymentState.CAPTURED);
    }

    /**
     * A capture's answer arrives after a failure of the same capture was recorded (the janitor's resend answered F
     * while the first try was still on its way): Antom took the money, so CAPTURED, as a notified success would be,
     * not an answer kept aside while the ledger refuses refunds of money taken.
     */
    @Test
    void aCaptureAnsweredDoneAfterItsFailureWasRecordedIsCaptured() throws Exception {
        try (AutoCloseable jobs = scheduledJobsStopped()) {
            PaymentAttempt auth = authorisedCard();
            String prid = auth.paymentRequestId();
            PaymentAttempt asSent = captureRequested(auth, "cap-1-" + prid);
            ledger.apply(prid, Transition.to(PaymentState.CAPTURE_FAILED, "CAPTURE_FAILED"));

            assertThat(captures.send(asSent)).isEqualTo(PaymentState.CAPTURED);

            PaymentAttempt after = ledger.find(prid).orElseThrow();
            assertThat(after.state()).isEqualTo(PaymentState.CAPTURED);
            assertThat(after.captureId()).isNotNull();
            assertThat(ledger.history(prid)).extracting(StateChange::cause).doesNotContain("STALE_CAPTURE_ANSWER");
        }
    }

    /**
     * An earlier capture notified done while a later one is requested: CAPTURED, on record as the capture that took
     * the money, so the later one's failure, notified next, is stale and flags nothing.
     */
    @Test
    void anEarlierCaptureNotifiedDoneIsTheOneOnRecord() throws Exception {
        try (AutoCloseable jobs = scheduledJobsStopped()) {
            PaymentAttempt auth = authorisedCard();
            String prid = auth.paymentRequestId();
            captureRequested(auth, "cap-2-" + prid);
            AntomNotifier antom = antomNotifier();

            assertThat(antom.send(captureNotification(auth, "cap-1-" + prid, true)).status()).isEqualTo(200);
            assertThat(ledger.find(prid).orElseThrow().captureRequestId()).isEqualTo("cap-1-" + prid);
            assertThat(antom.send(captureNotification(auth, "cap-2-" + prid, false)).status()).isEqualTo(200);

            PaymentAttempt after = ledger.find(prid).orElseThrow();
            assertThat(after.state()).isEqualTo(PaymentState.CAPTURED);
            assertThat(after.flagged()).as(String.valueOf(after.flagReason())).isFalse();
            assertThat(ledger.history(prid)).extracting(StateChange::cause).contains("STALE_CAPTURE_RESULT");
        }
    }

    /** A capture Antom reports failed after the ledger recorded it captured keeps CAPTURED, flagged for an operator. */
    @Test
    void aCaptureFailureAfterTheCaptureIsFlagged() {
        PaymentAttempt auth = authorisedCard();
        orderEvent(auth.orderId(), "ORDER_SHIPPED");
        PaymentAttempt captured = awaitState(auth, PaymentState.CAPTURED);

        assertThat(antomNotifier().send(captureNotification(captured, captured.captureRequestId(), false)).status())
                .isEqualTo(200);

        PaymentAttempt after = ledger.find(auth.paymentRequestId()).orElseThrow();
        assertThat(after.state()).isEqualTo(PaymentState.CAPTURED);
        assertThat(after.flagReason()).startsWith("CONFLICTING_RESULT");
    }

    /** The ledger holds CAPTURE_FAILED where Antom captured: asking Antom ("Check with Antom") records CAPTURED. */
    @Test
    void anInquiryRecordsACaptureAntomListsDoneForAnAttemptHeldFailed() {
        PaymentAttempt auth = authorisedCard();
        orderEvent(auth.orderId(), "ORDER_SHIPPED");
        awaitState(auth, PaymentState.CAPTURED);
        jdbc.update("UPDATE payment_attempt SET state = 'CAPTURE_FAILED' WHERE payment_request_id = ?",
                auth.paymentRequestId());

        assertThat(inquiries.confirm(ledger.find(auth.paymentRequestId()).orElseThrow()))
                .isEqualTo(com.checkoutroutes.results.PaymentInquiries.Confirmation.CONFIRMED);

        assertThat(state(auth)).isEqualTo(PaymentState.CAPTURED);
    }

    /** Held CAPTURE_FAILED while Antom released the authorisation: asking Antom closes it, flagged. */
    @Test
    void anInquiryClosesAnAttemptHeldFailedWhoseAuthorisationAntomReleased() {
        PaymentAttempt auth = authorisedCard();
        jdbc.update("UPDATE payment_attempt SET state = 'CAPTURE_FAILED' WHERE payment_request_id = ?",
                auth.paymentRequestId());
        cancelledAtAntom(auth);

        assertThat(inquiries.confirm(ledger.find(auth.paymentRequestId()).orElseThrow()))
                .isEqualTo(com.checkoutroutes.results.PaymentInquiries.Confirmation.CONFIRMED);

        PaymentAttempt after = ledger.find(auth.paymentRequestId()).orElseThrow();
        assertThat(after.state()).isEqualTo(PaymentState.CANCELLED);
        assertThat(after.flagReason()).startsWith("AUTHORISATION_RELEASED");
    }

    private static String captureNotification(PaymentAttempt auth, String captureRequestId, boolean succeeded) {
        return AntomNotifier.captureResult(auth.paymentId(), captureRequestId, succeeded, auth.currency(),
                auth.amountValue());
    }

    /** Antom cancels the authorisation (as it does after 7 days), and the ledger is not told. */
    private void cancelledAtAntom(PaymentAttempt auth) {
        AlipayPayCancelRequest cancel = new AlipayPayCancelRequest();
        cancel.setPaymentRequestId(auth.paymentRequestId());
        cancel.setPaymentId(auth.paymentId());
        assertThat(gateway.call("cancel", auth.paymentRequestId(), cancel)).isInstanceOf(CallOutcome.Answered.class);
    }

    /** An authorised card shipped while Antom answers every capture 503 (until the test clears the faults). */
    private PaymentAttempt shippedWithTheCaptureNotReachingAntom() {
        PaymentAttempt auth = authorisedCard();
        // until the test clears it: a janitor's look between the shipment and the test's next step fails too
        sandbox.addFault(FaultRule.of(FaultType.HTTP_5XX).forApi("capture").withTimes(0));
        orderEvent(auth.orderId(), "ORDER_SHIPPED");
        await().atMost(Duration.ofSeconds(30)).until(() -> ledger.history(auth.paymentRequestId()).stream()
                .anyMatch(c -> c.cause().equals("CAPTURE_RESULT_UNKNOWN")));
        return auth;
    }

    @Test
    void aDuplicateShippedEventCapturesOnce() {
        PaymentAttempt auth = authorisedCard();
        orderEvent(auth.orderId(), "ORDER_SHIPPED");
        orderEvent(auth.orderId(), "ORDER_SHIPPED");
        PaymentAttempt captured = awaitState(auth, PaymentState.CAPTURED);
        orderEventsProcessedUpTo(auth.orderId());

        assertThat(sandbox.requests("capture", null)).filteredOn(c -> auth.paymentRequestId().equals(c.paymentRequestId())
                || captured.captureRequestId().equals(c.paymentRequestId())).hasSize(1);
        assertThat(ledger.history(auth.paymentRequestId())).filteredOn(c -> c.to() == PaymentState.CAPTURE_REQUESTED)
                .hasSize(1);
    }

    @Test
    void wrongStateEventsAreRefusedAndNothingReachesAntom() {
        PaymentAttempt cancelled = authorisedCard();
        orderEvent(cancelled.orderId(), "ORDER_CANCELLED");
        awaitState(cancelled, PaymentState.CANCELLED);
        String apmOrder = newOrderId();
        publish(order(apmOrder));
        awaitChannelMessage("WEB", apmOrder);
        // these two payments' calls only: the janitor may still be at an earlier test's leftovers
        List<String> ours = List.of(cancelled.paymentRequestId(), onlyAttempt(apmOrder).paymentRequestId());
        int captures = callsOf("capture", ours);
        int cancels = callsOf("cancel", ours);

        orderEvent(cancelled.orderId(), "ORDER_SHIPPED");
        orderEvent(apmOrder, "ORDER_SHIPPED");

        assertThat(refusal(cancelled.orderId())).isEqualTo("CAPTURE_AFTER_CANCEL");
        // an APM's payment is never captured: refused, not held until the buyer pays it
        assertThat(refusal(apmOrder)).isEqualTo("NOT_PAID");
        assertThat(callsOf("capture", ours)).isEqualTo(captures);
        assertThat(callsOf("cancel", ours)).isEqualTo(cancels);
        // a captured card's ORDER_CANCELLED is refunded instead of refused: refunds.RefundFlowsTest
    }

    /**
     * The order topic lags: the order's cancellation comes before the order. It is kept (no dead letter), and the
     * order is then refused ORDER_CANCELLED before Antom is called; the pre-shipment check holds it.
     */
    @Test
    void anOrderItsCancellationCameBeforeIsRefusedBeforeAntomIsCalled() {
        String orderId = newOrderId();
        orderEvent(orderId, "ORDER_CANCELLED");
        orderEventsProcessedUpTo(orderId);
        assertThat(kafka().matching(deadLetterTopic, r -> orderId.equals(r.key())
                && r.value().contains("UNKNOWN_ORDER"))).isEmpty();

        publish(cardOrder(orderId, "AUTOMATIC"));

        assertThat(orderRefusal(orderId)).isEqualTo("ORDER_CANCELLED");
        assertThat(ledger.attemptsOf(orderId)).as("none stored, so none sent: a pay goes out after its store").isEmpty();
        assertThat(shipment.decide(orderId, null).reasons())
                .extracting(com.checkoutroutes.shipment.ShipmentDecision.Reason::code).contains("ORDER_CANCELLED");
    }

    /** A new attempt after the order's cancellation (attempt 1 had failed) is refused too, not paid. */
    @Test
    void aNewAttemptAfterTheOrdersCancellationIsRefused() {
        String orderId = newOrderId();
        Map<String, Object> declined = cardOrder(orderId, "MANUAL");
        declined.put("amount", Map.of("currency", "USD", "value", "20051")); // the sandbox's declined card
        publish(declined);
        await().atMost(Duration.ofSeconds(20)).until(() -> onlyAttempt(orderId).state() == PaymentState.FAILED);
        orderEvent(orderId, "ORDER_CANCELLED");
        orderEventsProcessedUpTo(orderId);

        Map<String, Object> retry = cardOrder(orderId, "MANUAL");
        retry.put("attempt", 2);
        publish(retry);

        assertThat(orderRefusal(orderId)).isEqualTo("ORDER_CANCELLED");
        assertThat(ledger.attemptsOf(orderId)).hasSize(1);
    }

    /**
     * An attempt stored at the very moment the order's cancellation was kept, each missing the other (here: kept
     * without the event, as if its read of the attempts came first): the janitor cancels it.
     */
    @Test
    void anAttemptStoredAsTheCancellationCameIsCancelledByTheJanitor() {
        PaymentAttempt auth = authorisedCard();
        cancellations.keep(auth.orderId(), "RISK_FLAGGED", null, 0);

        awaitState(auth, PaymentState.CANCELLED);
        assertThat(sandbox.requests("capture", auth.paymentRequestId())).isEmpty();
        assertThat(cancellations.due(java.time.OffsetDateTime.now(clock).minusDays(1), 1000))
                .extracting(com.checkoutroutes.ledger.OrderCancellations.Due::orderId).doesNotContain(auth.orderId());
    }

    /** An id no order can have is refused and dead-lettered without it; the events after it on its partition go on. */
    @Test
    void anEventWithAnOrderIdNoOrderCanHaveIsRefusedAndThePartitionGoesOn() {
        String key = newOrderId();
        String tooLong = "x".repeat(65);
        kafka().publish(orderEventsTopic, key, "{\"type\":\"NOT_AN_EVENT\",\"orderId\":\"" + tooLong + "\"}");

        JsonNode letter = read(kafka().await(deadLetterTopic, r -> key.equals(r.key())
                && r.value().contains("INVALID_ORDER_ID")).value());
        assertThat(letter.path("type").asText()).isEqualTo("ORDER_EVENT_REFUSED");
        assertThat(letter.has("orderId")).as("an id the archive could not keep").isFalse();
        assertThat(letter.path("original").asText()).contains(tooLong);
        orderEventsProcessedUpTo(key);
    }

    @Test
    void aCardPaymentOfAnApmIsRefusedAsNotACard() {
        String orderId = newOrderId();
        Map<String, Object> order = order(orderId);
        order.put("amount", Map.of("currency", "USD", "value", "20061")); // the sandbox buyer pays at once
        publish(order);
        PaymentAttempt attempt = await().atMost(Duration.ofSeconds(20))
                .until(() -> onlyAttempt(orderId), a -> a.state() == PaymentState.SUCCEEDED);
        orderEvent(orderId, "ORDER_SHIPPED");
        assertThat(refusal(orderId)).isEqualTo("NOT_A_CARD_PAYMENT");
        assertThat(ledger.find(attempt.paymentRequestId()).orElseThrow().state()).isEqualTo(PaymentState.SUCCEEDED);
    }

    /**
     * The guard acts on a page of authorisations it read minutes before: one an order's cancellation reached since
     * (its cancel asked, or refused by Antom and flagged) is not captured, and one whose shipment requested its capture
     * since is not cancelled; nothing reaches Antom for either.
     */
    @Test
    void theGuardLeavesAnAuthorisationThatMovedSinceItWasRead() throws Exception {
        try (AutoCloseable jobs = scheduledJobsStopped()) {
            PaymentAttempt cancelAsked = authorisedCard();
            ledger.note(cancelAsked.paymentRequestId(), "CANCEL_REQUESTED", "ORDER_CANCELLED", null);
            PaymentAttempt flagged = authorisedCard();
            ledger.note(flagged.paymentRequestId(), "CANCEL_NOT_DONE", "F", "CANCEL_NOT_DONE: refused");

            assertThat(cards.captureForGuard(cancelAsked)).isEmpty();
            assertThat(cards.captureForGuard(flagged)).isEmpty();
            assertThat(sandbox.requests("capture", cancelAsked.paymentRequestId())).isEmpty();
            assertThat(sandbox.requests("capture", flagged.paymentRequestId())).isEmpty();

            PaymentAttempt asRead = authorisedCard();
            shippedWhileTheCaptureFails(asRead, FaultRule.of(FaultType.HTTP_5XX).forApi("capture").withTimes(0));
            assertThat(cancels.cancelIfUnchanged(asRead, "AUTHORISATION_GUARD")).isFalse();
            assertThat(state(asRead)).isEqualTo(PaymentState.CAPTURE_REQUESTED);
            assertThat(sandbox.requests("cancel", asRead.paymentRequestId())).isEmpty();

            // a cancel asked for it, its flag cleared since: left to an operator (flagged), not lapsing unseen
            PaymentAttempt cleared = aged(authorisedCard());
            ledger.note(cleared.paymentRequestId(), "CANCEL_REQUESTED", "ORDER_CANCELLED", null);
            assertThat(guard.runWith(Policy.CAPTURE).detail()).contains(cleared.paymentRequestId() + ":alerted");
            assertThat(ledger.find(cleared.paymentRequestId()).orElseThrow().flagReason())
                    .startsWith("AUTHORISATION_EXPIRING");
            assertThat(sandbox.requests("capture", cleared.paymentRequestId())).isEmpty();
            cancelQuietly(ledger.find(cleared.paymentRequestId()).orElseThrow());
        }
    }

    /**
     * An order's cancellation reads its payments, then cancels each under its lock: a capture requested in between
     * (the guard's, a shipment's on another consumer) refuses the cancel, CAPTURE_IN_PROGRESS, with nothing sent; a
     * cancel would void the capture once the goods left (or be refused by Antom and leave the order charged).
     */
    @Test
    void aCancellationFindingACaptureRequestedSinceItReadThePaymentSendsNoCancel() throws Exception {
        try (AutoCloseable jobs = scheduledJobsStopped()) {
            PaymentAttempt asRead = authorisedCard();
            shippedWhileTheCaptureFails(asRead, FaultRule.of(FaultType.HTTP_5XX).forApi("capture").withTimes(0));

            assertThatThrownBy(() -> cancels.cancelOrRefund(asRead, "ORDER_CANCELLED", "CANCELLATION"))
                    .isInstanceOf(CaptureOnItsWayException.class);

            assertThat(state(asRead)).isEqualTo(PaymentState.CAPTURE_REQUESTED);
            assertThat(sandbox.requests("cancel", asRead.paymentRequestId())).isEmpty();
            assertThat(ledger.cancelAsked(asRead.paymentRequestId())).as("no cancel recorded as asked").isFalse();
            sandbox.clearFaults();
        }
    }

    /**
     * A shipment while a cancel of the authorisation may still be on its way to Antom (the guard's, an expiry's) is
     * refused CANCEL_IN_PROGRESS: that cancel would void the capture after the goods left.
     */
    @Test
    void aShipmentWhileACancelIsOnItsWayIsRefused() throws Exception {
        try (AutoCloseable jobs = scheduledJobsStopped()) {
            PaymentAttempt auth = authorisedCard();
            ledger.claimCancelSend(auth.paymentRequestId(), java.time.OffsetDateTime.now(clock).plusMinutes(2));

            orderEvent(auth.orderId(), "ORDER_SHIPPED");

            assertThat(refusal(auth.orderId())).isEqualTo("CANCEL_IN_PROGRESS");
            assertThat(state(auth)).isEqualTo(PaymentState.AUTHORISED);
            assertThat(sandbox.requests("capture", auth.paymentRequestId())).isEmpty();
            cancelQuietly(auth);
        }
    }

    /**
     * The order was cancelled and Antom refused the cancel (the authorisation stays open, flagged): an ORDER_SHIPPED
     * after it (out of order, or in error) is refused, never captured: the buyer would pay for a cancelled order.
     */
    @Test
    void aShipmentOfAnOrderCancelledIsRefusedThoughItsAuthorisationIsOpen() throws Exception {
        try (AutoCloseable jobs = scheduledJobsStopped()) {
            PaymentAttempt auth = authorisedCard();
            cancellations.keep(auth.orderId(), "ORDER_CANCELLED", null, auth.attemptNo());
            ledger.note(auth.paymentRequestId(), "CANCEL_NOT_DONE", null, "CANCEL_NOT_DONE: refused by Antom");

            orderEvent(auth.orderId(), "ORDER_SHIPPED");

            assertThat(refusal(auth.orderId())).isEqualTo("CAPTURE_AFTER_CANCEL");
            assertThat(state(auth)).isEqualTo(PaymentState.AUTHORISED);
            assertThat(sandbox.requests("capture", auth.paymentRequestId())).isEmpty();
            cancelQuietly(auth);
        }
    }

    /**
     * An authorisation flagged for an operator (here a cancel Antom lists) is not captured on shipment, as the guard
     * does not capture it: refused FLAGGED; once the operator cleared it, the event re-sent captures it.
     */
    @Test
    void aShipmentOfAFlaggedAuthorisationIsRefusedUntilTheFlagIsCleared() throws Exception {
        try (AutoCloseable jobs = scheduledJobsStopped()) {
            PaymentAttempt auth = authorisedCard();
            ledger.note(auth.paymentRequestId(), "CANCEL_LISTED", null, "CANCEL_LISTED: Antom lists a cancel");

            orderEvent(auth.orderId(), "ORDER_SHIPPED");

            assertThat(refusal(auth.orderId())).isEqualTo("FLAGGED");
            assertThat(state(auth)).isEqualTo(PaymentState.AUTHORISED);
            assertThat(sandbox.requests("capture", auth.paymentRequestId())).isEmpty();

            ledger.clearFlag(auth.paymentRequestId(), "operator", "the cancel was another payment's");
            orderEvent(auth.orderId(), "ORDER_SHIPPED");
            await().atMost(Duration.ofSeconds(20)).until(() -> state(auth) == PaymentState.CAPTURED);
        }
    }

    /**
     * The ledger flags a capture that failed (CAPTURE_FAILED) for an operator, but a new shipment event captures again
     * all the same, with a new captureRequestId: that flag is no reason to refuse it.
     */
    @Test
    void aShipmentAfterAFailedCaptureCapturesAgainThoughTheFailureIsFlagged() throws Exception {
        try (AutoCloseable jobs = scheduledJobsStopped()) {
            PaymentAttempt auth = authorisedCard();
            String prid = auth.paymentRequestId();
            captureRequested(auth, "cap-1-" + prid);
            ledger.apply(prid, Transition.to(PaymentState.CAPTURE_FAILED, "CAPTURE_FAILED"));
            assertThat(ledger.find(prid).orElseThrow().flagReason()).startsWith("CAPTURE_FAILED");

            orderEvent(auth.orderId(), "ORDER_SHIPPED");

            await().atMost(Duration.ofSeconds(20)).until(() -> state(auth) == PaymentState.CAPTURED);
            assertThat(ledger.find(prid).orElseThrow().captureRequestId()).isNotEqualTo("cap-1-" + prid);
            // captured, the failure's flag is answered: it does not hold the order
            assertThat(shipment.decide(auth.orderId(), null).reasons()).extracting(r -> r.code())
                    .doesNotContain("FLAGGED");
        }
    }

    @Test
    void theGuardAppliesEachPolicyToAuthorisationsPastTheThreshold() {
        PaymentAttempt toAlert = aged(authorisedCard());
        guard.runWith(Policy.ALERT);
        PaymentAttempt alerted = ledger.find(toAlert.paymentRequestId()).orElseThrow();
        assertThat(alerted.state()).isEqualTo(PaymentState.AUTHORISED);
        assertThat(alerted.flagReason()).startsWith("AUTHORISATION_EXPIRING");
        // the policy switched to CAPTURE since: its own alert is no reason for the guard to leave it to an operator
        assertThat(guard.runWith(Policy.CAPTURE).detail()).contains(alerted.paymentRequestId() + ":captured->CAPTURED");

        PaymentAttempt toCapture = aged(authorisedCard());
        // by what each run says of this test's attempt: the other tests' payments may be due too
        assertThat(guard.runWith(Policy.CAPTURE).detail()).contains(toCapture.paymentRequestId() + ":captured->CAPTURED");
        assertThat(ledger.find(toCapture.paymentRequestId()).orElseThrow().state()).isEqualTo(PaymentState.CAPTURED);

        PaymentAttempt toCancel = aged(authorisedCard());
        assertThat(guard.runWith(Policy.CANCEL).detail()).contains(toCancel.paymentRequestId() + ":cancelled");
        assertThat(ledger.find(toCancel.paymentRequestId()).orElseThrow().state()).isEqualTo(PaymentState.CANCELLED);

        PaymentAttempt young = authorisedCard();
        assertThat(guard.runWith(Policy.CANCEL).detail()).doesNotContain(young.paymentRequestId());
        assertThat(ledger.find(young.paymentRequestId()).orElseThrow().state()).isEqualTo(PaymentState.AUTHORISED);
    }

    /**
     * An authorisation past Antom's 7 days that Antom lists cancelled, which no cancel of this service did: the
     * guard's inquiry closes it CANCELLED, flagged AUTHORISATION_RELEASED once (the guard used to note it again).
     */
    @Test
    void anAuthorisationAntomListsCancelledPastSevenDaysIsFlaggedReleasedOnce() {
        PaymentAttempt released = authorisedCard();
        jdbc.update("UPDATE payment_attempt SET paid_at = paid_at - INTERVAL '8' DAY WHERE payment_request_id = ?",
                released.paymentRequestId());
        cancelledAtAntom(released);

        assertThat(guard.runWith(Policy.CAPTURE).detail()).contains(released.paymentRequestId() + ":->CANCELLED");

        PaymentAttempt closed = ledger.find(released.paymentRequestId()).orElseThrow();
        assertThat(closed.flagReason()).startsWith("AUTHORISATION_RELEASED").containsOnlyOnce("AUTHORISATION_RELEASED");
        assertThat(ledger.history(released.paymentRequestId())).extracting(StateChange::cause)
                .containsOnlyOnce("AUTHORISATION_RELEASED");
    }

    /**
     * Past Antom's 7 days an authorisation gets no policy: Antom is asked, and one it lists neither captured nor
     * cancelled is closed as released and flagged, so it leaves the guard's and the console's lists.
     */
    @Test
    void anAuthorisationPastSevenDaysIsClosedAsReleasedWhateverThePolicy() {
        PaymentAttempt released = authorisedCard();
        jdbc.update("UPDATE payment_attempt SET paid_at = paid_at - INTERVAL '8' DAY WHERE payment_request_id = ?",
                released.paymentRequestId());
        int inquiries = sandbox.requests("inquiryPayment", released.paymentRequestId()).size();

        assertThat(guard.runWith(Policy.CAPTURE).detail()).contains(released.paymentRequestId() + ":->CANCELLED");

        PaymentAttempt closed = ledger.find(released.paymentRequestId()).orElseThrow();
        assertThat(closed.state()).isEqualTo(PaymentState.CANCELLED);
        assertThat(closed.flagReason()).startsWith("AUTHORISATION_RELEASED");
        assertThat(ledger.history(released.paymentRequestId())).extracting(StateChange::cause)
                .contains("AUTHORISATION_RELEASED");
        assertThat(sandbox.requests("inquiryPayment", released.paymentRequestId())).hasSize(inquiries + 1);
        assertThat(sandbox.requests("capture", null)).filteredOn(c -> released.paymentRequestId()
                .equals(c.paymentRequestId())).isEmpty();
        kafka().await(resultsTopic, r -> r.value().contains(released.paymentRequestId())
                && r.value().contains("\"state\":\"CANCELLED\""));
        assertThat(guard.runWith(Policy.CAPTURE).detail()).doesNotContain(released.paymentRequestId());
    }

    /** A shipment past Antom's 7 days is refused with its reason, and no capture Antom would refuse is sent. */
    @Test
    void aShipmentPastSevenDaysIsRefusedAsReleasedWithoutACapture() {
        PaymentAttempt released = authorisedCard();
        jdbc.update("UPDATE payment_attempt SET paid_at = paid_at - INTERVAL '8' DAY WHERE payment_request_id = ?",
                released.paymentRequestId());

        orderEvent(released.orderId(), "ORDER_SHIPPED");

        assertThat(refusal(released.orderId())).isEqualTo("AUTHORISATION_RELEASED");
        assertThat(sandbox.requests("capture", null)).filteredOn(c -> released.paymentRequestId()
                .equals(c.paymentRequestId())).isEmpty();
        assertThat(ledger.find(released.paymentRequestId()).orElseThrow().state()).isEqualTo(PaymentState.AUTHORISED);
    }

    /** One past the 7 days that Antom lists as captured (a capture the ledger missed) is recorded CAPTURED. */
    @Test
    void anAuthorisationPastSevenDaysThatAntomCapturedIsRecordedCapturedNotReleased() {
        PaymentAttempt auth = authorisedCard();
        sandbox.addFault(FaultRule.of(FaultType.NOTIFY_DROP).forPaymentRequestId(auth.paymentRequestId()).withTimes(0));
        AlipayCaptureRequest capture = new AlipayCaptureRequest();
        capture.setCaptureRequestId("CAP-ELSEWHERE-" + auth.paymentRequestId());
        capture.setPaymentId(auth.paymentId());
        Amount amount = new Amount();
        amount.setCurrency(auth.currency());
        amount.setValue(String.valueOf(auth.amountValue()));
        capture.setCaptureAmount(amount);
        assertThat(gateway.call("capture", capture.getCaptureRequestId(), capture))
                .isInstanceOf(CallOutcome.Answered.class); // captured at Antom, unknown to the ledger
        jdbc.update("UPDATE payment_attempt SET paid_at = paid_at - INTERVAL '8' DAY WHERE payment_request_id = ?",
                auth.paymentRequestId());

        guard.runWith(Policy.ALERT);

        PaymentAttempt after = ledger.find(auth.paymentRequestId()).orElseThrow();
        assertThat(after.state()).isEqualTo(PaymentState.CAPTURED);
        assertThat(after.flagged()).isFalse();
    }

    private void cancelQuietly(PaymentAttempt attempt) {
        orderEvent(attempt.orderId(), "ORDER_CANCELLED");
        awaitState(attempt, PaymentState.CANCELLED);
    }

    /** An event past checkout.kafka.max-event-bytes is refused unread, named by its size; the partition goes on. */
    @Test
    void anEventPastItsLimitIsRefusedUnreadAndThePartitionGoesOn() {
        String key = newOrderId();
        String huge = "{\"type\":\"ORDER_SHIPPED\",\"orderId\":\"" + key + "\",\"note\":\"" + "x".repeat(20_000) + "\"}";
        kafka().publish(orderEventsTopic, key, huge);

        JsonNode letter = read(kafka().await(deadLetterTopic, r -> key.equals(r.key())
                && r.value().contains("PAYLOAD_TOO_LARGE")).value());
        assertThat(letter.path("type").asText()).isEqualTo("ORDER_EVENT_REFUSED");
        assertThat(letter.path("originalBytes").asInt()).isEqualTo(huge.length());
        assertThat(letter.has("original")).isFalse();
        orderEventsProcessedUpTo(key);
    }

    /** Ages an authorisation past the guard's threshold (6 days), still within Antom's 7. */
    private PaymentAttempt aged(PaymentAttempt attempt) {
        jdbc.update("UPDATE payment_attempt SET paid_at = paid_at - INTERVAL '150' HOUR WHERE payment_request_id = ?",
                attempt.paymentRequestId());
        return attempt;
    }

    private int callsOf(String api, List<String> paymentRequestIds) {
        return paymentRequestIds.stream().mapToInt(id -> sandbox.requests(api, id).size()).sum();
    }

    /** The code of the order's refusal (ORDER_REJECTED) on the dead-letter topic. */
    private String orderRefusal(String orderId) {
        JsonNode letter = read(kafka().await(deadLetterTopic, r -> r.value().contains("ORDER_REJECTED")
                && orderId.equals(r.key())).value());
        return letter.path("reason").path("code").asText();
    }

    private String refusal(String orderId) {
        JsonNode letter = read(kafka().await(deadLetterTopic, r -> r.value().contains("ORDER_EVENT_REFUSED")
                && orderId.equals(r.key())).value());
        return letter.path("reason").path("code").asText();
    }
}
