package com.checkoutroutes.orderintake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.sandbox.FaultRule;
import com.checkoutroutes.sandbox.FaultType;
import com.checkoutroutes.sandbox.OutcomeScript.Outcome;
import com.checkoutroutes.testsupport.FlowTestSupport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Antom's advice for an order paid again by a method without refunds (checkout.payments.cancel-before-new-attempt:
 * KONBINI as shipped): its earlier attempt, still open, is cancelled at Antom before the new one is made, so the buyer
 * cannot pay both slips.
 */
class ReplacedAttemptTest extends FlowTestSupport {

    @Test
    void aNewAttemptCancelsTheEarlierKonbiniSlipFirst() {
        String orderId = newOrderId();
        PaymentAttempt first = pendingKonbini(orderId, 1);

        PaymentAttempt second = pendingKonbini(orderId, 2);

        PaymentAttempt cancelled = awaitState(first, PaymentState.CANCELLED);
        assertThat(ledger.history(cancelled.paymentRequestId())).anySatisfy(change -> {
            assertThat(change.cause()).isEqualTo("ATTEMPT_REPLACED");
            assertThat(change.to()).isEqualTo(PaymentState.CANCELLED);
        });
        assertThat(sandbox.requests("cancel", first.paymentRequestId())).hasSize(1);
        assertThat(second.attemptNo()).isEqualTo(2);
        assertThat(sandbox.requests("cancel", second.paymentRequestId())).isEmpty();
    }

    /**
     * The buyer paid the first slip and its notification is still to come: Antom's status of the order comes first
     * (inquiryPayment), so the order is paid and the new attempt refused, nothing cancelled.
     */
    @Test
    void anEarlierSlipPaidUnbeknownMakesTheOrderPaid() {
        String orderId = newOrderId();
        PaymentAttempt first = pendingKonbini(orderId, 1);
        sandbox.addFault(FaultRule.of(FaultType.NOTIFY_DROP).forPaymentRequestId(first.paymentRequestId()).withTimes(0));
        sandbox.buyerAction(first.paymentId(), Outcome.PAY);

        publish(konbini(orderId, 2));

        assertThat(awaitDeadLetter(orderId).path("reason").path("code").asText()).isEqualTo("ORDER_ALREADY_PAID");
        assertThat(state(first)).isEqualTo(PaymentState.SUCCEEDED);
        assertThat(ledger.attemptsOf(orderId)).hasSize(1);
        assertThat(sandbox.requests("cancel", first.paymentRequestId())).isEmpty();
    }

    /** The buyer paid the first slip and the store is confirming it (Antom has it PENDING): the new attempt waits. */
    @Test
    void anEarlierSlipBeingConfirmedRefusesTheNewAttempt() {
        String orderId = newOrderId();
        PaymentAttempt first = pendingKonbini(orderId, 1);
        sandbox.buyerAction(first.paymentId(), Outcome.PENDING_THEN_PAY);

        publish(konbini(orderId, 2));

        assertThat(awaitDeadLetter(orderId).path("reason").path("code").asText()).isEqualTo("PAYMENT_PENDING");
        assertThat(state(first)).isEqualTo(PaymentState.PENDING);
        assertThat(ledger.attemptsOf(orderId)).hasSize(1);
        assertThat(sandbox.requests("cancel", first.paymentRequestId())).isEmpty();
    }

    /**
     * Antom cannot be asked about the first slip (its inquiry fails): it may have been paid, and a cancel would give
     * that back, so nothing is cancelled and the new attempt goes ahead; the janitor looks at the first one later.
     */
    @Test
    void anEarlierSlipAntomCannotBeAskedAboutIsNotCancelled() {
        String orderId = newOrderId();
        PaymentAttempt first = pendingKonbini(orderId, 1);
        sandbox.addFault(FaultRule.of(FaultType.HTTP_5XX).forApi("inquiryPayment")
                .forPaymentRequestId(first.paymentRequestId()).withTimes(0));

        pendingKonbini(orderId, 2);

        assertThat(state(first)).isEqualTo(PaymentState.PENDING);
        assertThat(sandbox.requests("inquiryPayment", first.paymentRequestId())).isNotEmpty();
        assertThat(sandbox.requests("cancel", first.paymentRequestId())).isEmpty();
    }

    /** A wallet order paid again keeps its earlier attempt open (ALIPAY_CN is not listed): both PENDING, nothing cancelled. */
    @Test
    void aWalletsEarlierAttemptIsLeftOpen() {
        String orderId = newOrderId();
        List<PaymentAttempt> both = twoPendingAttempts(orderId);

        assertThat(sandbox.requests("cancel", both.get(0).paymentRequestId())).isEmpty();
    }

    /**
     * An attempt arriving after the one that replaced it (its dead letter sent again, say) is never stored nor paid:
     * the buyer would hold a second live slip beside the later one, the cancel-first rule never asked.
     */
    @Test
    void anAttemptAfterTheOneThatReplacedItIsRefused() {
        String orderId = newOrderId();
        PaymentAttempt second = pendingKonbini(orderId, 2);

        publish(konbini(orderId, 1));

        assertThat(awaitDeadLetter(orderId).path("reason").path("code").asText()).isEqualTo("ATTEMPT_SUPERSEDED");
        assertThat(ledger.attemptsOf(orderId)).singleElement().extracting(PaymentAttempt::attemptNo).isEqualTo(2);
        assertThat(state(second)).isEqualTo(PaymentState.PENDING);
        assertThat(sandbox.requests("cancel", second.paymentRequestId())).isEmpty();
    }

    private PaymentAttempt pendingKonbini(String orderId, int attemptNo) {
        publish(konbini(orderId, attemptNo));
        return await().atMost(Duration.ofSeconds(20)).until(() -> ledger.attemptsOf(orderId).stream()
                .filter(a -> a.attemptNo() == attemptNo).findFirst().orElse(null),
                a -> a != null && a.state() == PaymentState.PENDING);
    }

    private static Map<String, Object> konbini(String orderId, int attemptNo) {
        Map<String, Object> order = order(orderId);
        order.put("paymentMethodType", "KONBINI");
        order.put("amount", Map.of("currency", "JPY", "value", "1250"));
        order.put("attempt", attemptNo);
        return order;
    }
}
