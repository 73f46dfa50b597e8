package com.checkoutroutes.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.alipay.global.api.model.Result;
import com.alipay.global.api.model.ResultStatusType;
import com.alipay.global.api.request.ams.pay.AlipayPayCancelRequest;
import com.alipay.global.api.response.ams.pay.AlipayPayCancelResponse;
import com.checkoutroutes.gateway.AntomGateway;
import com.checkoutroutes.gateway.AntomSettings;
import com.checkoutroutes.gateway.CallOutcome;
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentLedger;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.ledger.Refund;
import com.checkoutroutes.ledger.RefundLedger;
import com.checkoutroutes.ledger.RefundState;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A cancel Antom refuses is judged on the payment as it is once the answer is in: one still paid and captured is
 * refunded in full instead, one captured meanwhile too, one another path cancelled meanwhile needs nothing, and one
 * still authorised is flagged for an operator.
 */
class AntomCancelsTest {

    private static final String PRID = "PRID-2";

    private final PaymentLedger ledger = mock(PaymentLedger.class);
    private final AntomGateway gateway = mock(AntomGateway.class);
    private final AntomRefunds refunds = mock(AntomRefunds.class);
    private final RefundLedger refundLedger = mock(RefundLedger.class);
    private final PaymentInquiries inquiries = mock(PaymentInquiries.class);
    private final AttemptClosing closing = mock(AttemptClosing.class);
    private final AntomCancels cancels = new AntomCancels(ledger, gateway, closing, refunds,
            refundLedger, inquiries, new TransactionTemplate(mock(PlatformTransactionManager.class)),
            new AntomSettings("SANDBOX_X", "http://127.0.0.1:1", "key", "key", null, 1, Duration.ofSeconds(1),
                    Duration.ofSeconds(1), 4, "http://127.0.0.1:1/notify",
                    new AntomSettings.Retry(2, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(1))),
            Clock.systemUTC());

    private final PaymentAttempt paid = PaymentAttempt.builder().paymentRequestId(PRID).paymentId("PAY-2")
            .orderId("ORD-1").attemptNo(2).paymentMethodType("ALIPAY_CN").amountValue(1250).currency("USD")
            .state(PaymentState.SUCCEEDED).build();

    @BeforeEach
    void antomRefusesTheCancel() {
        when(refundLedger.refundsOf(PRID)).thenReturn(List.of());
        when(gateway.call(eq("cancel"), eq(PRID), any(AlipayPayCancelRequest.class)))
                .thenReturn(refused("ORDER_STATUS_INVALID"));
        // Antom's list, asked after a refusal, shows no cancel (a test that needs another answer says so)
        when(inquiries.inquire(any())).thenReturn(new PaymentInquiries.Inquiry.Answered(Optional.empty(), false));
    }

    @Test
    void aPaymentStillPaidIsRefundedInFull() {
        when(ledger.find(PRID)).thenReturn(Optional.of(paid));
        Refund accepted = refund(RefundState.ACCEPTED);
        when(refunds.refundInFull(eq(paid), eq("DUPLICATE_PAYMENT"), anyString(), anyString()))
                .thenReturn(Optional.of(accepted));

        assertThat(cancels.cancelOrRefund(paid, "DUPLICATE_PAYMENT_CANCELLED", "DUPLICATE_PAYMENT")).isTrue();
        verify(refunds).refundInFull(eq(paid), eq("DUPLICATE_PAYMENT"),
                eq("DUPLICATE_PAYMENT_CANCELLED (cancel refused)"), anyString());
    }

    @Test
    void aPaymentCancelledMeanwhileIsNotRefunded() {
        when(ledger.find(PRID)).thenReturn(Optional.of(paid.toBuilder().state(PaymentState.CANCELLED).build()));

        assertThat(cancels.cancelOrRefund(paid, "DUPLICATE_PAYMENT_CANCELLED", "DUPLICATE_PAYMENT")).isTrue();
        verify(refunds, never()).refundInFull(any(), anyString(), anyString(), anyString());
    }

    /** An order's cancellation read the card authorised; a shipment captured it before Antom refused the cancel. */
    @Test
    void aPaymentCapturedMeanwhileIsRefundedInFull() {
        PaymentAttempt authorised = paid.toBuilder().paymentMethodType("CARD").captureMode("MANUAL")
                .state(PaymentState.AUTHORISED).build();
        PaymentAttempt captured = authorised.toBuilder().state(PaymentState.CAPTURED).build();
        when(ledger.find(PRID)).thenReturn(Optional.of(captured));
        Refund accepted = refund(RefundState.ACCEPTED);
        when(refunds.refundInFull(eq(captured), eq("ORDER_CANCELLED"), anyString(), anyString()))
                .thenReturn(Optional.of(accepted));

        assertThat(cancels.cancelOrRefund(authorised, "ORDER_CANCELLED", "ORDER_CANCELLED")).isTrue();
        verify(ledger, never()).note(eq(PRID), eq("CANCEL_NOT_DONE"), anyString(), anyString());
    }

    /**
     * An order's cancellation read the card payment open (the buyer in 3DS); it was paid and captured before the
     * cancel reached Antom, which refuses it: the payment is refunded in full, as a paid one would have been.
     */
    @Test
    void anOpenPaymentCapturedBeforeItsCancelArrivedIsRefundedInFull() {
        PaymentAttempt open = paid.toBuilder().paymentMethodType("CARD").captureMode("AUTOMATIC")
                .state(PaymentState.PENDING).build();
        PaymentAttempt captured = open.toBuilder().state(PaymentState.CAPTURED).build();
        when(ledger.find(PRID)).thenReturn(Optional.of(captured));
        when(ledger.lock(PRID)).thenReturn(Optional.of(captured));
        Refund accepted = refund(RefundState.ACCEPTED);
        when(refunds.refundInFull(eq(captured), eq(AntomCancels.CANCELLATION_REFUND), anyString(), anyString()))
                .thenReturn(Optional.of(accepted));

        assertThat(cancels.cancelForOrder(open, "ORDER_CANCELLED")).contains(true);
        verify(refunds).refundInFull(eq(captured), eq(AntomCancels.CANCELLATION_REFUND), anyString(), anyString());
    }

    /** The same cancel refused while the payment is still open (a method without cancel): nothing to give back yet. */
    @Test
    void anOpenPaymentWhoseCancelIsRefusedIsNotRefunded() {
        PaymentAttempt open = paid.toBuilder().paymentMethodType("DANA").state(PaymentState.PENDING).build();
        when(ledger.find(PRID)).thenReturn(Optional.of(open));

        assertThat(cancels.cancelForOrder(open, "ORDER_CANCELLED")).contains(false);
        verify(refunds, never()).refundInFull(any(), anyString(), anyString(), anyString());
    }

    /**
     * An order cancelled after Antom closed its unpaid payment (Antom's 14 minutes passed, the janitor's expiry is 2
     * minutes later): closed CANCELLED, as the janitor's expiry closes one so answered, and not flagged CANCEL_NOT_DONE.
     */
    @Test
    void anOpenPaymentAntomClosedAlreadyIsClosedNotFlagged() {
        PaymentAttempt open = paid.toBuilder().state(PaymentState.PENDING).build();
        when(ledger.find(PRID)).thenReturn(Optional.of(open));
        when(gateway.call(eq("cancel"), eq(PRID), any(AlipayPayCancelRequest.class)))
                .thenReturn(refused("ORDER_IS_CLOSED"));
        when(closing.close(eq(PRID), eq(PaymentState.PENDING), eq(PaymentState.CANCELLED), eq("ORDER_CANCELLED"),
                eq("ORDER_IS_CLOSED"), anyString(), any(), any())).thenReturn(true);

        assertThat(cancels.cancelForOrder(open, "ORDER_CANCELLED")).contains(true);
        verify(ledger, never()).note(eq(PRID), eq("CANCEL_NOT_DONE"), anyString(), anyString());
    }

    /**
     * An order cancelled while its pay is on its way: Antom has no payment yet, but the pay may land after the cancel.
     * The attempt stays open and flagged (the janitor gives back what such a pay takes), not closed.
     */
    @Test
    void aCancelAntomHasNoPaymentForYetLeavesTheAttemptOpen() {
        PaymentAttempt requested = paid.toBuilder().state(PaymentState.REQUESTED).paymentId(null).build();
        when(ledger.find(PRID)).thenReturn(Optional.of(requested));
        when(gateway.call(eq("cancel"), eq(PRID), any(AlipayPayCancelRequest.class)))
                .thenReturn(refused("ORDER_NOT_EXIST"));

        cancels.cancelForOrder(requested, "ORDER_CANCELLED");

        verify(closing, never()).close(anyString(), any(), any(), anyString(), anyString(), anyString(), any(), any());
        verify(ledger).note(PRID, "CANCEL_NOT_DONE", "ORDER_NOT_EXIST refused",
                "CANCEL_NOT_DONE: ORDER_NOT_EXIST refused");
    }

    @Test
    void aRefusedCancelOfAnAuthorisationStillHeldIsFlaggedWithAntomsAnswer() {
        PaymentAttempt authorised = paid.toBuilder().paymentMethodType("CARD").captureMode("MANUAL")
                .state(PaymentState.AUTHORISED).build();
        when(ledger.find(PRID)).thenReturn(Optional.of(authorised));

        assertThat(cancels.cancelOrRefund(authorised, "ORDER_CANCELLED", "ORDER_CANCELLED")).isFalse();
        verify(ledger).note(PRID, "CANCEL_NOT_DONE", "ORDER_STATUS_INVALID refused",
                "CANCEL_NOT_DONE: ORDER_STATUS_INVALID refused");
        verify(refunds, never()).refundInFull(any(), anyString(), anyString(), anyString());
    }

    /**
     * A cancel whose answer was lost cancelled the payment at Antom; the ledger still has it paid. Cancelled again, Antom
     * refuses: its list shows the cancel, so nothing is refunded on top (the buyer would get the money twice).
     */
    @Test
    void aRefusedCancelOfAPaymentAntomListsAsCancelledIsNotRefunded() {
        when(ledger.find(PRID)).thenReturn(Optional.of(paid));
        when(inquiries.inquire(paid)).thenReturn(new PaymentInquiries.Inquiry.Answered(Optional.empty(), true));

        assertThat(cancels.cancelOrRefund(paid, "ORDER_CANCELLED", "CANCELLATION")).isFalse();
        verify(refunds, never()).refundInFull(any(), anyString(), anyString(), anyString());
        verify(ledger).note(PRID, "CANCEL_NOT_DONE", "ORDER_STATUS_INVALID refused",
                "CANCEL_NOT_DONE: ORDER_STATUS_INVALID refused");
    }

    /**
     * Refused, but Antom's list is not to be had (the inquiry gets no answer either): the refusal may be the answer
     * to a retry of a cancel whose first try, timed out, cancelled the payment. No refund on top, the mark kept until
     * it runs out, the payment flagged.
     */
    @Test
    void aRefusedCancelWhoseListCannotBeReadIsFlaggedNotRefunded() {
        when(ledger.find(PRID)).thenReturn(Optional.of(paid));
        when(inquiries.inquire(any())).thenReturn(new PaymentInquiries.Inquiry.NoAnswer());

        assertThat(cancels.cancelOrRefund(paid, "ORDER_CANCELLED", "CANCELLATION")).isFalse();
        verify(refunds, never()).refundInFull(any(), anyString(), anyString(), anyString());
        verify(ledger, never()).releaseCancelClaim(anyString(), any());
        verify(ledger).note(PRID, "CANCEL_NOT_DONE", "ORDER_STATUS_INVALID refused",
                "CANCEL_NOT_DONE: ORDER_STATUS_INVALID refused");
    }

    /**
     * Refused while Antom's own capture of an automatic card is under way: its answer says nothing of the capture yet,
     * but lists the payment's transactions, with no cancel: refunded in full, as a refusal with the list read is.
     */
    @Test
    void aRefusedCancelWhileACaptureIsUnderWayIsRefundedOnTheListAntomGave() {
        when(ledger.find(PRID)).thenReturn(Optional.of(paid));
        when(inquiries.inquire(any())).thenReturn(new PaymentInquiries.Inquiry.NoAnswer(Optional.of(false)));
        Refund accepted = refund(RefundState.ACCEPTED);
        when(refunds.refundInFull(eq(paid), anyString(), anyString(), anyString())).thenReturn(Optional.of(accepted));

        assertThat(cancels.cancelOrRefund(paid, "ORDER_CANCELLED", "CANCELLATION")).isTrue();
        verify(ledger).releaseCancelClaim(eq(PRID), any());
        verify(refunds).refundInFull(eq(paid), eq("CANCELLATION"), eq("ORDER_CANCELLED (cancel refused)"), anyString());
    }

    /**
     * Refused, Antom's list not to be had, but the ledger has the capture confirmed: a cancel, even one that reached
     * Antom, takes nothing back after a capture, so the money goes back by refund.
     */
    @Test
    void aRefusedCancelOfACapturedPaymentIsRefundedWithoutTheList() {
        PaymentAttempt captured = paid.toBuilder().paymentMethodType("CARD").captureMode("MANUAL")
                .state(PaymentState.CAPTURED).build();
        when(ledger.find(PRID)).thenReturn(Optional.of(captured));
        when(inquiries.inquire(any())).thenReturn(new PaymentInquiries.Inquiry.NoAnswer());
        Refund accepted = refund(RefundState.ACCEPTED);
        when(refunds.refundInFull(eq(captured), anyString(), anyString(), anyString()))
                .thenReturn(Optional.of(accepted));
        PaymentAttempt authorised = captured.toBuilder().state(PaymentState.AUTHORISED).build();

        assertThat(cancels.cancelOrRefund(authorised, "ORDER_CANCELLED", "CANCELLATION")).isTrue();
        verify(refunds).refundInFull(eq(captured), eq("CANCELLATION"), eq("ORDER_CANCELLED (captured, cancel refused)"),
                anyString());
    }

    /** A cancel of a paid payment is marked as on its way before it is sent, and the mark ends with its refusal. */
    @Test
    void aCancelOfAPaidPaymentHoldsRefundsWhileOnItsWay() {
        when(ledger.find(PRID)).thenReturn(Optional.of(paid));
        when(ledger.lock(PRID)).thenReturn(Optional.of(paid));
        Refund accepted = refund(RefundState.ACCEPTED);
        when(refunds.refundInFull(eq(paid), anyString(), anyString(), anyString())).thenReturn(Optional.of(accepted));

        cancels.cancelOrRefund(paid, "ORDER_CANCELLED", "CANCELLATION");

        org.mockito.InOrder order = org.mockito.Mockito.inOrder(ledger, gateway, refunds);
        order.verify(ledger).claimCancelSend(eq(PRID), any());
        order.verify(gateway).call(eq("cancel"), eq(PRID), any(AlipayPayCancelRequest.class));
        order.verify(ledger).releaseCancelClaim(eq(PRID), any());
        order.verify(refunds).refundInFull(eq(paid), anyString(), anyString(), anyString());
    }

    /**
     * No answer to the cancel, and Antom does not list it yet: it may still carry it out, so its mark holds refunds
     * off until it runs out (released now, a refund beside a cancel Antom then made would give the money back twice).
     * The mark is kept to the microsecond, as the databases keep it, so that a release finds it.
     */
    @Test
    void aCancelWithoutAnAnswerKeepsItsMark() {
        when(gateway.call(eq("cancel"), eq(PRID), any(AlipayPayCancelRequest.class)))
                .thenReturn(new CallOutcome.Unknown<>("timed out", 3));
        when(ledger.find(PRID)).thenReturn(Optional.of(paid));
        when(inquiries.inquire(paid)).thenReturn(new PaymentInquiries.Inquiry.Answered(Optional.empty(), false));

        assertThat(cancels.cancelOrRefund(paid, "ORDER_CANCELLED", "CANCELLATION")).isFalse();

        org.mockito.ArgumentCaptor<java.time.OffsetDateTime> until =
                org.mockito.ArgumentCaptor.forClass(java.time.OffsetDateTime.class);
        verify(ledger).claimCancelSend(eq(PRID), until.capture());
        assertThat(until.getValue().getNano() % 1000).isZero();
        verify(ledger, never()).releaseCancelClaim(anyString(), any());
        verify(refunds, never()).refundInFull(any(), anyString(), anyString(), anyString());
        verify(ledger).note(PRID, "CANCEL_NOT_DONE", "timed out", "CANCEL_NOT_DONE: timed out");
    }

    /**
     * An automatic card's capture not yet notified (the ledger has it SUCCEEDED): its order's cancel gets no answer,
     * and Antom lists the capture. A cancel arriving now cancels nothing after a capture: refunded, not flagged.
     */
    @Test
    void aCancelWithoutAnAnswerOfAPaymentAntomListsCapturedIsRefunded() {
        when(gateway.call(eq("cancel"), eq(PRID), any(AlipayPayCancelRequest.class)))
                .thenReturn(new CallOutcome.Unknown<>("timed out", 3));
        PaymentAttempt automatic = paid.toBuilder().paymentMethodType("CARD").captureMode("AUTOMATIC").build();
        PaymentAttempt captured = automatic.toBuilder().state(PaymentState.CAPTURED).build();
        when(ledger.find(PRID)).thenReturn(Optional.of(automatic), Optional.of(captured));
        when(inquiries.inquire(automatic)).thenReturn(new PaymentInquiries.Inquiry.Answered(
                Optional.of(PaymentState.CAPTURED), false));
        Refund accepted = refund(RefundState.ACCEPTED);
        when(refunds.refundInFull(eq(captured), eq("CANCELLATION"), anyString(), anyString()))
                .thenReturn(Optional.of(accepted));

        assertThat(cancels.cancelOrRefund(automatic, "ORDER_CANCELLED", "CANCELLATION")).isTrue();

        verify(ledger, never()).note(eq(PRID), eq("CANCEL_NOT_DONE"), anyString(), anyString());
    }

    /** A plain cancel (an expiry's, the guard's) Antom refuses gives nothing back: its mark ends at once. */
    @Test
    void aPlainCancelAntomRefusesEndsItsMark() {
        assertThat(cancels.cancel(paid, "EXPIRED_CANCELLED", PaymentState.EXPIRED)).isFalse();

        verify(ledger).claimCancelSend(eq(PRID), any());
        verify(ledger).releaseCancelClaim(eq(PRID), any());
    }

    /** The console's Cancel and the order's cancellation report a refund Antom refused as not done. */
    @Test
    void aRefundAntomRefusedIsNotDone() {
        when(ledger.find(PRID)).thenReturn(Optional.of(paid));
        Refund refused = refund(RefundState.FAILED);
        when(refunds.refundInFull(eq(paid), eq("CANCELLATION"), anyString(), anyString()))
                .thenReturn(Optional.of(refused));

        assertThat(cancels.cancelOrRefund(paid, "ORDER_CANCELLED", "CANCELLATION")).isFalse();
    }

    private static Refund refund(RefundState state) {
        Refund refund = mock(Refund.class);
        when(refund.state()).thenReturn(state);
        return refund;
    }

    private static CallOutcome<AlipayPayCancelResponse> refused(String code) {
        Result result = new Result();
        result.setResultStatus(ResultStatusType.F);
        result.setResultCode(code);
        result.setResultMessage("refused");
        AlipayPayCancelResponse response = new AlipayPayCancelResponse();
        response.setResult(result);
        return new CallOutcome.Answered<>(response, 1);
    }
}
