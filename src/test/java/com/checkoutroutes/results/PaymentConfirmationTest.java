package com.checkoutroutes.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.startsWith;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.alipay.global.api.model.ams.Transaction;
import com.alipay.global.api.model.ams.TransactionStatusType;
import com.alipay.global.api.model.ams.TransactionType;
import com.alipay.global.api.request.ams.pay.AlipayPayQueryRequest;
import com.checkoutroutes.gateway.AntomGateway;
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentLedger;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.results.PaymentInquiries.Confirmation;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The pre-shipment confirmation of a paid payment: what Antom lists beside SUCCESS that gives money back, done or
 * still under way (a refund made in its Dashboard, a cancel), keeps the order from shipping.
 */
class PaymentConfirmationTest {

    private static final String PRID = "PRID-1";

    private final AntomGateway gateway = mock(AntomGateway.class);
    private final PaymentLedger ledger = mock(PaymentLedger.class);
    private final RefundResults refundResults = mock(RefundResults.class);
    private final PaymentInquiries inquiries = new PaymentInquiries(ledger, gateway, mock(ResultApplier.class),
            mock(AttemptClosing.class), new TransactionTemplate(mock(PlatformTransactionManager.class)),
            refundResults);

    private final PaymentAttempt paid = PaymentAttempt.builder().paymentRequestId(PRID).paymentId("PAY-1")
            .orderId("ORD-1").attemptNo(1).paymentMethodType("ALIPAY_CN").amountValue(1250).currency("USD")
            .state(PaymentState.SUCCEEDED).build();

    @BeforeEach
    void ledgerHoldsItPaid() {
        when(ledger.lock(PRID)).thenReturn(Optional.of(paid));
        when(ledger.find(PRID)).thenReturn(Optional.of(paid));
        // what the ledger noted is read from its history, as stubbed here
        when(ledger.noted(any(), any(), any())).thenCallRealMethod();
    }

    @Test
    void aPaymentAntomListsPaidAndNothingElseIsConfirmed() {
        antomLists();

        assertThat(inquiries.confirm(paid)).isEqualTo(Confirmation.CONFIRMED);
        verify(refundResults, never()).flagRefundNotOurs(any(), anyString(), anyString());
    }

    /** A refund made in Antom's Dashboard, still processing: the money is on its way back already. */
    @Test
    void aRefundNotOursStillProcessingFlagsThePayment() {
        antomLists(transaction(TransactionType.REFUND, "REF-DASHBOARD", TransactionStatusType.PROCESSING));

        inquiries.confirm(paid);

        verify(refundResults).flagRefundNotOurs(eq(paid), eq("REF-DASHBOARD"), anyString());
    }

    @Test
    void aRefundNotOursThatFailedFlagsNothing() {
        antomLists(transaction(TransactionType.REFUND, "REF-DASHBOARD", TransactionStatusType.FAIL));

        inquiries.confirm(paid);

        verify(refundResults, never()).flagRefundNotOurs(any(), anyString(), anyString());
    }

    /**
     * A cancel Antom lists under way while it still has the payment paid: not confirmed for shipping, and the payment
     * flagged once, so that the next check, which finds the confirmation fresh, holds it too.
     */
    @Test
    void aCancelUnderWayIsNotAConfirmationAndFlagsThePaymentOnce() {
        antomLists(transaction(TransactionType.CANCEL, PRID, TransactionStatusType.PROCESSING));

        assertThat(inquiries.confirm(paid)).isEqualTo(Confirmation.CANCEL_LISTED);
        verify(ledger).note(eq(PRID), eq(PaymentInquiries.CANCEL_LISTED), anyString(),
                startsWith(PaymentInquiries.CANCEL_LISTED + ": "));

        when(ledger.history(PRID)).thenReturn(List.of(new PaymentLedger.StateChange(PaymentState.SUCCEEDED,
                PaymentState.SUCCEEDED, PaymentInquiries.CANCEL_LISTED, "listed", null)));
        assertThat(inquiries.confirm(paid)).isEqualTo(Confirmation.CANCEL_LISTED);
        verify(ledger, times(1)).note(eq(PRID), eq(PaymentInquiries.CANCEL_LISTED), anyString(), anyString());
    }

    /** A card's VOID (Antom's cancel of an authorisation, as the settlement files name it) is a cancel listed too. */
    @Test
    void aVoidUnderWayIsACancelListed() {
        antomLists(transaction(TransactionType.VOID, PRID, TransactionStatusType.PROCESSING));

        assertThat(inquiries.confirm(paid)).isEqualTo(Confirmation.CANCEL_LISTED);
    }

    /** Beside a capture that took the money, a void releases only what was not captured: no cancel. */
    @Test
    void aVoidBesideASuccessfulCaptureIsNoCancel() {
        antomLists(transaction(TransactionType.CAPTURE, "CAP-1", TransactionStatusType.SUCCESS),
                transaction(TransactionType.VOID, PRID, TransactionStatusType.SUCCESS));

        assertThat(inquiries.confirm(paid)).isNotEqualTo(Confirmation.CANCEL_LISTED);
    }

    @Test
    void aVoidThatFailedIsNoCancel() {
        antomLists(transaction(TransactionType.VOID, PRID, TransactionStatusType.FAIL));

        assertThat(inquiries.confirm(paid)).isNotEqualTo(Confirmation.CANCEL_LISTED);
    }

    /**
     * A capture under way: the answer says nothing of the capture yet (no answer for the janitor), but lists the
     * payment's transactions, a cancel among them or not (what a refused cancel is judged on).
     */
    @Test
    void aCaptureUnderWayIsNoAnswerThatStillSaysWhetherACancelIsListed() {
        antomLists(transaction(TransactionType.CAPTURE, "CAP-1", TransactionStatusType.PROCESSING));
        assertThat(inquiries.inquire(paid)).isInstanceOf(PaymentInquiries.Inquiry.NoAnswer.class)
                .extracting(PaymentInquiries.Inquiry::listsCancel).isEqualTo(java.util.Optional.of(false));

        antomLists(transaction(TransactionType.CAPTURE, "CAP-1", TransactionStatusType.PROCESSING),
                transaction(TransactionType.CANCEL, PRID, TransactionStatusType.PROCESSING));
        assertThat(inquiries.inquire(paid).listsCancel()).isEqualTo(java.util.Optional.of(true));
    }

    /** Antom's answer to inquiryPayment: the payment SUCCESS, with {@code transactions} listed. */
    private void antomLists(Transaction... transactions) {
        when(gateway.call(eq("inquiryPayment"), eq(PRID), any(AlipayPayQueryRequest.class)))
                .thenReturn(InquiryAnswers.payment(PRID, TransactionStatusType.SUCCESS, transactions));
    }

    private static Transaction transaction(TransactionType type, String requestId, TransactionStatusType status) {
        return InquiryAnswers.transaction(type, requestId, status);
    }
}
