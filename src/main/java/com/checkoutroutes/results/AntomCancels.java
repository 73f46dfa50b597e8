package com.checkoutroutes.results;

import com.alipay.global.api.model.ResultStatusType;
import com.alipay.global.api.request.ams.pay.AlipayPayCancelRequest;
import com.alipay.global.api.response.ams.pay.AlipayPayCancelResponse;
import com.checkoutroutes.gateway.AntomGateway;
import com.checkoutroutes.gateway.CallOutcome;
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentLedger;
import com.checkoutroutes.ledger.PaymentState;
import org.springframework.stereotype.Component;

/**
 * Cancels one attempt at Antom ({@code cancel}) and records the result: on an order's cancellation, a duplicate
 * payment, or the janitor closing an attempt past its expiry. A cancel that fails or stays unknown is noted and
 * flagged for an operator.
 */
@Component
public class AntomCancels {

    private final PaymentLedger ledger;
    private final AntomGateway gateway;
    private final AttemptClosing closing;

    AntomCancels(PaymentLedger ledger, AntomGateway gateway, AttemptClosing closing) {
        this.ledger = ledger;
        this.gateway = gateway;
        this.closing = closing;
    }

    /** Cancels the attempt; it ends CANCELLED. */
    public boolean cancel(PaymentAttempt attempt, String cause) {
        return cancel(attempt, cause, PaymentState.CANCELLED);
    }

    /** Cancels the attempt and closes it in {@code target} (EXPIRED when the janitor closes it late). */
    public boolean cancel(PaymentAttempt attempt, String cause, PaymentState target) {
        String prid = attempt.paymentRequestId();
        ledger.note(prid, "CANCEL_REQUESTED", cause, null);
        AlipayPayCancelRequest request = new AlipayPayCancelRequest();
        request.setPaymentRequestId(prid);
        request.setPaymentId(attempt.paymentId());
        CallOutcome<AlipayPayCancelResponse> outcome = gateway.call("cancel", prid, request);
        if (outcome instanceof CallOutcome.Answered<AlipayPayCancelResponse> answered
                && answered.status() == ResultStatusType.S) {
            closing.close(prid, target, cause, answered.code(), answered.message(),
                    "cancelled at Antom " + answered.response().getCancelTime());
            return true;
        }
        if (target == PaymentState.EXPIRED && outcome instanceof CallOutcome.Answered<?> closed
                && "ORDER_IS_CLOSED".equals(closed.code())) {
            // Antom had already closed it: nothing can be paid any more
            closing.close(prid, target, cause, closed.code(), closed.message(), null);
            return true;
        }
        String detail = outcome instanceof CallOutcome.Answered<?> refused ? refused.code() + " " + refused.message()
                : ((CallOutcome.Unknown<?>) outcome).reason();
        ledger.note(prid, "CANCEL_NOT_DONE", detail, "CANCEL_NOT_DONE: " + detail);
        return false;
    }
}
