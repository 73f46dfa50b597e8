package com.checkoutroutes.results;

import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentLedger;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Gives back a second successful payment of an order, as the docs advise for "payment failed retry" flows: cancelled
 * at Antom (which refunds the buyer), or, where Antom refuses the cancel (its window passed, a method without cancel)
 * or it is captured, refunded in full. Runs from the outbox, so the follow-up survives a crash; a cancel that stays
 * unknown, or a refund Antom refuses, is recorded and flagged for an operator.
 * <p>
 * It runs on the outbox publisher's thread, inside the publisher's transaction, which it suspends: its own writes
 * commit on their own, so none of them can roll back the publisher's batch (and have its messages sent again), and
 * none holds the attempt's row until the batch commits, where notifications for it would wait behind Antom's answer.
 */
@Component
public class DuplicatePaymentCanceller {

    /** The refund of a duplicate is made once per payment, however often this runs. */
    static final String REFUND_KEY = "DUPLICATE_PAYMENT";

    private final PaymentLedger ledger;
    private final AntomCancels cancels;
    private final TransactionTemplate outsideTheCallersTransaction;

    public DuplicatePaymentCanceller(PaymentLedger ledger, AntomCancels cancels, TransactionTemplate tx) {
        this.ledger = ledger;
        this.cancels = cancels;
        this.outsideTheCallersTransaction = new TransactionTemplate(tx.getTransactionManager());
        this.outsideTheCallersTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_NOT_SUPPORTED);
    }

    public void cancel(String paymentRequestId) {
        outsideTheCallersTransaction.executeWithoutResult(status -> {
            PaymentAttempt attempt = ledger.find(paymentRequestId).orElse(null);
            if (attempt != null && attempt.state().isPaid()) {
                cancels.cancelOrRefund(attempt, "DUPLICATE_PAYMENT_CANCELLED", REFUND_KEY);
            }
        });
    }
}
