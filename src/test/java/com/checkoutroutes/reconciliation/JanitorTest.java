package com.checkoutroutes.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentLedger.StateChange;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.results.AntomCancels;
import com.checkoutroutes.sandbox.FaultRule;
import com.checkoutroutes.sandbox.FaultType;
import com.checkoutroutes.sandbox.OutcomeScript.Outcome;
import com.checkoutroutes.scheduling.JobRuns;
import com.checkoutroutes.testsupport.FlowTestSupport;
import java.time.Duration;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The janitor resolves what notifications did not, and closes what the buyer abandoned. */
class JanitorTest extends FlowTestSupport {

    @Autowired
    JobRuns jobRuns;
    @Autowired
    org.apache.camel.CamelContext camel;
    @Autowired
    AntomCancels cancels;
    @Autowired
    Janitor janitor;
    @Autowired
    com.checkoutroutes.ledger.OrderCancellations cancellations;

    @Test
    void aPaymentWhoseNotificationNeverComesIsResolvedByInquiry() {
        PaymentAttempt attempt = pendingWallet();
        sandbox.addFault(FaultRule.of(FaultType.NOTIFY_DROP).forPaymentRequestId(attempt.paymentRequestId())
                .withTimes(0));
        sandbox.buyerAction(attempt.paymentId(), Outcome.PAY);

        await().atMost(Duration.ofSeconds(30)).until(() -> state(attempt) == PaymentState.SUCCEEDED);
        assertThat(sandbox.notifications(attempt.paymentRequestId()))
                .allSatisfy(n -> assertThat(n.acknowledged()).isFalse());
        assertThat(ledger.history(attempt.paymentRequestId())).filteredOn(c -> c.to() == PaymentState.SUCCEEDED)
                .extracting(StateChange::cause).containsExactly("INQUIRY");
        assertThat(sandbox.requests("inquiryPayment", attempt.paymentRequestId())).isNotEmpty();
        kafka().await(resultsTopic, r -> r.value().contains(attempt.paymentRequestId())
                && r.value().contains("\"state\":\"SUCCEEDED\""));
        assertThat(jobRuns.runs("janitor")).anySatisfy(run -> {
            assertThat(run.changed()).isPositive();
            assertThat(run.detail()).contains(attempt.paymentRequestId());
        });
    }

    /**
     * A new payment's first inquiry is scheduled as it enters its state (checkout.janitor.first-check.pending, 2 s
     * here): the janitor's selection finds it only then, with no look of the janitor's own just to schedule it.
     */
    @Test
    void aNewPaymentsFirstCheckIsScheduledAsItEntersItsState() {
        PaymentAttempt attempt = pendingWallet();

        OffsetDateTime becamePending = ledger.history(attempt.paymentRequestId()).stream()
                .filter(c -> c.to() == PaymentState.PENDING).map(StateChange::at).findFirst().orElseThrow();
        assertThat(ledger.find(attempt.paymentRequestId()).orElseThrow().nextCheckAt())
                .isEqualTo(becamePending.plusSeconds(2));
    }

    @Test
    void anAbandonedPaymentIsCancelledAtAntomAfterExpiryAndTheOrderIsTold() {
        PaymentAttempt attempt = pendingWallet();
        // 14 minutes of Antom's expiry and the grace period pass on our clock; the sandbox still waits for the buyer
        clock.advance(Duration.ofMinutes(17));

        await().atMost(Duration.ofSeconds(30)).until(() -> state(attempt) == PaymentState.EXPIRED);
        assertThat(sandbox.requests("cancel", attempt.paymentRequestId())).hasSize(1);
        assertThat(sandbox.payment(attempt.paymentRequestId()).orElseThrow().path("paymentStatus").asText())
                .isEqualTo("CANCELLED");
        assertThat(ledger.history(attempt.paymentRequestId())).extracting(StateChange::cause)
                .contains("EXPIRED_CANCELLED");
        kafka().await(resultsTopic, r -> r.value().contains(attempt.paymentRequestId())
                && r.value().contains("\"state\":\"EXPIRED\""));

        // a buyer who comes back now cannot pay unseen
        assertThat(sandbox.buyerAction(attempt.paymentId(), Outcome.PAY).map(Enum::name).orElse("REFUSED"))
                .isNotEqualTo("SUCCESS");
    }

    /**
     * The buyer paid in time and the method has not confirmed it (Antom has it PENDING): past its expiry the janitor
     * leaves it waiting for the result, where a cancel would give the money back and tell the order it expired.
     */
    @Test
    void aPaymentTheBuyerMadeThatAntomHoldsPendingIsNotCancelledAtItsExpiry() {
        PaymentAttempt attempt = paidPendingAtAntom();

        askedAboutAfter(attempt, Duration.ofMinutes(17));

        assertThat(state(attempt)).isEqualTo(PaymentState.PENDING);
        assertThat(sandbox.requests("cancel", attempt.paymentRequestId())).isEmpty();

        sandbox.buyerAction(attempt.paymentId(), Outcome.PAY);
        await().atMost(Duration.ofSeconds(20)).until(() -> state(attempt) == PaymentState.SUCCEEDED);
        assertThat(ledger.find(attempt.paymentRequestId()).orElseThrow().flagged()).isFalse();
    }

    /**
     * The buyer paid in time, and at the expiry round Antom cannot be asked: nothing is cancelled on a guess (a cancel
     * that reached Antom would give the money back). Once Antom answers PENDING, the payment is kept.
     */
    @Test
    void anExpiryWaitsForAntomsAnswerAndAPaymentHeldPendingIsKept() {
        PaymentAttempt attempt = paidPendingAtAntom();
        sandbox.addFault(FaultRule.of(FaultType.HTTP_5XX).forApi("inquiryPayment")
                .forPaymentRequestId(attempt.paymentRequestId()).withTimes(0));

        askedAboutAfter(attempt, Duration.ofMinutes(17));
        assertThat(state(attempt)).isEqualTo(PaymentState.PENDING);
        assertThat(ledger.history(attempt.paymentRequestId())).extracting(StateChange::cause)
                .doesNotContain("CANCEL_REQUESTED");

        sandbox.clearFaults();
        askedAboutAfter(attempt, Duration.ofHours(1));

        assertThat(state(attempt)).isEqualTo(PaymentState.PENDING);
        assertThat(sandbox.requests("cancel", attempt.paymentRequestId())).isEmpty();
        sandbox.buyerAction(attempt.paymentId(), Outcome.PAY);
        await().atMost(Duration.ofSeconds(20)).until(() -> state(attempt) == PaymentState.SUCCEEDED);
    }

    /**
     * A Konbini slip is valid for 7 days (Antom's default for the method): 17 minutes on, the janitor asks Antom
     * about the payment and leaves it waiting for the buyer, where the wallets' 14 minutes would have cancelled it.
     */
    @Test
    void aKonbiniPaymentIsLeftWaitingWhileItsSlipIsValid() {
        String orderId = newOrderId();
        java.util.Map<String, Object> order = order(orderId);
        order.put("paymentMethodType", "KONBINI");
        order.put("amount", java.util.Map.of("currency", "JPY", "value", "1250"));
        publish(order);
        PaymentAttempt pending = await().atMost(Duration.ofSeconds(20))
                .until(() -> onlyAttempt(orderId), a -> a.state() == PaymentState.PENDING);
        assertThat(pending.expiresAt()).isAfter(java.time.OffsetDateTime.now(clock).plusDays(6));

        clock.advance(Duration.ofMinutes(17));

        lookedAtByTheJanitor(pending);
        assertThat(state(pending)).isEqualTo(PaymentState.PENDING);
        assertThat(sandbox.requests("cancel", pending.paymentRequestId())).isEmpty();
    }

    /**
     * The janitor read the attempt PENDING and past its expiry; the buyer paid before its cancel reached Antom, which
     * cancels a paid payment too (and gives the money back): the attempt ends CANCELLED and flagged, never shipped on.
     */
    @Test
    void anExpiryCancelAntomAcceptsAfterTheBuyerPaidLeavesThePaymentCancelledAndFlagged() {
        PaymentAttempt asRead = pendingWallet();
        sandbox.buyerAction(asRead.paymentId(), Outcome.PAY);
        await().atMost(Duration.ofSeconds(20)).until(() -> state(asRead) == PaymentState.SUCCEEDED);

        assertThat(cancels.cancel(asRead, "EXPIRED_CANCELLED", PaymentState.EXPIRED)).isTrue();

        PaymentAttempt after = ledger.find(asRead.paymentRequestId()).orElseThrow();
        assertThat(after.state()).isEqualTo(PaymentState.CANCELLED);
        assertThat(after.flagReason()).startsWith("CANCELLED_AFTER_PAYMENT: Antom cancelled it after it became "
                + "SUCCEEDED");
        assertThat(sandbox.payment(asRead.paymentRequestId()).orElseThrow().path("paymentStatus").asText())
                .isEqualTo("CANCELLED");
        kafka().await(resultsTopic, r -> r.value().contains(asRead.paymentRequestId())
                && r.value().contains("\"state\":\"CANCELLED\""));
    }

    /**
     * The janitor read the attempt PENDING and past its expiry, then asked Antom; while the inquiry was on its way a
     * notification recorded the buyer's payment, and Antom answered SUCCESS: nothing is cancelled (a cancel would give
     * the money back and tell the order it expired), the payment stays SUCCEEDED and unflagged.
     */
    @Test
    void anExpiryFindsThePaymentANotificationRecordedMeanwhileAndCancelsNothing() throws Exception {
        PaymentAttempt asRead = pendingWallet();
        try (AutoCloseable jobs = scheduledJobsStopped()) {
            sandbox.buyerAction(asRead.paymentId(), Outcome.PAY);
            await().atMost(Duration.ofSeconds(20)).until(() -> state(asRead) == PaymentState.SUCCEEDED);
            clock.advance(Duration.ofMinutes(17));

            assertThat(janitor.check(asRead, java.time.OffsetDateTime.now(clock))).isEmpty();
        }

        assertThat(sandbox.requests("inquiryPayment", asRead.paymentRequestId())).isNotEmpty();
        assertThat(sandbox.requests("cancel", asRead.paymentRequestId())).isEmpty();
        PaymentAttempt after = ledger.find(asRead.paymentRequestId()).orElseThrow();
        assertThat(after.state()).isEqualTo(PaymentState.SUCCEEDED);
        assertThat(after.flagged()).isFalse();
        assertThat(sandbox.payment(asRead.paymentRequestId()).orElseThrow().path("paymentStatus").asText())
                .isEqualTo("SUCCESS");
    }

    /**
     * The janitor read the attempt PENDING and past its expiry and asked Antom, which answered it still waits for the
     * buyer; a PAYMENT_PENDING came meanwhile (the buyer paid, the method confirming): the state is the same, but the
     * expiry's cancel is not sent (it would give the money back); the next round's inquiry keeps the payment.
     */
    @Test
    void anExpiryFindsAPendingNotificationRecordedMeanwhileAndCancelsNothing() throws Exception {
        PaymentAttempt asRead = pendingWallet();
        try (AutoCloseable jobs = scheduledJobsStopped()) {
            String buyerPaid = com.checkoutroutes.testsupport.AntomNotifier.paymentResult("PAYMENT_PENDING", "S",
                    "SUCCESS", asRead.paymentRequestId(), asRead.paymentId(), asRead.currency(), asRead.amountValue());
            assertThat(antomNotifier().send(buyerPaid).status()).isEqualTo(200);
            clock.advance(Duration.ofMinutes(17));

            assertThat(janitor.check(asRead, java.time.OffsetDateTime.now(clock))).isEmpty();
        }

        assertThat(sandbox.requests("cancel", asRead.paymentRequestId())).isEmpty();
        assertThat(state(asRead)).isEqualTo(PaymentState.PENDING);
    }

    /**
     * The buyer paid (Antom holds it PENDING), but a cancel was asked for the payment otherwise (its order cancelled,
     * the cancel not done): past its expiry the expiry's cancel gives the money back, as the cancellation asked, though
     * the janitor's own inquiry confirms the PENDING each time it asks.
     */
    @Test
    void anExpiryOfAPaymentWhoseCancelWasAskedOtherwiseCancelsThoughAntomConfirmsItPending() throws Exception {
        PaymentAttempt paid = paidPendingAtAntom();
        try (AutoCloseable jobs = scheduledJobsStopped()) {
            ledger.note(paid.paymentRequestId(), "CANCEL_REQUESTED", "ORDER_CANCELLED", null);
            PaymentAttempt asRead = ledger.find(paid.paymentRequestId()).orElseThrow();
            clock.advance(Duration.ofMinutes(17));

            assertThat(janitor.check(asRead, java.time.OffsetDateTime.now(clock))).isPresent();
        }

        assertThat(sandbox.requests("cancel", paid.paymentRequestId())).isNotEmpty();
        assertThat(state(paid)).isIn(PaymentState.EXPIRED, PaymentState.CANCELLED);
    }

    /**
     * Antom took the pay but its answer never came (UNKNOWN, no paymentId): once expired, the payment is cancelled at
     * Antom by its paymentRequestId, where it was closed as never created and left open at Antom.
     */
    @Test
    void aPaymentWhosePayAnswerWasLostIsCancelledAtAntomOnceExpired() {
        sandbox.addFault(FaultRule.of(FaultType.TIMEOUT).forApi("pay").withDelayMs(1500).withTimes(0));
        String orderId = newOrderId();
        publish(order(orderId));
        PaymentAttempt unknown = await().atMost(Duration.ofSeconds(30))
                .until(() -> onlyAttempt(orderId), a -> a.state() == PaymentState.UNKNOWN);
        sandbox.clearFaults();
        assertThat(unknown.paymentId()).isNull();
        assertThat(sandbox.payment(unknown.paymentRequestId())).as("Antom holds it").isPresent();

        clock.advance(Duration.ofMinutes(17));

        await().atMost(Duration.ofSeconds(30)).until(() -> state(unknown) == PaymentState.EXPIRED);
        assertThat(sandbox.requests("cancel", unknown.paymentRequestId())).hasSize(1);
        assertThat(sandbox.payment(unknown.paymentRequestId()).orElseThrow().path("paymentStatus").asText())
                .isEqualTo("CANCELLED");
    }

    /**
     * Antom never received the pay (answered 5xx each try): the attempt is UNKNOWN and the buyer told so. The
     * janitor's inquiry finds no such payment and sends the stored request again, the same paymentRequestId: the
     * buyer's channel gets the link to pay, and the order is paid without waiting for its expiry.
     */
    @Test
    void aPayThatNeverReachedAntomIsSentAgainAndTheBuyerGetsTheLink() {
        sandbox.addFault(FaultRule.of(FaultType.HTTP_5XX).forApi("pay").withTimes(0));
        String orderId = newOrderId();
        java.util.Map<String, Object> order = order(orderId);
        order.put("amount", java.util.Map.of("currency", "USD", "value", "30061")); // the buyer pays at once
        publish(order);
        PaymentAttempt unknown = await().atMost(Duration.ofSeconds(20))
                .until(() -> onlyAttempt(orderId), a -> a.state() == PaymentState.UNKNOWN);
        // checked while the fault holds: a janitor look now cannot reach Antom either
        assertThat(sandbox.payment(unknown.paymentRequestId())).as("Antom never got it").isEmpty();
        sandbox.clearFaults();

        clock.advance(Duration.ofSeconds(15)); // the janitor's first look at an UNKNOWN one is due

        await().atMost(Duration.ofSeconds(30)).until(() -> state(unknown) == PaymentState.SUCCEEDED);
        assertThat(ledger.history(unknown.paymentRequestId())).extracting(StateChange::from, StateChange::cause)
                .contains(org.assertj.core.groups.Tuple.tuple(PaymentState.UNKNOWN, "PAY_RESENT"));
        assertThat(sandbox.payment(unknown.paymentRequestId())).as("the same paymentRequestId").isPresent();
        // told the result was unknown, then given the link to pay that it was missing
        await().atMost(Duration.ofSeconds(20)).until(() -> channelMessages("WEB", orderId).stream()
                .map(m -> m.path("action").asText()).toList(), actions -> actions.contains("REDIRECT"));
        assertThat(channelMessages("WEB", orderId)).extracting(m -> m.path("action").asText())
                .containsSubsequence("RESULT_UNKNOWN", "REDIRECT");
        kafka().await(resultsTopic, r -> r.value().contains(unknown.paymentRequestId())
                && r.value().contains("\"state\":\"REQUESTED\"") && r.value().contains("PAY_RESENT"));
    }

    /**
     * Antom took the pay, but every answer timed out: the attempt is UNKNOWN and the buyer never got the link, which
     * only pay's answer carries. The janitor's inquiry finds the payment processing and sends the stored request again:
     * Antom answers a repeated paymentRequestId with its first answer, so the buyer's channel gets the link and the
     * buyer pays, where the attempt used to wait unanswered until its expiry cancelled it.
     */
    @Test
    void aPayWhoseAnswerWasLostIsSentAgainAndTheBuyerGetsTheLink() {
        String orderId = newOrderId();
        PaymentAttempt unknown = unknownWithTheAnswerLost(order(orderId));

        clock.advance(Duration.ofSeconds(15)); // the janitor's first look at an UNKNOWN one is due

        PaymentAttempt pending = await().atMost(Duration.ofSeconds(30))
                .until(() -> onlyAttempt(orderId), a -> a.state() == PaymentState.PENDING);
        assertThat(pending.paymentId()).isNotNull();
        assertThat(ledger.history(unknown.paymentRequestId())).extracting(StateChange::from, StateChange::cause)
                .contains(org.assertj.core.groups.Tuple.tuple(PaymentState.UNKNOWN, "PAY_RESENT"));
        await().atMost(Duration.ofSeconds(20)).until(() -> channelMessages("WEB", orderId).stream()
                .map(m -> m.path("action").asText()).toList(), actions -> actions.contains("REDIRECT"));
        assertThat(channelMessages("WEB", orderId)).extracting(m -> m.path("action").asText())
                .containsSubsequence("RESULT_UNKNOWN", "REDIRECT");
        assertThat(sandbox.requests("cancel", unknown.paymentRequestId())).isEmpty();

        sandbox.buyerAction(pending.paymentId(), Outcome.PAY);
        await().atMost(Duration.ofSeconds(20)).until(() -> state(unknown) == PaymentState.SUCCEEDED);
    }

    /**
     * The order was cancelled while its pay's answer was lost, and Antom did not answer the cancel either (flagged
     * CANCEL_NOT_DONE): the payment Antom holds is not sent again, which would give the buyer a link to pay a cancelled
     * order; it waits for its expiry's cancel.
     */
    @Test
    void aPayWhoseAnswerWasLostIsNotSentAgainOnceItsOrderWasCancelled() throws Exception {
        notSentAgainOnceMeanwhile(unknown -> {
            sandbox.addFault(FaultRule.of(FaultType.HTTP_5XX).forApi("cancel").withTimes(0));
            orderEvent(unknown.orderId(), "ORDER_CANCELLED");
            await().atMost(Duration.ofSeconds(30)).until(() -> ledger.history(unknown.paymentRequestId()).stream()
                    .anyMatch(c -> c.cause().equals("CANCEL_NOT_DONE")));
            sandbox.clearFaults();
        });
    }

    /**
     * The order was cancelled as its attempt was stored (the cancellation kept, no cancel asked for this attempt, which
     * it missed): its pay, whose answer was lost, is not sent again either.
     */
    @Test
    void aPayWhoseAnswerWasLostIsNotSentAgainOnceItsOrderWasCancelledWithoutACancelOfIt() throws Exception {
        notSentAgainOnceMeanwhile(unknown -> cancellations.keep(unknown.orderId(), "ORDER_CANCELLED", null,
                unknown.attemptNo()));
    }

    /**
     * A later attempt of the order was made while the first one's answer was lost: the buyer has that one's link, and
     * the first is not sent again (two payments open for one order); it waits for its expiry's cancel.
     */
    @Test
    void aPayWhoseAnswerWasLostIsNotSentAgainOnceALaterAttemptWasMade() throws Exception {
        notSentAgainOnceMeanwhile(unknown -> {
            java.util.Map<String, Object> second = order(unknown.orderId());
            second.put("attempt", 2);
            publish(second);
            await().atMost(Duration.ofSeconds(20)).until(() -> ledger.attemptsOf(unknown.orderId()).stream()
                    .anyMatch(a -> a.attemptNo() == 2 && a.state() == PaymentState.PENDING));
        });
    }

    /** A pay whose answer was lost, {@code meanwhile} done with the jobs stopped: the janitor sends nothing again. */
    private void notSentAgainOnceMeanwhile(java.util.function.Consumer<PaymentAttempt> meanwhile) throws Exception {
        PaymentAttempt unknown;
        try (AutoCloseable jobs = scheduledJobsStopped()) {
            unknown = unknownWithTheAnswerLost(order(newOrderId()));
            meanwhile.accept(unknown);
            clock.advance(Duration.ofSeconds(15));
        }
        assertNotSentAgainAfterAJanitorLook(unknown);
    }

    /** The janitor looks at {@code unknown} (its inquiry and a whole run after it) and sends nothing again. */
    private void assertNotSentAgainAfterAJanitorLook(PaymentAttempt unknown) {
        lookedAtByTheJanitor(unknown);
        assertThat(ledger.history(unknown.paymentRequestId())).extracting(StateChange::cause)
                .doesNotContain("PAY_RESENT");
        assertThat(state(unknown)).isEqualTo(PaymentState.UNKNOWN);
        assertThat(sandbox.requests("pay", unknown.paymentRequestId()))
                .allSatisfy(call -> assertThat(call.fault()).isNotNull());
    }

    /** An e-wallet payment the buyer made that the method has not confirmed: Antom holds it PENDING. */
    private PaymentAttempt paidPendingAtAntom() {
        PaymentAttempt attempt = pendingWallet();
        sandbox.buyerAction(attempt.paymentId(), Outcome.PENDING_THEN_PAY);
        await().atMost(Duration.ofSeconds(20)).until(() -> sandbox.notifications(attempt.paymentRequestId())
                .stream().anyMatch(n -> n.acknowledged()));
        return attempt;
    }

    /** Moves the clock on by {@code later}, then waits until the janitor asked Antom about it and its run ended. */
    private void askedAboutAfter(PaymentAttempt attempt, Duration later) {
        int before = sandbox.requests("inquiryPayment", attempt.paymentRequestId()).size();
        clock.advance(later);
        await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.requests("inquiryPayment",
                attempt.paymentRequestId()).size() > before);
        java.time.OffsetDateTime asked = java.time.OffsetDateTime.now(clock);
        await().atMost(Duration.ofSeconds(30)).until(() -> jobRuns.runs("janitor").stream()
                .anyMatch(run -> run.finishedAt() != null && !run.startedAt().isBefore(asked)));
    }

    /** Waits until the janitor asked Antom about {@code attempt} and a whole round begun after that is over. */
    private void lookedAtByTheJanitor(PaymentAttempt attempt) {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> sandbox.requests("inquiryPayment", attempt.paymentRequestId()), l -> !l.isEmpty());
        java.time.OffsetDateTime looked = java.time.OffsetDateTime.now(clock);
        await().atMost(Duration.ofSeconds(30)).until(() -> jobRuns.runs("janitor").stream()
                .anyMatch(run -> run.finishedAt() != null && !run.startedAt().isBefore(looked)));
    }

    /** {@code order} published while every pay's answer times out: UNKNOWN, and Antom holds the payment, processing. */
    private PaymentAttempt unknownWithTheAnswerLost(java.util.Map<String, Object> order) {
        PaymentAttempt unknown = unknownWhile(FaultRule.of(FaultType.TIMEOUT).forApi("pay").withDelayMs(1500)
                .withTimes(0), order);
        assertThat(sandbox.payment(unknown.paymentRequestId()).orElseThrow().path("paymentStatus").asText())
                .as("Antom holds it, waiting for the buyer").isEqualTo("PROCESSING");
        return unknown;
    }

    /**
     * The process stopped after the janitor put an UNKNOWN attempt back to REQUESTED and before it called Antom: the
     * order's offset was committed long ago, so only the janitor can see it. A minute on (first-check.requested) its
     * inquiry finds no such payment, and the stored request is sent again; the buyer pays.
     */
    @Test
    void aRequestedPayThatNeverReachedAntomIsSentAgain() throws Exception {
        String orderId = newOrderId();
        PaymentAttempt requested;
        try (AutoCloseable jobs = scheduledJobsStopped()) {
            java.util.Map<String, Object> order = order(orderId);
            order.put("amount", java.util.Map.of("currency", "USD", "value", "30061")); // the buyer pays at once
            PaymentAttempt unknown = unknownAsAntomNeverGotIt(order);
            requested = ledger.applyIfUnchanged(unknown, com.checkoutroutes.ledger.Transition.to(
                    PaymentState.REQUESTED, "PAY_RESENT")).orElseThrow();
            clock.advance(Duration.ofMinutes(2));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> state(requested) == PaymentState.SUCCEEDED);
        assertThat(sandbox.requests("pay", requested.paymentRequestId())).as("one pay reached Antom, the resend")
                .filteredOn(call -> call.httpStatus() == 200).hasSize(1);
        await().atMost(Duration.ofSeconds(20)).until(() -> channelMessages("WEB", orderId).stream()
                .map(m -> m.path("action").asText()).toList(), actions -> actions.contains("REDIRECT"));
    }

    /**
     * The order's earlier attempt was paid while its later one was left UNKNOWN, never at Antom: a pay sent again
     * could only make a second payment.
     */
    @Test
    void anUnknownPayAntomNeverGotIsNotSentAgainOnceAnotherAttemptPaidTheOrder() throws Exception {
        String orderId = newOrderId();
        PaymentAttempt unknown;
        try (AutoCloseable jobs = scheduledJobsStopped()) {
            publish(order(orderId));
            PaymentAttempt first = await().atMost(Duration.ofSeconds(20))
                    .until(() -> onlyAttempt(orderId), a -> a.state() == PaymentState.PENDING);
            java.util.Map<String, Object> second = order(orderId);
            second.put("attempt", 2);
            unknown = unknownAsAntomNeverGotIt(second);
            sandbox.buyerAction(first.paymentId(), Outcome.PAY);
            await().atMost(Duration.ofSeconds(20)).until(() -> state(first) == PaymentState.SUCCEEDED);
            clock.advance(Duration.ofSeconds(15));
        }
        assertNotSentAgainAfterAJanitorLook(unknown);
        assertThat(sandbox.payment(unknown.paymentRequestId())).isEmpty();
    }

    /**
     * Found past its expiry but within the janitor's grace (2 min): not sent again, since a pay sent now would ask the
     * buyer to pay after the order's time; left UNKNOWN until the grace is over, then closed.
     */
    @Test
    void anUnknownPaymentAntomNeverGotIsNotSentAgainPastItsExpiry() throws Exception {
        // past the wallet's expiry (14 min of Antom's), not past the grace
        PaymentAttempt unknown = unknownAntomNeverGot(attempt -> Duration.between(java.time.OffsetDateTime.now(clock),
                attempt.expiresAt()).plusSeconds(30));
        lookedAtByTheJanitor(unknown);
        assertThat(ledger.history(unknown.paymentRequestId())).extracting(StateChange::cause)
                .doesNotContain("PAY_RESENT");
        assertThat(sandbox.payment(unknown.paymentRequestId())).isEmpty();
    }

    /** The same, found only after its expiry: closed, never sent so late. */
    @Test
    void anUnknownPaymentAntomNeverGotIsClosedOnceExpired() throws Exception {
        PaymentAttempt unknown = unknownAntomNeverGot(attempt -> Duration.ofMinutes(17));
        await().atMost(Duration.ofSeconds(30)).until(() -> state(unknown) == PaymentState.EXPIRED);
        assertThat(ledger.history(unknown.paymentRequestId())).extracting(StateChange::cause)
                .contains("NOT_FOUND_AT_ANTOM").doesNotContain("PAY_RESENT");
        assertThat(sandbox.payment(unknown.paymentRequestId())).isEmpty();
    }

    /**
     * An order whose pay never reached Antom (5xx each try), left UNKNOWN while the janitor is stopped; then our clock
     * moves on by {@code later} of it and the janitor runs again.
     */
    private PaymentAttempt unknownAntomNeverGot(java.util.function.Function<PaymentAttempt, Duration> later)
            throws Exception {
        String orderId = newOrderId();
        try (AutoCloseable jobs = scheduledJobsStopped()) {
            PaymentAttempt unknown = unknownAsAntomNeverGotIt(order(orderId));
            clock.advance(later.apply(unknown));
            return unknown;
        }
    }

    /** {@code order} published while Antom answers every pay 5xx: its attempt is UNKNOWN, Antom never got it. */
    private PaymentAttempt unknownAsAntomNeverGotIt(java.util.Map<String, Object> order) {
        return unknownWhile(FaultRule.of(FaultType.HTTP_5XX).forApi("pay").withTimes(0), order);
    }

    /** {@code order} published while every pay meets {@code fault}: its attempt is UNKNOWN. */
    private PaymentAttempt unknownWhile(FaultRule fault, java.util.Map<String, Object> order) {
        sandbox.addFault(fault);
        publish(order);
        String orderId = String.valueOf(order.get("orderId"));
        int attemptNo = (int) order.getOrDefault("attempt", 1);
        PaymentAttempt unknown = await().atMost(Duration.ofSeconds(30)).until(() -> ledger.attemptsOf(orderId).stream()
                .filter(a -> a.attemptNo() == attemptNo && a.state() == PaymentState.UNKNOWN).findFirst(),
                java.util.Optional::isPresent).orElseThrow();
        sandbox.clearFaults();
        return unknown;
    }

    @Test
    void theAttemptDueLongestIsLookedAtFirst() throws Exception {
        PaymentAttempt older = pendingWallet();
        PaymentAttempt newer = pendingWallet();
        java.time.OffsetDateTime now = java.time.OffsetDateTime.now(clock);
        try (AutoCloseable stopped = scheduledJobsStopped()) {
            // the older attempt was asked about again a day ago, the newer one has been due for two days
            ledger.scheduleCheck(older.paymentRequestId(), now.minusDays(1), true);
            ledger.scheduleCheck(newer.paymentRequestId(), now.minusDays(2), false);

            java.util.List<String> due = janitorSelection(now);
            assertThat(due.indexOf(newer.paymentRequestId())).isNotNegative()
                    .isLessThan(due.indexOf(older.paymentRequestId()));
            assertThat(due).hasSizeLessThanOrEqualTo(500); // checkout.janitor.batch-size
        }
    }

    /** What the janitor route's own {@code sql:} endpoint (routes/schedules.yaml) selects at {@code now}. */
    private java.util.List<String> janitorSelection(java.time.OffsetDateTime now) {
        org.apache.camel.Endpoint selection = camel.getEndpoints().stream()
                .filter(e -> e instanceof org.apache.camel.component.sql.SqlEndpoint sql
                        && sql.getQuery().startsWith("SELECT payment_request_id FROM payment_attempt"))
                .findFirst().orElseThrow();
        java.util.List<?> rows = camel.createFluentProducerTemplate().to(selection)
                .withHeader(JobRuns.RUN_TIME, now).request(java.util.List.class);
        return rows.stream().map(row -> String.valueOf(((java.util.Map<?, ?>) row).get("payment_request_id")))
                .toList();
    }
}
