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
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentLedger;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.ledger.RefundLedger;
import com.checkoutroutes.ledger.RefundRefusedException;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionTemplate;

/** A refund in full the rules refuse: flagged for an operator, unless nothing is left to refund. */
class AntomRefundsTest {

    private static final String PRID = "PRID-3";

    private final RefundLedger refunds = mock(RefundLedger.class);
    private final PaymentLedger payments = mock(PaymentLedger.class);
    private final AntomRefunds antom = new AntomRefunds(refunds, payments, mock(AntomRefundCalls.class),
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

    private void refused(String code) {
        when(refunds.open(eq(PRID), anyString(), any(), anyString(), anyString()))
                .thenThrow(new RefundRefusedException(code, "refused"));
    }
}
