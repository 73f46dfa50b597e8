package com.checkoutroutes.results;

import com.checkoutroutes.ledger.PaymentEvents;
import com.checkoutroutes.ledger.PaymentLedger;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.ledger.Transition;
import org.springframework.stereotype.Component;

/**
 * Closes an attempt in a final state Antom's answer called for (cancelled at Antom, cancelled or unknown by
 * inquiry, expired), confirmed, with its result event: shared by {@link AntomCancels} and {@link PaymentInquiries}.
 */
@Component
class AttemptClosing {

    private final PaymentLedger ledger;
    private final PaymentEvents events;

    AttemptClosing(PaymentLedger ledger, PaymentEvents events) {
        this.ledger = ledger;
        this.events = events;
    }

    /** {@code code}, {@code message} and {@code detail} may be null (nothing Antom said to record). */
    void close(String prid, PaymentState target, String cause, String code, String message, String detail) {
        close(prid, null, target, cause, code, message, detail, null);
    }

    /**
     * {@link #close} only if the attempt, under its lock, is still in {@code expected} (null: whatever its state):
     * a decision made on an older read is not applied to an attempt that moved since; flagged for an operator with
     * {@code flagReason} unless that is null. Returns whether it closed.
     */
    boolean close(String prid, PaymentState expected, PaymentState target, String cause, String code, String message,
            String detail, String flagReason) {
        return ledger.apply(prid, current -> {
            if (expected != null && current.state() != expected) {
                return Transition.to(current.state(), cause); // moved on: no change
            }
            Transition change = Transition.to(target, cause).result(code, message).confirmed()
                    .emit(events.stateChanged(current, current.state(), target, cause, current.paymentId(), code,
                            message));
            if (flagReason != null) {
                change.flag(flagReason);
            }
            return detail != null ? change.detail(detail) : change;
        }).changed();
    }
}
