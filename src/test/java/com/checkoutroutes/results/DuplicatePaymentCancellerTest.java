package com.checkoutroutes.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentLedger;
import com.checkoutroutes.ledger.Refund;
import com.checkoutroutes.ledger.RefundLedger;
import com.checkoutroutes.ledger.RefundState;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/** What is left on a second payment whose give-back failed for good: a note, and a flag an operator sees. */
class DuplicatePaymentCancellerTest {

    private final PaymentLedger ledger = mock(PaymentLedger.class);
    private final RefundLedger refunds = mock(RefundLedger.class);
    private final AntomCancels cancels = mock(AntomCancels.class);
    private final DuplicatePaymentCanceller canceller = new DuplicatePaymentCanceller(ledger, cancels, refunds,
            java.time.Clock.systemUTC(), new org.springframework.transaction.support.TransactionTemplate(
                    mock(org.springframework.transaction.PlatformTransactionManager.class)));

    /**
     * Given back only while it is a second payment: one whose order's other payment was cancelled since it was queued
     * is the order's own payment now, and kept.
     */
    @Test
    void aQueuedSecondPaymentIsGivenBackOnlyWhileItIsStillTheSecond() {
        java.time.OffsetDateTime now = java.time.OffsetDateTime.now();
        PaymentAttempt first = paid("PRID-A", 1, now.minusMinutes(2));
        PaymentAttempt second = paid("PRID-B", 2, now.minusMinutes(1));
        when(ledger.find("PRID-B")).thenReturn(Optional.of(second));

        when(ledger.attemptsOf("ORD-1")).thenReturn(List.of(first.toBuilder()
                .state(com.checkoutroutes.ledger.PaymentState.CANCELLED).build(), second));
        canceller.cancel("PRID-B");
        verify(cancels, never()).cancelOrRefund(any(), anyString(), anyString());
        verify(ledger).withdrawFlags(eq("PRID-B"), eq(List.of("DUPLICATE_PAYMENT", "DUPLICATE_NOT_GIVEN_BACK")),
                eq("DUPLICATE_KEPT"), anyString());

        // the order's own payment has a cancel that may still land: giving this one back too could leave none
        when(ledger.attemptsOf("ORD-1")).thenReturn(List.of(first, second));
        when(ledger.lock("PRID-A")).thenReturn(Optional.of(first));
        when(ledger.cancelOnItsWay(eq("PRID-A"), any())).thenReturn(true);
        canceller.cancel("PRID-B");
        verify(cancels, never()).cancelOrRefund(any(), anyString(), anyString());
        verify(ledger).note(eq("PRID-B"), eq("DUPLICATE_NOT_GIVEN_BACK"), anyString(),
                org.mockito.ArgumentMatchers.startsWith("DUPLICATE_NOT_GIVEN_BACK"));

        // nor while its cancel's result is not known (refused, unanswered: CANCEL_NOT_DONE)
        when(ledger.cancelOnItsWay(eq("PRID-A"), any())).thenReturn(false);
        PaymentAttempt notDone = first.toBuilder().flagged(true).flagReason("CANCEL_NOT_DONE: no answer").build();
        when(ledger.attemptsOf("ORD-1")).thenReturn(List.of(notDone, second));
        when(ledger.lock("PRID-A")).thenReturn(Optional.of(notDone));
        canceller.cancel("PRID-B");
        verify(cancels, never()).cancelOrRefund(any(), anyString(), anyString());

        when(ledger.attemptsOf("ORD-1")).thenReturn(List.of(first, second));
        canceller.cancel("PRID-B");
        verify(cancels).cancelOrRefund(second, "DUPLICATE_PAYMENT_CANCELLED", DuplicatePaymentCanceller.REFUND_KEY);
    }

    /**
     * The order's own payment's cancel commits as the second payment is looked at: read with a cancel on its way, it
     * is found cancelled under its row lock, and the second payment is kept as the order's own, not flagged
     * DUPLICATE_NOT_GIVEN_BACK (a flag that cancel's transaction, committed before it, would never have seen).
     */
    @Test
    void anOwnPaymentCancelledAsTheSecondIsLookedAtKeepsTheSecondUnflagged() {
        java.time.OffsetDateTime now = java.time.OffsetDateTime.now();
        PaymentAttempt first = paid("PRID-A", 1, now.minusMinutes(2));
        PaymentAttempt second = paid("PRID-B", 2, now.minusMinutes(1));
        PaymentAttempt cancelled = first.toBuilder().state(com.checkoutroutes.ledger.PaymentState.CANCELLED).build();
        when(ledger.find("PRID-B")).thenReturn(Optional.of(second));
        when(ledger.attemptsOf("ORD-1")).thenReturn(List.of(first, second), List.of(cancelled, second));
        when(ledger.cancelOnItsWay(eq("PRID-A"), any())).thenReturn(true);
        when(ledger.lock("PRID-A")).thenReturn(Optional.of(cancelled));

        canceller.cancel("PRID-B");

        verify(ledger, never()).note(eq("PRID-B"), eq("DUPLICATE_NOT_GIVEN_BACK"), anyString(), anyString());
        verify(ledger).withdrawFlags(eq("PRID-B"), eq(List.of("DUPLICATE_PAYMENT", "DUPLICATE_NOT_GIVEN_BACK")),
                eq("DUPLICATE_KEPT"), anyString());
        verify(cancels, never()).cancelOrRefund(any(), anyString(), anyString());
    }

    private static PaymentAttempt paid(String prid, int attemptNo, java.time.OffsetDateTime paidAt) {
        return PaymentAttempt.builder().paymentRequestId(prid).paymentId("PAY-" + prid).orderId("ORD-1")
                .attemptNo(attemptNo).paymentMethodType("ALIPAY_CN").amountValue(1250).currency("USD")
                .state(com.checkoutroutes.ledger.PaymentState.SUCCEEDED).paidAt(paidAt).build();
    }

    @Test
    void aCancelThatFailedForGoodIsNotedAndFlagged() {
        when(ledger.find("PRID-1")).thenReturn(Optional.of(mock(PaymentAttempt.class)));

        canceller.notDone("PRID-1", new IllegalStateException("concurrent update of PRID-1 " + "x".repeat(2_000)));

        ArgumentCaptor<String> flag = ArgumentCaptor.forClass(String.class);
        verify(ledger).note(eq("PRID-1"), eq("CANCEL_NOT_DONE"), anyString(), flag.capture());
        assertThat(flag.getValue()).startsWith("CANCEL_NOT_DONE: giving back the second payment failed: "
                + "java.lang.IllegalStateException: concurrent update of PRID-1").hasSizeLessThanOrEqualTo(512);
    }

    @Test
    void aRecordOfNoKnownAttemptIsOnlyLogged() {
        when(ledger.find("PRID-2")).thenReturn(Optional.empty());

        canceller.notDone("PRID-2", new IllegalStateException("boom"));

        verify(ledger, never()).note(any(), any(), any(), any());
    }

    /** Its own give-back refund first; else one that holds the money already (a cancellation); never a failed one. */
    @Test
    void theRefundThatGivesItBackIsItsOwnElseAnyHoldingTheMoney() {
        Refund cancellation = refund("ORDER_CANCELLED", RefundState.ACCEPTED);
        Refund refused = refund("DUPLICATE_PAYMENT", RefundState.FAILED);
        when(refunds.refundsOf("PRID-3")).thenReturn(List.of(cancellation, refused));
        assertThat(canceller.refundOf("PRID-3")).contains(refused);

        when(refunds.refundsOf("PRID-4")).thenReturn(List.of(refund("ORDER_CANCELLED", RefundState.FAILED),
                cancellation));
        assertThat(canceller.refundOf("PRID-4")).contains(cancellation);

        when(refunds.refundsOf("PRID-5")).thenReturn(List.of(refund("ORDER_CANCELLED", RefundState.FAILED)));
        assertThat(canceller.refundOf("PRID-5")).isEmpty();
    }

    private static Refund refund(String requestKey, RefundState state) {
        return new Refund("RR-" + requestKey + state, "PRID", "ORD-1", requestKey, 1250, "USD", state, null, null,
                null, "why", "checkout-routes", 1, 0, null, null, null, null, null);
    }
}
