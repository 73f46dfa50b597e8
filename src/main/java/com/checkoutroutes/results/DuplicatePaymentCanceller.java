package com.checkoutroutes.results;

import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentLedger;
import com.checkoutroutes.ledger.PaymentState;
import org.springframework.stereotype.Component;

/**
 * Cancels a second successful payment of an order at Antom (which refunds the buyer), as the docs advise for
 * "payment failed retry" flows. Runs from the outbox, so the follow-up survives a crash; a cancel that fails
 * or stays unknown is recorded and flagged for an operator.
 */
@Component
public class DuplicatePaymentCanceller {

    private final PaymentLedger ledger;
    private final AntomCancels cancels;

    public DuplicatePaymentCanceller(PaymentLedger ledger, AntomCancels cancels) {
        this.ledger = ledger;
        this.cancels = cancels;
    }

    public void cancel(String paymentRequestId) {
        PaymentAttempt attempt = ledger.find(paymentRequestId).orElse(null);
        if (attempt != null && attempt.state().isPaid() && attempt.state().canMoveTo(PaymentState.CANCELLED)) {
            cancels.cancel(attempt, "DUPLICATE_PAYMENT_CANCELLED");
        }
    }
}
