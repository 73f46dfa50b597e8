package com.checkoutroutes.notifications;

import com.alipay.global.api.model.ResultStatusType;
import com.alipay.global.api.request.ams.pay.AlipayPayCancelRequest;
import com.alipay.global.api.response.ams.pay.AlipayPayCancelResponse;
import com.checkoutroutes.gateway.AntomGateway;
import com.checkoutroutes.gateway.CallOutcome;
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentEvents;
import com.checkoutroutes.ledger.PaymentLedger;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.ledger.Transition;
import org.springframework.stereotype.Component;

/**
 * Cancels a second successful payment of an order at Antom (which refunds the buyer), as the docs advise for
 * "payment failed retry" flows. Runs from the outbox, so the follow-up survives a crash; a cancel that fails
 * or stays unknown is recorded and flagged for an operator and the janitor.
 */
@Component
public class DuplicatePaymentCanceller {

    private final PaymentLedger ledger;
    private final AntomGateway gateway;
    private final PaymentEvents events;

    public DuplicatePaymentCanceller(PaymentLedger ledger, AntomGateway gateway, PaymentEvents events) {
        this.ledger = ledger;
        this.gateway = gateway;
        this.events = events;
    }

    public void cancel(String paymentRequestId) {
        PaymentAttempt attempt = ledger.find(paymentRequestId).orElse(null);
        if (attempt == null || !attempt.state().canMoveTo(PaymentState.CANCELLED) || !attempt.state().isPaid()) {
            return;
        }
        AlipayPayCancelRequest request = new AlipayPayCancelRequest();
        request.setPaymentRequestId(paymentRequestId);
        request.setPaymentId(attempt.paymentId());
        CallOutcome<AlipayPayCancelResponse> outcome = gateway.call("cancel", paymentRequestId, request);
        if (outcome instanceof CallOutcome.Answered<AlipayPayCancelResponse> answered
                && answered.status() == ResultStatusType.S) {
            String cause = "DUPLICATE_PAYMENT_CANCELLED";
            ledger.apply(paymentRequestId, Transition.to(PaymentState.CANCELLED, cause)
                    .result(answered.code(), answered.message())
                    .detail("cancelled at Antom " + answered.response().getCancelTime() + ": another attempt paid")
                    .emit(events.stateChanged(attempt, attempt.state(), PaymentState.CANCELLED, cause,
                            attempt.paymentId(), answered.code(), answered.message())));
        } else if (outcome instanceof CallOutcome.Answered<AlipayPayCancelResponse> refused) {
            ledger.note(paymentRequestId, "DUPLICATE_CANCEL_FAILED", refused.code() + " " + refused.message(),
                    "DUPLICATE_PAYMENT_NOT_CANCELLED: " + refused.code());
        } else {
            ledger.note(paymentRequestId, "DUPLICATE_CANCEL_UNKNOWN", ((CallOutcome.Unknown<?>) outcome).reason(),
                    "DUPLICATE_PAYMENT_CANCEL_UNKNOWN");
        }
    }
}
