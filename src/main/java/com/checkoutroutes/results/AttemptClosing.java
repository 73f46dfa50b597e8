package com.checkoutroutes.results;

import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentEvents;
import com.checkoutroutes.ledger.PaymentLedger;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.ledger.Transition;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Closes an attempt in a final state Antom's answer called for (cancelled at Antom, cancelled or unknown by
 * inquiry, expired), confirmed, with its result event: shared by {@link AntomCancels} and {@link PaymentInquiries}.
 */
@Component
class AttemptClosing {

    private final PaymentLedger ledger;
    private final PaymentEvents events;
    private final ResultApplier results;
    private final TransactionTemplate tx;

    AttemptClosing(PaymentLedger ledger, PaymentEvents events, ResultApplier results, TransactionTemplate tx) {
        this.ledger = ledger;
        this.events = events;
        this.results = results;
        this.tx = tx;
    }

    /**
     * The change, and in the same transaction what waited for the attempt to close (a capture notified while it was
     * open, ResultApplier.rematchAfter): a capture that took the money of an attempt closed now is flagged, not
     * left unseen in the inbox.
     */
    private PaymentLedger.TransitionResult apply(String prid, Function<PaymentAttempt, Transition> changeOf) {
        return tx.execute(status -> {
            AtomicReference<PaymentAttempt> before = new AtomicReference<>();
            PaymentLedger.TransitionResult result = ledger.apply(prid, current -> {
                before.set(current);
                return changeOf.apply(current);
            });
            if (result.changed()) {
                results.rematchAfter(before.get(), result.attempt());
            }
            return result;
        });
    }

    /** {@code code}, {@code message} and {@code detail} may be null (nothing Antom said to record). */
    void close(String prid, PaymentState target, String cause, String code, String message, String detail) {
        close(prid, null, target, cause, code, message, detail, null);
    }

    /**
     * Antom cancelled the attempt: it is closed in {@code target}, or, where it became paid while the cancel was on
     * its way (the buyer paid as the janitor expired it), CANCELLED and flagged: Antom's cancel gives the buyer's
     * money back, so nothing may ship on it. One that moved where a cancel cannot follow (captured) is flagged.
     */
    void cancelledAtAntom(String prid, PaymentState target, String cause, String code, String message,
            String detail) {
        PaymentLedger.TransitionResult result = apply(prid, current -> {
            PaymentState from = current.state();
            PaymentState to = from.canMoveTo(target) ? target
                    : from.isPaid() && from.canMoveTo(PaymentState.CANCELLED) ? PaymentState.CANCELLED : from;
            if (to == from) {
                return Transition.to(from, cause); // closed already, or beyond a cancel: flagged below
            }
            Transition change = Transition.to(to, cause).result(code, message).confirmed()
                    .emit(events.stateChanged(current, from, to, cause, current.paymentId(), code, message));
            if (to != target) {
                change.flag("CANCELLED_AFTER_PAYMENT: Antom cancelled it after it became " + from
                        + "; the buyer's money goes back");
            }
            return detail != null ? change.detail(detail) : change;
        });
        PaymentState now = result.attempt().state();
        if (!result.changed() && now != target && now.isPaid()) {
            String conflict = "Antom cancelled it (" + code + ") but it is " + now;
            ledger.note(prid, "CANCEL_ANSWER_CONFLICT", conflict, "CANCEL_ANSWER_CONFLICT: " + conflict);
        }
    }

    /**
     * {@link #close} only if the attempt, under its lock, is still in {@code expected} (null: whatever its state):
     * a decision made on an older read is not applied to an attempt that moved since; flagged for an operator with
     * {@code flagReason} unless that is null. Returns whether it closed.
     */
    boolean close(String prid, PaymentState expected, PaymentState target, String cause, String code, String message,
            String detail, String flagReason) {
        return apply(prid, current -> {
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
