package com.checkoutroutes.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.ArgumentMatchers.startsWith;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.alipay.global.api.model.ams.Transaction;
import com.alipay.global.api.model.ams.TransactionStatusType;
import com.alipay.global.api.model.ams.TransactionType;
import com.alipay.global.api.request.ams.pay.AlipayPayQueryRequest;
import com.alipay.global.api.response.ams.pay.AlipayPayQueryResponse;
import com.checkoutroutes.gateway.AntomGateway;
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentLedger;
import com.checkoutroutes.ledger.PaymentState;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What an inquiry makes of what Antom lists for a paid attempt: the captures of one whose capture is requested (after
 * a failed capture and a new one, a second shipment event, the earlier failure is not the answer for the new one),
 * and a cancel nobody here asked for.
 */
class PaidAttemptInquiryTest {

    private static final String PRID = "PRID-1";

    private final AntomGateway gateway = mock(AntomGateway.class);
    private final PaymentLedger ledger = mock(PaymentLedger.class);
    private final AttemptClosing closing = mock(AttemptClosing.class);
    private final PaymentInquiries inquiries = new PaymentInquiries(ledger, gateway, mock(ResultApplier.class),
            closing, mock(TransactionTemplate.class), mock(RefundResults.class));

    private final PaymentAttempt capturing = PaymentAttempt.builder().paymentRequestId(PRID).paymentId("PAY-1")
            .orderId("ORD-1").attemptNo(1).paymentMethodType("CARD").captureMode("MANUAL").amountValue(1250)
            .currency("USD").state(PaymentState.CAPTURE_REQUESTED).captureRequestId("CAP-2").build();

    @Test
    void onlyAnEarlierFailedCaptureListedMeansTheRequestedOneNeverReachedAntom() {
        antomLists(capture("CAP-1", TransactionStatusType.FAIL));

        assertThat(inquiries.inquire(capturing)).isInstanceOf(PaymentInquiries.Inquiry.CaptureNotFound.class);
    }

    @Test
    void theRequestedCaptureStillProcessingIsNoAnswerYet() {
        antomLists(capture("CAP-1", TransactionStatusType.FAIL), capture("CAP-2", TransactionStatusType.PROCESSING));

        assertThat(inquiries.inquire(capturing)).isInstanceOf(PaymentInquiries.Inquiry.NoAnswer.class);
    }

    /**
     * A capture that failed, and one made since from Antom's Dashboard: the money is taken, whichever request took it
     * (the attempt's own failed capture used to be read, and the guard then closed a charged payment as released).
     */
    @Test
    void aCaptureThatTookTheMoneyIsReadBeforeTheAttemptsOwnFailedOne() {
        PaymentAttempt failed = capturing.toBuilder().state(PaymentState.CAPTURE_FAILED).captureRequestId("CAP-1")
                .build();
        AlipayPayQueryResponse response = new AlipayPayQueryResponse();
        response.setTransactions(List.of(capture("CAP-1", TransactionStatusType.FAIL),
                capture("DASHBOARD-1", TransactionStatusType.SUCCESS)));

        assertThat(PaymentInquiries.capture(failed, response)).get()
                .extracting(Transaction::getTransactionRequestId).isEqualTo("DASHBOARD-1");
    }

    /**
     * A capture given up for an order's cancellation, whose cancel's answer was lost: Antom lists the authorisation
     * cancelled. This service's own cancel did it, so it is not flagged as released by Antom; without a cancel asked
     * for, it is.
     */
    @Test
    void anAuthorisationCancelledAsAskedIsNotFlaggedAsReleased() {
        PaymentAttempt overtaken = capturing.toBuilder().state(PaymentState.CAPTURE_FAILED).build();
        antomAnswers(TransactionStatusType.CANCELLED);

        when(ledger.cancelAsked(PRID)).thenReturn(true);
        inquiries.inquire(overtaken);
        verify(closing).close(eq(PRID), eq(PaymentState.CAPTURE_FAILED), eq(PaymentState.CANCELLED),
                eq("INQUIRY_CANCELLED"), any(), any(), any(), isNull());

        when(ledger.cancelAsked(PRID)).thenReturn(false);
        inquiries.inquire(overtaken);
        verify(closing).close(eq(PRID), eq(PaymentState.CAPTURE_FAILED), eq(PaymentState.CANCELLED),
                eq("AUTHORISATION_RELEASED"), any(), any(), any(), startsWith("AUTHORISATION_RELEASED"));
    }

    /**
     * A payment the ledger has paid that Antom lists cancelled, no capture listed: the money went back. It is closed
     * CANCELLED and flagged for an operator, unless this service's own cancel did it (its answer lost).
     */
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

    /** Antom has the payment authorised (SUCCESS) with {@code captures} listed. */
    private void antomLists(Transaction... captures) {
        antomAnswers(TransactionStatusType.SUCCESS, captures);
    }

    /** Antom's inquiry answer: the payment in {@code status}, with {@code captures} listed. */
    private void antomAnswers(TransactionStatusType status, Transaction... captures) {
        when(gateway.call(eq("inquiryPayment"), eq(PRID), any(AlipayPayQueryRequest.class)))
                .thenReturn(InquiryAnswers.payment(PRID, status, captures));
    }

    private static Transaction capture(String captureRequestId, TransactionStatusType status) {
        return InquiryAnswers.transaction(TransactionType.CAPTURE, captureRequestId, status);
    }
}
