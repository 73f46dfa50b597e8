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
        close(prid, target, cause, code, message, detail, null);
    }

    /** {@link #close} that also flags the attempt for an operator with {@code flagReason}, unless that is null. */
    void close(String prid, PaymentState target, String cause, String code, String message, String detail,
            String flagReason) {
        ledger.apply(prid, current -> {
            Transition change = Transition.to(target, cause).result(code, message).confirmed()
                    .emit(events.stateChanged(current, current.state(), target, cause, current.paymentId(), code,
                            message));
            if (flagReason != null) {
                change.flag(flagReason);
            }
            return detail != null ? change.detail(detail) : change;
        });
    }
}
