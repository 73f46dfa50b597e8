package com.checkoutroutes.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.checkoutroutes.console.ActionLog.Outcome;
import com.checkoutroutes.console.ConsoleActions.Result;
import com.checkoutroutes.console.ConsoleActions.Target;
import com.checkoutroutes.deadletter.DeadLetterArchive;
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentLedger.StateChange;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.ledger.RefundLedger;
import com.checkoutroutes.testsupport.FlowTestSupport;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The console's actions go through the routes' own rules: what they refuse is refused with the rule's reason and
 * changes nothing; what they allow changes the ledger as the route would. Every action, refused or not, leaves its
 * audit record (who, what, when, outcome).
 */
class ConsoleActionsTest extends FlowTestSupport {

    private static final String OPERATOR = "alice";

    @Autowired
    ConsoleActions actions;
    @Autowired
    ActionLog log;
    @Autowired
    DeadLetterArchive deadLetters;
    @Autowired
    RefundLedger refunds;
    @Autowired
    Timeline timeline;

    @Test
    void aFlagIsClearedOnlyWithAReasonAndOnlyWhenThereIsOne() {
        PaymentAttempt pending = pendingWallet();
        Target payment = new Target(null, pending.paymentRequestId(), null);

        assertRefused(actions.perform(ConsoleAction.CLEAR_FLAG, payment, OPERATOR, "looked into it"), "NOT_FLAGGED");
        ledger.note(pending.paymentRequestId(), "AMOUNT_MISMATCH", "notified 1300 USD, ordered 1250 USD",
                "AMOUNT_MISMATCH: notified 1300 USD, ordered 1250 USD");
        int historyBefore = ledger.history(pending.paymentRequestId()).size();
        assertRefused(actions.perform(ConsoleAction.CLEAR_FLAG, payment, OPERATOR, "  "), "REASON_REQUIRED");
        assertThat(ledger.find(pending.paymentRequestId()).orElseThrow().flagged()).isTrue();
        assertThat(ledger.history(pending.paymentRequestId())).hasSize(historyBefore);

        Result cleared = actions.perform(ConsoleAction.CLEAR_FLAG, payment, OPERATOR, "the buyer paid the difference");
        assertThat(cleared.outcome()).isEqualTo(Outcome.DONE);
        PaymentAttempt after = ledger.find(pending.paymentRequestId()).orElseThrow();
        assertThat(after.flagged()).isFalse();
        assertThat(after.flagReason()).isNull();
        StateChange last = lastChange(pending);
        assertThat(last.cause()).isEqualTo("FLAG_CLEARED");
        assertThat(last.detail()).contains("AMOUNT_MISMATCH", "cleared by alice", "the buyer paid the difference");

        ActionLog.Entry audit = log.find(cleared.auditId()).orElseThrow();
        assertThat(audit.actor()).isEqualTo(OPERATOR);
        assertThat(audit.action()).isEqualTo("CLEAR_FLAG");
        assertThat(audit.orderId()).isEqualTo(pending.orderId());
        assertThat(audit.reason()).isEqualTo("the buyer paid the difference");
        assertThat(audit.outcome()).isEqualTo("DONE");
        assertThat(audit.at()).isNotNull();
        assertThat(audit.finishedAt()).isNotNull();
    }

    /**
     * A form whose order is not its payment's (a link made by hand: the page shows the form's order) is refused, and
     * nothing of either order changes.
     */
    @Test
    void aFormNamingAnotherOrderThanItsPaymentsIsRefused() {
        PaymentAttempt pending = pendingWallet();
        ledger.note(pending.paymentRequestId(), "AMOUNT_MISMATCH", "notified 1300 USD", "AMOUNT_MISMATCH: 1300 USD");
        int historyBefore = ledger.history(pending.paymentRequestId()).size();
        Target crafted = new Target("ANOTHER-" + pending.orderId(), pending.paymentRequestId(), null);

        Result cancel = actions.perform(ConsoleAction.CANCEL, crafted, OPERATOR, "the buyer asked");
        assertRefused(cancel, "TARGET_MISMATCH");
        assertRefused(actions.perform(ConsoleAction.CLEAR_FLAG, crafted, OPERATOR, "checked"), "TARGET_MISMATCH");

        PaymentAttempt after = ledger.find(pending.paymentRequestId()).orElseThrow();
        assertThat(after.state()).isEqualTo(pending.state());
        assertThat(after.flagged()).isTrue();
        assertThat(ledger.history(pending.paymentRequestId())).hasSize(historyBefore);
        assertThat(log.find(cancel.auditId()).orElseThrow().orderId()).as("the audit names the order it would have "
                + "acted on").isEqualTo(pending.orderId());
        assertThat(actions.perform(ConsoleAction.CLEAR_FLAG, new Target(pending.orderId(), pending.paymentRequestId(),
                null), OPERATOR, "checked").outcome()).isEqualTo(Outcome.DONE);
    }

    /**
     * The operator confirms clearing the flag they saw; a reason added meanwhile (a second payment, a conflicting
     * result) is not cleared unseen: refused FLAG_CHANGED until the page is looked at again.
     */
    @Test
    void aFlagThatChangedSinceItWasShownIsNotCleared() {
        PaymentAttempt pending = pendingWallet();
        Target payment = new Target(null, pending.paymentRequestId(), null);
        ledger.note(pending.paymentRequestId(), "AMOUNT_MISMATCH", "notified 1300 USD", "AMOUNT_MISMATCH: 1300 USD");
        String shown = ConsoleActions.flagShown(ledger.find(pending.paymentRequestId()).orElseThrow().flagReason());
        ledger.note(pending.paymentRequestId(), "CONFLICTING_RESULT", "F after S", "CONFLICTING_RESULT: F after S");

        assertRefused(actions.perform(ConsoleAction.CLEAR_FLAG, payment, OPERATOR, "checked", null, shown),
                "FLAG_CHANGED");
        assertThat(ledger.find(pending.paymentRequestId()).orElseThrow().flagReason())
                .contains("AMOUNT_MISMATCH", "CONFLICTING_RESULT");

        String none = ConsoleActions.flagShown(null);
        assertRefused(actions.perform(ConsoleAction.CLEAR_FLAG, payment, OPERATOR, "checked", null, none),
                "FLAG_CHANGED"); // a page that showed no flag (cleared by someone else) clears none raised since

        String now = ConsoleActions.flagShown(ledger.find(pending.paymentRequestId()).orElseThrow().flagReason());
        assertThat(actions.perform(ConsoleAction.CLEAR_FLAG, payment, OPERATOR, "both checked", null, now).outcome())
                .isEqualTo(Outcome.DONE);
        assertThat(ledger.find(pending.paymentRequestId()).orElseThrow().flagged()).isFalse();
    }

    @Test
    void aCancelFollowsTheOrderCancelRules() {
        // captured: it can no longer be cancelled, so it is refunded in full, as an ORDER_CANCELLED event would be
        String cardOrderId = newOrderId();
        publish(cardOrder(cardOrderId, null));
        PaymentAttempt captured = awaitState(onlyAttempt(cardOrderId), PaymentState.CAPTURED);
        int cancelsBefore = sandbox.requests("cancel", captured.paymentRequestId()).size();
        Result refunded = actions.perform(ConsoleAction.CANCEL, new Target(captured.orderId(), null, null), OPERATOR,
                "buyer asked");
        assertThat(refunded.outcome()).as(refunded.detail()).isEqualTo(Outcome.DONE);
        assertThat(refunded.detail()).contains("cancelled or refunded 1 of 1");
        assertThat(sandbox.requests("cancel", captured.paymentRequestId())).hasSize(cancelsBefore);
        assertThat(refunds.refundsOf(captured.paymentRequestId())).singleElement()
                .satisfies(r -> assertThat(r.amountValue()).isEqualTo(captured.amountValue()));

        assertRefused(actions.perform(ConsoleAction.CANCEL, new Target("NO-SUCH-ORDER", null, null), OPERATOR,
                "buyer asked"), "UNKNOWN_ORDER");

        // pending: cancelled at Antom, closed, with its result event, as an ORDER_CANCELLED event would
        PaymentAttempt pending = pendingWallet();
        Result done = actions.perform(ConsoleAction.CANCEL, new Target(pending.orderId(), null, null), OPERATOR,
                "buyer asked");
        assertThat(done.outcome()).isEqualTo(Outcome.DONE);
        assertThat(done.detail()).contains("Antom cancelled or refunded 1 of 1");
        assertThat(state(pending)).isEqualTo(PaymentState.CANCELLED);
        kafka().await(resultsTopic, r -> r.value().contains(pending.paymentRequestId())
                && r.value().contains("\"state\":\"CANCELLED\""));

        // nothing left to cancel
        assertRefused(actions.perform(ConsoleAction.CANCEL, new Target(pending.orderId(), null, null), OPERATOR,
                "again"), "NOTHING_TO_CANCEL");
    }

    @Test
    void aRefundFollowsTheRefundRules() {
        // not paid yet: nothing to refund, nothing stored
        PaymentAttempt pending = pendingWallet();
        assertRefused(actions.perform(ConsoleAction.REFUND, new Target(pending.orderId(), null, null), OPERATOR,
                "buyer asked", null), PaymentAttempt.PAYMENT_NOT_KNOWN_YET);
        assertThat(refunds.refundsOf(pending.paymentRequestId())).isEmpty();

        String cardOrderId = newOrderId();
        publish(cardOrder(cardOrderId, null));
        PaymentAttempt captured = awaitState(onlyAttempt(cardOrderId), PaymentState.CAPTURED);
        Target order = new Target(cardOrderId, null, null);
        assertRefused(actions.perform(ConsoleAction.REFUND, order, OPERATOR, " ", "1.00"), "REASON_REQUIRED");
        assertRefused(actions.perform(ConsoleAction.REFUND, order, OPERATOR, "damaged", "1.001"), "INVALID_AMOUNT");
        assertRefused(actions.perform(ConsoleAction.REFUND, order, OPERATOR, "damaged", "-1"), "INVALID_AMOUNT");
        assertThat(refunds.refundsOf(captured.paymentRequestId())).isEmpty();

        Result part = actions.perform(ConsoleAction.REFUND, order, OPERATOR, "one item damaged", "2.50");
        assertThat(part.outcome()).as(part.detail()).isEqualTo(Outcome.DONE);
        assertThat(part.detail()).contains("250").containsAnyOf("ACCEPTED", "REFUNDED");
        // more than what is left: refused by the ledger's rule, nothing stored, Antom not asked
        int refundCalls = sandbox.requests("refund", captured.paymentRequestId()).size();
        assertRefused(actions.perform(ConsoleAction.REFUND, order, OPERATOR, "again",
                String.valueOf(captured.amountValue())), "REFUND_AMOUNT_EXCEED");
        assertThat(sandbox.requests("refund", captured.paymentRequestId())).hasSize(refundCalls);
        // empty amount: all that is left
        Result rest = actions.perform(ConsoleAction.REFUND, order, OPERATOR, "the rest", " ");
        assertThat(rest.outcome()).as(rest.detail()).isEqualTo(Outcome.DONE);
        assertThat(refunds.refundsOf(captured.paymentRequestId())).extracting(r -> r.amountValue())
                .containsExactlyInAnyOrder(250L, captured.amountValue() - 250);
        assertThat(log.find(rest.auditId()).orElseThrow().action()).isEqualTo("REFUND");
        // the order's timeline tells each refund's steps
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(timeline.of(cardOrderId,
                ledger.attemptsOf(cardOrderId))).filteredOn(e -> e.kind().equals("Refund")
                        && e.what().contains("REFUNDED")).hasSize(2));
    }

    /**
     * A second payment of an order whose automatic give-back failed (Antom answered its cancel 503) is given back
     * from the console once Antom answers; the order's own payment, or one not paid, is refused and left alone.
     */
    @Test
    void aSecondPaymentIsGivenBackAndNeverTheOrdersOwn() {
        PaymentAttempt pending = pendingWallet();
        assertRefused(actions.perform(ConsoleAction.GIVE_BACK, new Target(null, pending.paymentRequestId(), null),
                OPERATOR, "paid twice"), "NOT_PAID");
        List<PaymentAttempt> paidTwice = paidTwiceSecondNotGivenBack();
        PaymentAttempt first = paidTwice.get(0);
        PaymentAttempt second = paidTwice.get(1);
        Target secondPayment = new Target(null, second.paymentRequestId(), null);
        assertThat(actions.secondPayments(ledger.attemptsOf(first.orderId())))
                .containsExactly(second.paymentRequestId());

        assertRefused(actions.perform(ConsoleAction.GIVE_BACK, new Target(null, first.paymentRequestId(), null),
                OPERATOR, "paid twice"), "ORDERS_OWN_PAYMENT");
        assertRefused(actions.perform(ConsoleAction.GIVE_BACK, secondPayment, OPERATOR, " "), "REASON_REQUIRED");
        Result stillFailing = actions.perform(ConsoleAction.GIVE_BACK, secondPayment, OPERATOR, "paid twice");
        assertThat(stillFailing.outcome()).as(stillFailing.detail()).isEqualTo(Outcome.FAILED);
        assertThat(state(second)).isEqualTo(PaymentState.SUCCEEDED);

        sandbox.clearFaults();
        Result given = actions.perform(ConsoleAction.GIVE_BACK, secondPayment, OPERATOR, "paid twice");
        assertThat(given.outcome()).as(given.detail()).isEqualTo(Outcome.DONE);
        assertThat(given.detail()).contains("cancelled at Antom");
        assertThat(state(second)).isEqualTo(PaymentState.CANCELLED);
        assertThat(log.find(given.auditId()).orElseThrow().action()).isEqualTo("GIVE_BACK");
        assertThat(state(first)).isEqualTo(PaymentState.SUCCEEDED);
        assertThat(sandbox.requests("cancel", first.paymentRequestId())).isEmpty();
        assertThat(actions.secondPayments(ledger.attemptsOf(first.orderId()))).isEmpty();
        assertRefused(actions.perform(ConsoleAction.GIVE_BACK, secondPayment, OPERATOR, "again"), "NOT_PAID");
    }

    @Test
    void aCheckWithAntomAppliesItsAnswerAsANotificationWould() {
        PaymentAttempt pending = pendingWallet();
        Result still = actions.perform(ConsoleAction.CHECK_WITH_ANTOM, new Target(null, pending.paymentRequestId(),
                null), OPERATOR, null);
        assertThat(still.outcome()).isEqualTo(Outcome.DONE);
        assertThat(still.detail()).contains("PENDING");

        assertRefused(actions.perform(ConsoleAction.CHECK_WITH_ANTOM, new Target(null, "NO-SUCH-PAYMENT", null),
                OPERATOR, null), "UNKNOWN_PAYMENT");
    }

    @Test
    void aDeadLetterIsReDrivenOnce() {
        String orderId = newOrderId();
        kafka().publish(orderEventsTopic, orderId, "{\"eventId\":\"e-" + orderId + "\",\"type\":\"ORDER_SHIPPED\","
                + "\"orderId\":\"" + orderId + "\"}");
        DeadLetterArchive.Kept first = Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> deadLetters.recent(null, orderId, false, 5), list -> !list.isEmpty()).get(0);
        assertThat(first.reasonCode()).isEqualTo("UNKNOWN_ORDER");
        assertThat(first.sourceTopic()).isEqualTo(orderEventsTopic);
        assertThat(first.sourceKey()).isEqualTo(orderId);

        Result redriven = actions.perform(ConsoleAction.REDRIVE, new Target(null, null, first.id()), OPERATOR, null);
        assertThat(redriven.outcome()).isEqualTo(Outcome.DONE);
        assertThat(log.find(redriven.auditId()).orElseThrow().orderId()).isEqualTo(orderId);
        assertRefused(actions.perform(ConsoleAction.REDRIVE, new Target(null, null, first.id()), OPERATOR, null),
                "ALREADY_REDRIVEN");
        // the cause is not fixed (still no such order): the route refuses it again, a dead letter of its own
        List<DeadLetterArchive.Kept> both = Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> deadLetters.recent(null, orderId, false, 5), list -> list.size() == 2);
        assertThat(both.get(0).reasonCode()).isEqualTo("UNKNOWN_ORDER");
        assertThat(both.get(0).redriven()).isFalse();
        assertThat(both.get(1).redrivenBy()).isEqualTo(OPERATOR);

        assertRefused(actions.perform(ConsoleAction.REDRIVE, new Target(null, null, 999_999_999L), OPERATOR, null),
                "UNKNOWN_DEAD_LETTER");
    }

    /** A record key of the full 256 bytes the consumers read as text is kept whole, and re-driven under it. */
    @Test
    void aDeadLetterKeepsItsWholeKeyAndIsReDrivenUnderIt() {
        String orderId = newOrderId();
        String key = (orderId + "-").repeat(256).substring(0, 256);
        kafka().publish(orderEventsTopic, key, "{\"eventId\":\"e-" + orderId + "\",\"type\":\"ORDER_SHIPPED\","
                + "\"orderId\":\"" + orderId + "\"}");
        DeadLetterArchive.Kept first = Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> deadLetters.recent(null, orderId, false, 5), list -> !list.isEmpty()).get(0);
        assertThat(first.sourceKey()).isEqualTo(key);

        assertThat(actions.perform(ConsoleAction.REDRIVE, new Target(null, null, first.id()), OPERATOR, null)
                .outcome()).isEqualTo(Outcome.DONE);
        List<DeadLetterArchive.Kept> both = Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> deadLetters.recent(null, orderId, false, 5), list -> list.size() == 2);
        assertThat(both.get(0).sourceKey()).as("read again under the same key").isEqualTo(key);
    }

    private void assertRefused(Result result, String code) {
        assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.REFUSED);
        assertThat(result.detail()).startsWith(code + ": ");
        ActionLog.Entry audit = log.find(result.auditId()).orElseThrow();
        assertThat(audit.outcome()).isEqualTo("REFUSED");
        assertThat(audit.actor()).isEqualTo(OPERATOR);
        assertThat(audit.detail()).startsWith(code);
    }

    private StateChange lastChange(PaymentAttempt attempt) {
        List<StateChange> history = ledger.history(attempt.paymentRequestId());
        return history.get(history.size() - 1);
    }
}
