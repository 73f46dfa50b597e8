package com.checkoutroutes.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.alipay.global.api.model.Result;
import com.alipay.global.api.model.ResultStatusType;
import com.alipay.global.api.response.ams.pay.AlipayPayResponse;
import com.checkoutroutes.gateway.CallOutcome;
import com.checkoutroutes.ledger.NewAttempt;
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentAttempt.Integration;
import com.checkoutroutes.ledger.PaymentLedger.StateChange;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.ledger.Transition;
import com.checkoutroutes.orderintake.PaymentOutcomes;
import com.checkoutroutes.reconciliation.Janitor;
import com.checkoutroutes.sandbox.FaultRule;
import com.checkoutroutes.sandbox.FaultType;
import com.checkoutroutes.sandbox.NotificationAttempt;
import com.checkoutroutes.sandbox.OutcomeScript.Outcome;
import com.checkoutroutes.testsupport.AntomNotifier;
import com.checkoutroutes.testsupport.AntomNotifier.Answer;
import com.checkoutroutes.testsupport.FlowTestSupport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;

/** Antom's notifications: verified, applied once, answered exactly, and never able to undo a final state. */
class NotificationsTest extends FlowTestSupport {

    private static final String SUCCESS =
            "{\"result\":{\"resultCode\":\"SUCCESS\",\"resultStatus\":\"S\",\"resultMessage\":\"success\"}}";

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ProducerTemplate producer;
    @Value("${checkout.http.shipment-checks-path}")
    String shipmentChecksPath;
    @Value("${checkout.topics.duplicate-payments}")
    String duplicatePaymentsTopic;
    @Autowired
    PaymentOutcomes outcomes;
    @Autowired
    Janitor janitor;
    @Autowired
    com.checkoutroutes.results.ResultApplier results;
    @Autowired
    com.checkoutroutes.results.PaymentInquiries inquiries;
    AntomNotifier antom;

    @BeforeEach
    void notifier() {
        antom = antomNotifier();
    }

    @Test
    void theSandboxsNotificationIsAppliedAndAnsweredSuccess() {
        PaymentAttempt attempt = pendingWallet();
        sandbox.buyerAction(attempt.paymentId(), Outcome.PAY);

        await().atMost(Duration.ofSeconds(20)).until(() -> state(attempt) == PaymentState.SUCCEEDED);
        List<NotificationAttempt> deliveries = await().until(
                () -> sandbox.notifications(attempt.paymentRequestId()), l -> !l.isEmpty());
        assertThat(deliveries.get(0).acknowledged()).isTrue();
        kafka().await(resultsTopic, r -> r.value().contains(attempt.paymentRequestId())
                && r.value().contains("\"state\":\"SUCCEEDED\""));
    }

    @Test
    void theSameNotificationEightTimesChangesStateOnceAndEmitsOneEvent() {
        PaymentAttempt attempt = pendingWallet();
        String body = AntomNotifier.paymentResult("PAYMENT_RESULT", "S", "SUCCESS", attempt.paymentRequestId(),
                attempt.paymentId(), attempt.currency(), attempt.amountValue());

        for (int i = 0; i < 8; i++) {
            Answer answer = antom.send(body);
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo(SUCCESS);
        }

        assertThat(state(attempt)).isEqualTo(PaymentState.SUCCEEDED);
        assertThat(ledger.history(attempt.paymentRequestId())).filteredOn(c -> c.to() == PaymentState.SUCCEEDED)
                .hasSize(1);
        kafka().await(resultsTopic, r -> r.value().contains(attempt.paymentRequestId())
                && r.value().contains("\"state\":\"SUCCEEDED\""));
        assertThat(jdbc.queryForObject("SELECT times_received FROM notification_inbox WHERE payment_request_id = ?",
                Integer.class, attempt.paymentRequestId())).isEqualTo(8);
        publishMarkerAndWait();
        assertThat(kafka().matching(resultsTopic, r -> r.value().contains(attempt.paymentRequestId())
                && r.value().contains("\"state\":\"SUCCEEDED\""))).hasSize(1);
    }

    /**
     * Antom's notifyDispute, in its docs' shape (no notifyType, no result; it goes to the Dashboard's notification
     * URL): answered SUCCESS, noted on its payment, and a step that needs an operator (not DEFENSE_SUPPLIED) flags it,
     * so that its order is held from shipment and an operator sees it. Each step is a notification of its own; a
     * resend of a step is counted, not noted again. Before, each was refused 400 MISSING_FIELD, resent by Antom for a
     * day and lost.
     */
    @Test
    void aDisputeIsAnsweredNotedAndFlagsItsPaymentHeldFromShipment() {
        PaymentAttempt attempt = paidWallet();
        String prid = attempt.paymentRequestId();
        String created = dispute(attempt, "DISPUTE_CREATED");

        for (int i = 0; i < 2; i++) {
            Answer answer = antom.send(created);
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo(SUCCESS);
        }
        PaymentAttempt flagged = ledger.find(prid).orElseThrow();
        assertThat(flagged.state()).isEqualTo(PaymentState.SUCCEEDED);
        assertThat(flagged.flagReason()).startsWith("DISPUTED: dispute DSP-" + prid + " DISPUTE_CREATED");
        assertThat(new com.checkoutroutes.testsupport.ServiceHttp(port, managementPort)
                .get(shipmentChecksPath + "/" + attempt.orderId()).body()).contains("\"decision\":\"HOLD\"");

        assertThat(antom.send(dispute(attempt, "DEFENSE_SUPPLIED")).status()).isEqualTo(200);
        assertThat(antom.send(dispute(attempt, "DISPUTE_JUDGED")).status()).isEqualTo(200);
        assertThat(ledger.history(prid)).filteredOn(c -> c.cause().startsWith("DISPUTE"))
                .extracting(StateChange::cause, StateChange::detail).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("DISPUTED", "dispute DSP-" + prid + " DISPUTE_CREATED"),
                        org.assertj.core.groups.Tuple.tuple("DISPUTE_NOTIFIED", "dispute DSP-" + prid
                                + " DEFENSE_SUPPLIED"),
                        org.assertj.core.groups.Tuple.tuple("DISPUTED", "dispute DSP-" + prid + " DISPUTE_JUDGED"));
        assertThat(jdbc.queryForList("SELECT times_received FROM notification_inbox WHERE payment_request_id = ? "
                + "AND notify_type = 'DISPUTE' ORDER BY id", Integer.class, prid)).containsExactly(2, 1, 1);
    }

    /** A notifyDispute as Antom's docs list its fields (https://docs.antom.com/ac/ams/notify_dispute). */
    private static String dispute(PaymentAttempt attempt, String type) {
        return "{\"paymentRequestId\":\"" + attempt.paymentRequestId() + "\",\"disputeId\":\"DSP-"
                + attempt.paymentRequestId() + "\",\"paymentId\":\"" + attempt.paymentId()
                + "\",\"disputeTime\":\"2026-12-05T12:00:00+08:00\",\"disputeAmount\":{\"currency\":\""
                + attempt.currency() + "\",\"value\":\"" + attempt.amountValue() + "\"},\"disputeNotificationType\":\""
                + type + "\",\"disputeReasonMsg\":\"the buyer did not receive the goods\",\"defendable\":\"true\"}";
    }

    /**
     * Copies that arrive together share the ledger's group commits (in one batch, or in two whose second one rolls
     * back on the first one's inbox row and runs again write by write): every copy hears SUCCESS, the state changes
     * once, one event leaves.
     */
    @Test
    void eightCopiesAtOnceChangeStateOnceAndEmitOneEvent() throws Exception {
        List<PaymentAttempt> attempts = List.of(pendingWallet(), pendingWallet(), pendingWallet());
        ExecutorService senders = Executors.newFixedThreadPool(8);
        try {
            List<Future<Answer>> answers = new ArrayList<>();
            for (PaymentAttempt attempt : attempts) {
                String body = AntomNotifier.paymentResult("PAYMENT_RESULT", "S", "SUCCESS", attempt.paymentRequestId(),
                        attempt.paymentId(), attempt.currency(), attempt.amountValue());
                for (int i = 0; i < 8; i++) {
                    answers.add(senders.submit(() -> antom.send(body)));
                }
            }
            for (Future<Answer> answer : answers) {
                assertThat(answer.get(30, TimeUnit.SECONDS).body()).isEqualTo(SUCCESS);
            }
        } finally {
            senders.shutdownNow();
        }

        publishMarkerAndWait();
        for (PaymentAttempt attempt : attempts) {
            assertThat(state(attempt)).isEqualTo(PaymentState.SUCCEEDED);
            assertThat(ledger.history(attempt.paymentRequestId())).filteredOn(c -> c.to() == PaymentState.SUCCEEDED)
                    .hasSize(1);
            assertThat(kafka().matching(resultsTopic, r -> r.value().contains(attempt.paymentRequestId())
                    && r.value().contains("\"state\":\"SUCCEEDED\""))).hasSize(1);
        }
    }

    @Test
    void forgedOrMalformedNotificationsChangeNothing() {
        PaymentAttempt attempt = pendingWallet();
        String body = AntomNotifier.paymentResult("PAYMENT_RESULT", "S", "SUCCESS", attempt.paymentRequestId(),
                attempt.paymentId(), attempt.currency(), attempt.amountValue());
        String time = String.valueOf(System.currentTimeMillis());
        String goodSignature = antom.sign(body, time, AntomNotifier.ANTOM_PRIVATE_KEY);

        Answer tampered = antom.send(body.replace("\"S\"", "\"F\"").replace("SUCCESS", "PROCESS_FAIL"),
                antom.headers(time, goodSignature));
        Answer wrongKey = antom.send(body, antom.headers(time, antom.sign(body, time, AntomNotifier.MERCHANT_PRIVATE_KEY)));
        Map<String, String> noSignature = antom.headers(time, goodSignature);
        noSignature.remove("signature");
        Answer missingHeader = antom.send(body, noSignature);
        Map<String, String> otherClient = antom.headers(time, goodSignature);
        otherClient.put("client-id", "SANDBOX_SOMEONE_ELSE");
        Answer unknownClient = antom.send(body, otherClient);
        String notJson = "{\"notifyType\":\"PAYMENT_RESULT\",\"result\":";
        Answer malformed = antom.send(notJson, antom.headers(time, antom.sign(notJson, time, AntomNotifier.ANTOM_PRIVATE_KEY)));

        for (Answer answer : List.of(tampered, wrongKey, missingHeader, unknownClient)) {
            assertThat(answer.status()).isEqualTo(401);
            assertThat(answer.body()).doesNotContain("\"resultStatus\":\"S\"");
        }
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(state(attempt)).isEqualTo(PaymentState.PENDING);
        assertThat(ledger.history(attempt.paymentRequestId())).extracting(StateChange::to)
                .containsExactly(PaymentState.CREATED, PaymentState.REQUESTED, PaymentState.PENDING);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM notification_inbox WHERE payment_request_id = ?",
                Integer.class, attempt.paymentRequestId())).isZero();
    }

    @Test
    void aFailAfterSuccessOrAnOldPendingCannotUndoTheFinalStateAndTheConflictIsRecorded() throws Exception {
        PaymentAttempt attempt = pendingWallet();
        String prid = attempt.paymentRequestId();
        String success = AntomNotifier.paymentResult("PAYMENT_RESULT", "S", "SUCCESS", prid, attempt.paymentId(),
                attempt.currency(), attempt.amountValue());
        assertThat(antom.send(success).body()).isEqualTo(SUCCESS);
        String stalePending = AntomNotifier.paymentResult("PAYMENT_PENDING", "S", "SUCCESS", prid, attempt.paymentId(),
                attempt.currency(), attempt.amountValue());
        assertThat(antom.send(stalePending).body()).isEqualTo(SUCCESS);
        assertThat(ledger.find(prid).orElseThrow().flagged()).isFalse();
        String fail = AntomNotifier.paymentResult("PAYMENT_RESULT", "F", "PROCESS_FAIL", prid, attempt.paymentId(),
                attempt.currency(), attempt.amountValue());
        assertThat(antom.send(fail).body()).isEqualTo(SUCCESS);

        PaymentAttempt after = ledger.find(prid).orElseThrow();
        assertThat(after.state()).isEqualTo(PaymentState.SUCCEEDED);
        assertThat(after.flagged()).isTrue();
        assertThat(after.flagReason()).startsWith("CONFLICTING_RESULT");
        assertThat(ledger.history(prid)).extracting(StateChange::cause)
                .containsSubsequence("PAYMENT_RESULT", "NOTIFICATION_CONFLICT", "NOTIFICATION_CONFLICT");

        // the same result found again and again (the janitor's inquiry, each look) is noted and flagged once: not
        // again after an operator cleared the flag
        com.checkoutroutes.results.AntomResult inquired =
                com.checkoutroutes.results.AntomResult.from(json.readTree(fail));
        assertThat(results.apply(ledger.find(prid).orElseThrow(), inquired, "INQUIRY").outcome())
                .isEqualTo(com.checkoutroutes.ledger.NotificationInbox.Outcome.CONFLICT);
        ledger.clearFlag(prid, "operator", "Antom confirmed the payment");
        int history = ledger.history(prid).size();
        assertThat(results.apply(ledger.find(prid).orElseThrow(), inquired, "INQUIRY").outcome())
                .isEqualTo(com.checkoutroutes.ledger.NotificationInbox.Outcome.CONFLICT);
        assertThat(ledger.find(prid).orElseThrow().flagged()).isFalse();
        assertThat(ledger.history(prid)).hasSize(history);
    }

    /** Antom's notifyPayment: resultStatus F is a failed payment, also with notifyType PAYMENT_PENDING. */
    @Test
    void aPendingNotificationWithStatusFIsAFailedPayment() {
        PaymentAttempt attempt = pendingWallet();
        String prid = attempt.paymentRequestId();
        String failed = AntomNotifier.paymentResult("PAYMENT_PENDING", "F", "PROCESS_FAIL", prid, attempt.paymentId(),
                attempt.currency(), attempt.amountValue());

        assertThat(antom.send(failed).body()).isEqualTo(SUCCESS);

        PaymentAttempt after = ledger.find(prid).orElseThrow();
        assertThat(after.state()).isEqualTo(PaymentState.FAILED);
        assertThat(after.flagged()).isFalse();
        kafka().await(resultsTopic, r -> r.value().contains(prid) && r.value().contains("\"state\":\"FAILED\""));
    }

    @Test
    void anAmountMismatchIsRecordedAndFlagged() {
        PaymentAttempt attempt = pendingWallet();
        String body = AntomNotifier.paymentResult("PAYMENT_RESULT", "S", "SUCCESS", attempt.paymentRequestId(),
                attempt.paymentId(), attempt.currency(), attempt.amountValue() - 1);
        assertThat(antom.send(body).body()).isEqualTo(SUCCESS);

        PaymentAttempt after = ledger.find(attempt.paymentRequestId()).orElseThrow();
        assertThat(after.flagged()).isTrue();
        assertThat(after.flagReason()).startsWith("AMOUNT_MISMATCH");
        assertThat(ledger.history(attempt.paymentRequestId())).extracting(StateChange::cause).contains("AMOUNT_MISMATCH");
    }

    @Test
    void aNotificationForAnUnknownPaymentIsKeptForReconciliation() {
        String prid = "unknown-" + newOrderId();
        String body = AntomNotifier.paymentResult("PAYMENT_RESULT", "S", "SUCCESS", prid, "20261122000000000000000009",
                "USD", 100);
        assertThat(antom.send(body).body()).isEqualTo(SUCCESS);
        assertThat(jdbc.queryForObject("SELECT outcome FROM notification_inbox WHERE payment_request_id = ?",
                String.class, prid)).isEqualTo("UNMATCHED");
    }

    @Test
    void withTheDatabaseDownTheEndpointAnswersAnErrorAndAntomsResendSucceedsLater() {
        PaymentAttempt attempt = pendingWallet();
        databaseLink().cut();
        try {
            sandbox.buyerAction(attempt.paymentId(), Outcome.PAY);
            List<NotificationAttempt> refused = await().atMost(Duration.ofSeconds(20))
                    .until(() -> sandbox.notifications(attempt.paymentRequestId()), l -> !l.isEmpty());
            assertThat(refused.get(0).acknowledged()).isFalse();
            assertThat(refused.get(0).httpStatus()).isEqualTo(503);
        } finally {
            databaseLink().restore();
        }
        // Antom's next resend (2 min, scaled) is acknowledged once the database is back
        List<NotificationAttempt> deliveries = await().atMost(Duration.ofSeconds(60)).until(
                () -> sandbox.notifications(attempt.paymentRequestId()),
                l -> !l.isEmpty() && l.get(l.size() - 1).acknowledged());
        assertThat(deliveries.size()).isGreaterThan(1);
        assertThat(state(attempt)).isEqualTo(PaymentState.SUCCEEDED);
    }

    @Test
    void aSecondAttemptThatAntomAnswersPaidAfterTheFirstWasNotifiedPaidIsFlaggedAndCancelled() {
        String orderId = newOrderId();
        publish(order(orderId));
        PaymentAttempt first = await().atMost(Duration.ofSeconds(20))
                .until(() -> onlyAttempt(orderId), a -> a.state() == PaymentState.PENDING);
        // the buyer switched to a card: attempt 2 is stored and its pay call is on its way, as the order route
        // leaves it between the two (the route's timing would make the order of the two answers a race)
        PaymentAttempt second = ledger.openAttempt(new NewAttempt(newOrderId().replace("-", ""), orderId, 2,
                Integration.API, "CARD", first.amountValue(), first.currency(), "AUTOMATIC", "WEB", null,
                first.expiresAt(), "{}"), "pay");
        sandbox.buyerAction(first.paymentId(), Outcome.PAY);
        await().atMost(Duration.ofSeconds(20)).until(() -> state(first) == PaymentState.SUCCEEDED);

        // the card's answer comes directly, and no notification of it needs to come for the second payment to be seen
        outcomes.record(second, new CallOutcome.Answered<>(paid("PAY-" + second.paymentRequestId()), 1));

        PaymentAttempt after = ledger.find(second.paymentRequestId()).orElseThrow();
        assertThat(after.state()).isEqualTo(PaymentState.SUCCEEDED);
        assertThat(after.flagged()).isTrue();
        assertThat(after.flagReason()).isEqualTo("DUPLICATE_PAYMENT: order " + orderId + " was already paid");
        assertThat(ledger.find(first.paymentRequestId()).orElseThrow().flagged()).isFalse();
        // the cancel the docs advise is asked of Antom, as for a second payment learnt from a notification
        await().atMost(Duration.ofSeconds(20)).until(() -> sandbox.requests("cancel", second.paymentRequestId()),
                l -> l.size() == 1);
    }

    /**
     * The instance that paid the first attempt ran its clock a minute ahead of this one: the second payment, found
     * second in lock order, is still dated after it, so the order keeps the first and gives the second back.
     */
    @Test
    void aSecondPaymentIsDatedAfterTheOrdersOwnWhateverTheClockOfTheInstanceThatPaidIt() {
        PaymentAttempt second = secondAttemptOnceTheFirstIsPaid();
        PaymentAttempt first = ledger.attemptsOf(second.orderId()).stream()
                .filter(a -> a.state() == PaymentState.SUCCEEDED).findFirst().orElseThrow();
        jdbc.update("UPDATE payment_attempt SET paid_at = paid_at + INTERVAL '1 minute' WHERE payment_request_id = ?",
                first.paymentRequestId());

        outcomes.record(second, new CallOutcome.Answered<>(paid("PAY-" + second.paymentRequestId()), 1));

        List<PaymentAttempt> attempts = ledger.attemptsOf(second.orderId());
        PaymentAttempt secondAfter = attempts.stream()
                .filter(a -> a.paymentRequestId().equals(second.paymentRequestId())).findFirst().orElseThrow();
        assertThat(secondAfter.flagReason()).startsWith("DUPLICATE_PAYMENT");
        assertThat(PaymentAttempt.ordersOwnPayment(attempts)).map(PaymentAttempt::paymentRequestId)
                .contains(first.paymentRequestId());
        assertThat(secondAfter.isSecondPaymentAmong(attempts)).isTrue();
    }

    @Test
    void theCancelOfASecondPaymentCommitsItsOwnWritesWhileAntomIsStillAnswering() {
        PaymentAttempt second = secondAttemptOnceTheFirstIsPaid();
        // Antom does not answer the cancel's first two tries in time (1 s in tests): the cancel takes seconds
        sandbox.addFault(FaultRule.of(FaultType.LATENCY).forApi("cancel").forPaymentRequestId(second.paymentRequestId())
                .withDelayMs(1500).withTimes(2));

        sandbox.buyerAction(second.paymentId(), Outcome.PAY);
        // what the cancel writes before calling Antom is committed before Antom answers, not held (with its locks)
        // until the cancel is over
        PaymentAttempt whileCancelling = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> ledger.history(second.paymentRequestId()).stream()
                        .anyMatch(c -> "CANCEL_REQUESTED".equals(c.cause()))
                        ? ledger.find(second.paymentRequestId()).orElseThrow() : null, a -> a != null);
        assertThat(whileCancelling.state()).isEqualTo(PaymentState.SUCCEEDED);
        await().atMost(Duration.ofSeconds(20)).until(() -> state(second) == PaymentState.CANCELLED);
    }

    /**
     * The cancel of a second payment waits for Antom (here three seconds: each of its three tries times out) on a
     * consumer of its own: other orders' continuations and result events leave meanwhile, where the outbox publisher
     * that once made the call held them all until the cancel was over.
     */
    @Test
    void aSecondPaymentsSlowCancelHoldsUpNoOtherOrder() {
        PaymentAttempt second = secondAttemptOnceTheFirstIsPaid();
        String prid = second.paymentRequestId();
        // Antom takes each try and answers it after the client gave up (1 s in tests)
        sandbox.addFault(FaultRule.of(FaultType.TIMEOUT).forApi("cancel").forPaymentRequestId(prid)
                .withDelayMs(1500).withTimes(3));

        sandbox.buyerAction(second.paymentId(), Outcome.PAY);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10))
                .until(() -> sandbox.requests("cancel", prid), l -> !l.isEmpty());
        String other = newOrderId();
        publish(order(other));

        long otherLeft = kafka().await("checkout.continuations.web", r -> other.equals(r.key())).timestamp();
        // no answer came, so Antom's list is asked: it took the cancel, and the payment is recorded CANCELLED
        await().atMost(Duration.ofSeconds(20)).until(() -> state(second) == PaymentState.CANCELLED);
        // compared when both happened (the test's clock is not moved here), not at the moment the test looks
        Instant cancelOver = ledger.history(prid).stream().filter(c -> c.cause().equals("CANCEL_RESULT_UNKNOWN"))
                .findFirst().orElseThrow().at().toInstant();
        assertThat(Instant.ofEpochMilli(otherLeft)).as("the other order's continuation left while the cancel waited")
                .isBefore(cancelOver);
        assertThat(sandbox.requests("cancel", prid)).hasSize(3);
        assertThat(ledger.history(prid)).extracting(StateChange::cause).contains("INQUIRY_CANCELLED")
                .doesNotContain("CANCEL_NOT_DONE");
    }

    /**
     * A duplicate the outbox sends to its endpoint goes to the topic; earlier versions, which cancelled there and then,
     * used the same endpoint, so what they queued takes the topic too.
     */
    @Test
    void aDuplicateSentToItsEndpointReachesTheTopic() {
        String marker = "PRID-BEFORE-THE-TOPIC-" + newOrderId();

        producer.sendBody("direct:cancel-duplicate-payment", marker);

        kafka().await(duplicatePaymentsTopic, r -> marker.equals(r.value()));
    }

    /** A new order's two attempts, once the buyer paid the first: the second is still PENDING. */
    private PaymentAttempt secondAttemptOnceTheFirstIsPaid() {
        List<PaymentAttempt> attempts = twoPendingAttempts(newOrderId());
        sandbox.buyerAction(attempts.get(0).paymentId(), Outcome.PAY);
        await().atMost(Duration.ofSeconds(20)).until(() -> state(attempts.get(0)) == PaymentState.SUCCEEDED);
        return attempts.get(1);
    }

    /** A PAYMENT_PENDING notification that overtakes a card's direct answer does not hold the answer back. */
    @Test
    void aDirectPaidAnswerStillMovesAnAttemptANotificationMadePending() {
        String orderId = newOrderId();
        PaymentAttempt asked = cardAsked(orderId, "p");
        ledger.apply(asked.paymentRequestId(), Transition.to(PaymentState.PENDING, "PAYMENT_PENDING"));

        outcomes.record(asked, new CallOutcome.Answered<>(paid("PAY-" + asked.paymentRequestId()), 1));

        assertThat(state(asked)).isEqualTo(PaymentState.SUCCEEDED);
        assertThat(ledger.history(asked.paymentRequestId())).extracting(StateChange::cause)
                .containsSubsequence("PAYMENT_PENDING", "ANTOM_PAID").doesNotContain("LATE_ANSWER");
    }

    /**
     * A group commit whose COMMIT outcome was unknown runs its writes again although they were committed: the answer
     * recorded already is not recorded again as a late answer, nor told to the buyer's channel a second time.
     */
    @Test
    void anAnswerRecordedAlreadyIsNotToldTwice() {
        String orderId = newOrderId();
        PaymentAttempt asked = cardAsked(orderId, "t");
        CallOutcome.Answered<AlipayPayResponse> answer =
                new CallOutcome.Answered<>(paid("PAY-" + asked.paymentRequestId()), 1);
        outcomes.record(asked, answer);
        int events = outboxEventsOf(orderId);
        assertThat(events).as("the answer's channel message and event, keyed by the order").isEqualTo(2);

        outcomes.record(asked, answer); // the same write again, from the attempt as it was before it

        assertThat(outboxEventsOf(orderId)).isEqualTo(events);
        assertThat(ledger.history(asked.paymentRequestId())).extracting(StateChange::cause)
                .doesNotContain("LATE_ANSWER");
        assertThat(state(asked)).isEqualTo(PaymentState.SUCCEEDED);
    }

    /**
     * The janitor sent a pay again while the order's own call was still trying (Antom is idempotent) and recorded its
     * answer, the buyer's link, first: the order's own call, ending without an answer, adds a LATE_ANSWER note and
     * tells the channel nothing, where it used to send RESULT_UNKNOWN after the link.
     */
    @Test
    void aLostAnswerAfterTheLinkWasRecordedTellsTheChannelNothing() {
        String orderId = newOrderId();
        PaymentAttempt asked = cardAsked(orderId, "u");
        outcomes.record(asked, new CallOutcome.Answered<>(inProcess("PAY-" + asked.paymentRequestId()), 1));
        int told = outboxEventsOf(orderId);
        assertThat(told).as("the link and the PENDING event").isEqualTo(2);

        outcomes.record(asked, new CallOutcome.Unknown<>("TIMEOUT: no answer within PT10S", 3));

        assertThat(outboxEventsOf(orderId)).isEqualTo(told);
        assertThat(state(asked)).isEqualTo(PaymentState.PENDING);
        assertThat(ledger.history(asked.paymentRequestId())).extracting(StateChange::cause)
                .containsOnlyOnce("LATE_ANSWER");
    }

    /**
     * A card's pay was sent again after its answer was lost, Antom's notification recorded it paid, then the resend's
     * answer was lost too: the channel, told RESULT_UNKNOWN the first time, now hears PAID.
     */
    @Test
    void aLostAnswerAfterTheNotificationPaidItTellsTheChannelPaid() {
        String orderId = newOrderId();
        PaymentAttempt asked = cardAsked(orderId, "p2");
        PaymentAttempt unknown = outcomes.record(asked, new CallOutcome.Unknown<>("TIMEOUT", 3));
        PaymentAttempt resent = ledger.applyIfUnchanged(unknown, Transition.to(PaymentState.REQUESTED, "PAY_RESENT"))
                .orElseThrow();
        ledger.apply(asked.paymentRequestId(), Transition.to(PaymentState.SUCCEEDED, "PAYMENT_RESULT")
                .paymentId("PAY-" + asked.paymentRequestId()));
        int told = outboxEventsOf(orderId);

        outcomes.record(resent, new CallOutcome.Unknown<>("TIMEOUT", 3));

        assertThat(outboxEventsOf(orderId)).as("the channel hears it is paid").isEqualTo(told + 1);
        assertThat(jdbc.queryForObject("SELECT payload FROM outbox_event WHERE message_key = ? ORDER BY id DESC "
                + "LIMIT 1", String.class, orderId)).contains("\"action\":\"PAID\"");
    }

    private static AlipayPayResponse inProcess(String paymentId) {
        AlipayPayResponse response = payAnswer(ResultStatusType.U, "PAYMENT_IN_PROCESS", paymentId);
        response.setNormalUrl("https://open-sea-global.alipay.com/checkout/" + paymentId);
        return response;
    }

    /** The same, for an answer that arrived after the card's notification and was recorded as a late answer. */
    @Test
    void aLateAnswerRecordedAlreadyIsNotToldTwice() {
        String orderId = newOrderId();
        PaymentAttempt asked = cardAsked(orderId, "l");
        ledger.apply(asked.paymentRequestId(), Transition.to(PaymentState.PENDING, "PAYMENT_PENDING"));
        ledger.apply(asked.paymentRequestId(), Transition.to(PaymentState.FAILED, "PAYMENT_FAILED"));
        CallOutcome.Answered<AlipayPayResponse> answer =
                new CallOutcome.Answered<>(paid("PAY-" + asked.paymentRequestId()), 1);
        outcomes.record(asked, answer);
        int told = outboxEventsOf(orderId);
        assertThat(told).as("the channel hears the payment failed").isEqualTo(1);

        outcomes.record(asked, answer); // the same write again, from the attempt as it was before it

        assertThat(outboxEventsOf(orderId)).isEqualTo(told);
        assertThat(ledger.history(asked.paymentRequestId())).extracting(StateChange::cause)
                .containsOnlyOnce("LATE_ANSWER");
        assertThat(state(asked)).isEqualTo(PaymentState.FAILED);
    }

    /**
     * An automatic card's notifyCapture can overtake its notifyPayment: the capture waits in the inbox and is applied
     * once the payment's result is, so the attempt ends CAPTURED rather than SUCCEEDED with the capture lost.
     */
    @Test
    void aCaptureThatOvertakesItsPaymentsResultIsAppliedAfterIt() {
        PaymentAttempt asked = pendingCardWithItsCaptureNotified("c");
        String prid = asked.paymentRequestId();
        String paymentId = asked.paymentId();
        assertThat(state(asked)).isEqualTo(PaymentState.PENDING);
        assertThat(antom.send(AntomNotifier.paymentResult("PAYMENT_RESULT", "S", "SUCCESS", prid, paymentId, "USD",
                1250)).body()).isEqualTo(SUCCESS);

        assertThat(state(asked)).isEqualTo(PaymentState.CAPTURED);
        assertThat(ledger.history(prid)).extracting(StateChange::cause)
                .containsSubsequence("PAYMENT_RESULT", "CAPTURE_RESULT_EARLY");
        assertThat(jdbc.queryForList("SELECT outcome FROM notification_inbox WHERE payment_id = ?", String.class,
                paymentId)).containsOnly("APPLIED");
    }

    /**
     * An automatic card's notifyCapture and the change recording its paymentId committed at the same moment (another
     * instance, or the janitor's inquiry, recorded it): neither saw the other, and the capture stayed UNMATCHED with
     * the attempt SUCCEEDED. The janitor's next round applies it.
     */
    @Test
    void aCaptureNeitherSideSawIsPlacedByTheJanitor() throws Exception {
        try (AutoCloseable jobs = scheduledJobsStopped()) {
            // the scheduled janitor would place it between the two steps below: this test runs its round itself
            captureNeitherSideSaw();
        }
    }

    private void captureNeitherSideSaw() {
        String prid = cardAsked(newOrderId(), "u").paymentRequestId();
        String paymentId = "PAY-" + prid;
        assertThat(antom.send(AntomNotifier.captureResult(paymentId, "cap-" + prid, true, "USD", 1250)).body())
                .isEqualTo(SUCCESS);
        // the paymentId recorded without the rematch that would have found the capture: what the race leaves
        ledger.apply(prid, Transition.to(PaymentState.SUCCEEDED, "ANTOM_PAID").paymentId(paymentId));
        assertThat(jdbc.queryForList("SELECT outcome FROM notification_inbox WHERE payment_id = ?", String.class,
                paymentId)).containsOnly("UNMATCHED");

        janitor.run(List.of());

        assertThat(ledger.find(prid).orElseThrow().state()).isEqualTo(PaymentState.CAPTURED);
        assertThat(ledger.history(prid)).extracting(StateChange::cause).containsOnlyOnce("CAPTURE_RESULT_EARLY");
        assertThat(jdbc.queryForList("SELECT outcome FROM notification_inbox WHERE payment_id = ?", String.class,
                paymentId)).containsOnly("APPLIED");
        janitor.run(List.of());
        assertThat(ledger.history(prid)).extracting(StateChange::cause).as("placed once")
                .containsOnlyOnce("CAPTURE_RESULT_EARLY");
    }

    /**
     * A failed capture reported for an attempt closed unpaid (one given up when its order was cancelled) took nothing:
     * noted as a conflict, not flagged as a result that may have taken the buyer's money twice.
     */
    @Test
    void aFailedCaptureOfAClosedAttemptIsNotedNotFlagged() {
        String prid = cardAsked(newOrderId(), "f").paymentRequestId();
        String paymentId = "PAY-" + prid;
        ledger.apply(prid, Transition.to(PaymentState.CANCELLED, "ORDER_CANCELLED").paymentId(paymentId));

        assertThat(antom.send(AntomNotifier.captureResult(paymentId, "cap-" + prid, false, "USD", 1250)).body())
                .isEqualTo(SUCCESS);

        PaymentAttempt after = ledger.find(prid).orElseThrow();
        assertThat(after.state()).isEqualTo(PaymentState.CANCELLED);
        assertThat(after.flagged()).isFalse();
        assertThat(ledger.history(prid)).extracting(StateChange::cause).contains("NOTIFICATION_CONFLICT");
    }

    /**
     * A capture kept for its payment's result, and the attempt then closed without one (expired at Antom, say): the
     * money was taken all the same, so the attempt is flagged, not left with the capture unseen in the inbox.
     */
    @Test
    void aCaptureKeptForAnAttemptThatIsThenClosedFlagsIt() {
        String prid = pendingCardWithItsCaptureNotified("x").paymentRequestId();

        assertThat(inquiries.closeAsRead(ledger.find(prid).orElseThrow(), PaymentState.EXPIRED, "EXPIRED_CANCELLED"))
                .isPresent();

        PaymentAttempt after = ledger.find(prid).orElseThrow();
        assertThat(after.state()).isEqualTo(PaymentState.EXPIRED);
        assertThat(after.flagReason()).startsWith("CONFLICTING_RESULT");
    }

    /**
     * A notifyRefund for a refund made outside this service, about a payment whose paymentId the ledger does not know
     * yet (its pay answer lost): kept, and once the payment's result arrives the payment is recorded and flagged.
     */
    @Test
    void aRefundNotOursThatCameBeforeItsPaymentFlagsThePaymentOnceKnown() {
        PaymentAttempt asked = cardAsked(newOrderId(), "r");
        String prid = asked.paymentRequestId();
        String paymentId = "PAY-" + prid;
        String refund = AntomNotifier.refundResult("REF-DASHBOARD-" + prid, "R-" + prid, paymentId, "SUCCESS", "USD",
                500);
        assertThat(antom.send(refund).body()).isEqualTo(SUCCESS);

        assertThat(antom.send(AntomNotifier.paymentResult("PAYMENT_RESULT", "S", "SUCCESS", prid, paymentId, "USD",
                1250)).body()).isEqualTo(SUCCESS);

        PaymentAttempt after = ledger.find(prid).orElseThrow();
        assertThat(after.state()).isEqualTo(PaymentState.SUCCEEDED);
        assertThat(after.flagReason()).startsWith("REFUND_NOT_OURS");
    }

    /** An automatic card PENDING at Antom (a paymentId, no result yet), whose notifyCapture S has come already. */
    private PaymentAttempt pendingCardWithItsCaptureNotified(String suffix) {
        String prid = cardAsked(newOrderId(), suffix).paymentRequestId();
        PaymentAttempt pending = ledger.apply(prid, Transition.to(PaymentState.PENDING, "PAYMENT_IN_PROCESS")
                .paymentId("PAY-" + prid)).attempt();
        assertThat(antom.send(AntomNotifier.captureResult(pending.paymentId(), "cap-" + prid, true, "USD", 1250))
                .body()).isEqualTo(SUCCESS);
        return pending;
    }

    /** A card attempt of the order, stored and sent to Antom (its answer not recorded yet). */
    private PaymentAttempt cardAsked(String orderId, String suffix) {
        return ledger.openAttempt(new NewAttempt(orderId.replace("-", "") + suffix, orderId, 1, Integration.API, "CARD",
                1250, "USD", "AUTOMATIC", "WEB", null, null, "{}"), "pay");
    }

    /** The outbox's events keyed by the order: its channel messages and result events. */
    private int outboxEventsOf(String orderId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM outbox_event WHERE message_key = ?", Integer.class, orderId);
    }

    private static AlipayPayResponse paid(String paymentId) {
        return payAnswer(ResultStatusType.S, "SUCCESS", paymentId);
    }

    private static AlipayPayResponse payAnswer(ResultStatusType status, String code, String paymentId) {
        Result result = new Result();
        result.setResultStatus(status);
        result.setResultCode(code);
        result.setResultMessage(code.toLowerCase().replace('_', ' '));
        AlipayPayResponse response = new AlipayPayResponse();
        response.setResult(result);
        response.setPaymentId(paymentId);
        return response;
    }

    /**
     * Both attempts of an order notified paid at the same moment: each notification locks its attempt, then the
     * other (ResultApplier.flagIfSecondPayment), so exactly one of them sees the other paid, whichever commits
     * second; a deadlock between the two is ended by the database and the loser's write runs again. Both are
     * answered SUCCESS, one payment stays, the other is cancelled.
     */
    @Test
    void twoAttemptsOfOneOrderNotifiedPaidAtTheSameMomentEndWithOnePayment() throws Exception {
        ExecutorService senders = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 3; round++) {
                String orderId = newOrderId();
                List<PaymentAttempt> attempts = twoPendingAttempts(orderId);
                List<Future<Answer>> answers = new ArrayList<>();
                for (PaymentAttempt attempt : attempts) {
                    String body = AntomNotifier.paymentResult("PAYMENT_RESULT", "S", "SUCCESS",
                            attempt.paymentRequestId(), attempt.paymentId(), attempt.currency(), attempt.amountValue());
                    answers.add(senders.submit(() -> antom.send(body)));
                }
                for (Future<Answer> answer : answers) {
                    assertThat(answer.get(30, TimeUnit.SECONDS).body()).isEqualTo(SUCCESS);
                }

                await().atMost(Duration.ofSeconds(30)).until(() -> ledger.attemptsOf(orderId).stream()
                        .map(PaymentAttempt::state).sorted().toList(),
                        states -> states.equals(List.of(PaymentState.SUCCEEDED, PaymentState.CANCELLED)));
                assertThat(ledger.attemptsOf(orderId)).filteredOn(a -> a.state() == PaymentState.SUCCEEDED)
                        .allMatch(a -> !a.flagged());
            }
        } finally {
            senders.shutdownNow();
        }
    }

    @Test
    void twoSuccessfulAttemptsOfOneOrderEndWithOneSucceededAndOneCancelled() {
        String orderId = newOrderId();
        List<PaymentAttempt> attempts = twoPendingAttempts(orderId);

        sandbox.buyerAction(attempts.get(0).paymentId(), Outcome.PAY);
        await().atMost(Duration.ofSeconds(20)).until(() -> state(attempts.get(0)) == PaymentState.SUCCEEDED);
        sandbox.buyerAction(attempts.get(1).paymentId(), Outcome.PAY);
        await().atMost(Duration.ofSeconds(20)).until(() -> state(attempts.get(1)) == PaymentState.CANCELLED);

        assertThat(state(attempts.get(0))).isEqualTo(PaymentState.SUCCEEDED);
        assertThat(ledger.history(attempts.get(1).paymentRequestId())).extracting(StateChange::to)
                .containsSubsequence(PaymentState.SUCCEEDED, PaymentState.CANCELLED);
        assertThat(ledger.history(attempts.get(1).paymentRequestId())).extracting(StateChange::cause)
                .contains("DUPLICATE_PAYMENT_CANCELLED");
        assertThat(sandbox.requests("cancel", attempts.get(1).paymentRequestId())).hasSize(1);
        assertThat(sandbox.payment(attempts.get(1).paymentRequestId()).orElseThrow().path("paymentStatus").asText())
                .isEqualTo("CANCELLED");
    }
}
