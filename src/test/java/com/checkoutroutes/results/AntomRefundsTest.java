package com.checkoutroutes.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.checkoutroutes.gateway.AntomRefundCalls;
import com.checkoutroutes.gateway.AntomSettings;
import com.checkoutroutes.gateway.CallOutcome;
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentLedger;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.ledger.RefundLedger;
import com.checkoutroutes.ledger.Refund;
import com.checkoutroutes.ledger.RefundRefusedException;
import com.checkoutroutes.ledger.RefundState;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionTemplate;

/** A refund in full the rules refuse: flagged for an operator, unless nothing is left to refund. */
class AntomRefundsTest {

    private static final String PRID = "PRID-3";

    private final RefundLedger refunds = mock(RefundLedger.class);
    private final PaymentLedger payments = mock(PaymentLedger.class);
    private final AntomRefundCalls calls = mock(AntomRefundCalls.class);
    private final AntomRefunds antom = new AntomRefunds(refunds, payments, calls,
            mock(RefundResults.class), mock(TransactionTemplate.class), mock(AntomSettings.class), Clock.systemUTC());
    private final PaymentAttempt paid = PaymentAttempt.builder().paymentRequestId(PRID).paymentId("PAY-3")
            .orderId("ORD-3").attemptNo(1).paymentMethodType("ALIPAY_CN").amountValue(1250).currency("USD")
            .state(PaymentState.SUCCEEDED).build();

    @Test
    void nothingLeftToRefundIsNotedNotFlagged() {
        refused("NOTHING_TO_REFUND");

        assertThat(antom.refundInFull(paid, "CANCELLATION", "ORDER_CANCELLED", "checkout-routes")).isEmpty();
        verify(payments, never()).note(anyString(), anyString(), anyString(), anyString());
    }

    /** A cancel on its way (another path's, which may not refund at all) does not leave the refund silently undone. */
    @Test
    void aRefundBesideACancelOnItsWayFlagsThePayment() {
        refused("CANCEL_IN_PROGRESS");

        assertThat(antom.refundInFull(paid, "CANCELLATION", "ORDER_CANCELLED", "checkout-routes")).isEmpty();
        verify(payments).note(eq(PRID), eq("REFUND_REFUSED"), anyString(),
                org.mockito.ArgumentMatchers.startsWith("REFUND_REFUSED"));
    }

    /**
     * A refund a crash left stored and unsent, read again: sent once the ledger claims it for its resend (noted under
     * its payment's lock, so the janitor sees a send may be on its way); not sent when the ledger refuses (its payment
     * disputed, or the refund moved on meanwhile); then the janitor decides.
     */
    @Test
    void aStoredRefundReadAgainIsSentOnlyOnceTheLedgerClaimsItsResend() {
        Refund stored = new Refund("REF-1", PRID, "ORD-3", "ORDER_RETURNED:e-1", 400, "USD", RefundState.REQUESTED,
                null, null, null, "returned", "order-system", 0, 0, null, null, null, null, null);
        when(payments.find(PRID)).thenReturn(java.util.Optional.of(paid));
        when(refunds.find("REF-1")).thenReturn(java.util.Optional.of(stored));
        when(calls.refund(anyString(), anyString(), anyString(), org.mockito.ArgumentMatchers.anyLong(), anyString()))
                .thenReturn(new CallOutcome.Unknown<>("timed out", 3));

        when(refunds.claimResend(eq(stored), anyString())).thenReturn(java.util.Optional.empty());
        assertThat(antom.sendIfNew(new RefundLedger.Opened(stored, false))).isSameAs(stored);
        verify(calls, never()).refund(anyString(), anyString(), anyString(), org.mockito.ArgumentMatchers.anyLong(),
                anyString());

        when(refunds.claimResend(eq(stored), anyString())).thenReturn(java.util.Optional.of(stored));
        antom.sendIfNew(new RefundLedger.Opened(stored, false));
        org.mockito.InOrder order = org.mockito.Mockito.inOrder(refunds, calls);
        order.verify(refunds).claimResend(eq(stored), anyString());
        order.verify(calls).refund(eq("REF-1"), eq("PAY-3"), eq("USD"), eq(400L), eq("returned"));
    }

    private void refused(String code) {
        when(refunds.open(eq(PRID), anyString(), any(), anyString(), anyString()))
                .thenThrow(new RefundRefusedException(code, "refused"));
    }
}
