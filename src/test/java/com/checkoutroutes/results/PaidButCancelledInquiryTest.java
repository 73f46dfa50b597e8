package com.checkoutroutes.results;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.ArgumentMatchers.startsWith;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.alipay.global.api.model.ams.TransactionStatusType;
import com.alipay.global.api.request.ams.pay.AlipayPayQueryRequest;
import com.checkoutroutes.gateway.AntomGateway;
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentLedger;
import com.checkoutroutes.ledger.PaymentState;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A payment the ledger has paid that Antom's inquiry lists cancelled, no capture listed: the money went back. It is
 * closed CANCELLED and flagged for an operator, unless this service's own cancel did it (its answer lost).
 */
class PaidButCancelledInquiryTest {

    private static final String PRID = "PRID-1";

    private final AntomGateway gateway = mock(AntomGateway.class);
    private final PaymentLedger ledger = mock(PaymentLedger.class);
    private final AttemptClosing closing = mock(AttemptClosing.class);
    private final PaymentInquiries inquiries = new PaymentInquiries(ledger, gateway, mock(ResultApplier.class),
            closing, mock(TransactionTemplate.class), mock(RefundResults.class));

    private final PaymentAttempt succeeded = PaymentAttempt.builder().paymentRequestId(PRID).paymentId("PAY-1")
            .orderId("ORD-1").attemptNo(1).paymentMethodType("ALIPAY_HK").amountValue(1250).currency("HKD")
            .state(PaymentState.SUCCEEDED).build();

    @Test
    void aPaidPaymentCancelledInAntomsDashboardIsClosedAndFlagged() {
        antomAnswers(TransactionStatusType.CANCELLED);

        inquiries.inquire(succeeded);

        verify(closing).close(eq(PRID), eq(PaymentState.SUCCEEDED), eq(PaymentState.CANCELLED),
                eq("INQUIRY_CANCELLED"), any(), any(), any(), startsWith(PaymentInquiries.CANCEL_LISTED));
    }

    @Test
    void aPaidPaymentCancelledAsThisServiceAskedIsClosedUnflagged() {
        antomAnswers(TransactionStatusType.CANCELLED);
        when(ledger.cancelAsked(PRID)).thenReturn(true);

        inquiries.inquire(succeeded);

        verify(closing).close(eq(PRID), eq(PaymentState.SUCCEEDED), eq(PaymentState.CANCELLED),
                eq("INQUIRY_CANCELLED"), any(), any(), any(), isNull());
    }

    @Test
    void anAuthorisationAntomListsCancelledIsClosedAsReleased() {
        PaymentAttempt authorised = succeeded.toBuilder().paymentMethodType("CARD").captureMode("MANUAL")
                .state(PaymentState.AUTHORISED).build();
        antomAnswers(TransactionStatusType.CANCELLED);

        inquiries.inquire(authorised);

        verify(closing).close(eq(PRID), eq(PaymentState.AUTHORISED), eq(PaymentState.CANCELLED),
                eq("AUTHORISATION_RELEASED"), any(), any(), any(), startsWith("AUTHORISATION_RELEASED"));
    }

    @Test
    void aPendingPaymentAntomClosedIsClosedUnflagged() {
        PaymentAttempt pending = succeeded.toBuilder().state(PaymentState.PENDING).build();
        antomAnswers(TransactionStatusType.CANCELLED);

        inquiries.inquire(pending);

        verify(closing).close(eq(PRID), eq(PaymentState.PENDING), eq(PaymentState.CANCELLED),
                eq("INQUIRY_CANCELLED"), any(), any(), isNull(), isNull());
    }

    private void antomAnswers(TransactionStatusType status) {
        when(gateway.call(eq("inquiryPayment"), eq(PRID), any(AlipayPayQueryRequest.class)))
                .thenReturn(InquiryAnswers.payment(PRID, status));
    }
}
