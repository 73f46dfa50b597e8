package com.checkoutroutes.cardcapture;

import com.checkoutroutes.deadletter.HeldOrderEventException;
import com.checkoutroutes.ledger.OrderCancellations;
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentEvents;
import com.checkoutroutes.ledger.PaymentLedger;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.ledger.Transition;
import com.checkoutroutes.results.AntomCancels;
import com.checkoutroutes.results.AntomCaptures;
import com.checkoutroutes.results.CaptureOnItsWayException;
import com.checkoutroutes.results.CaptureClaims;
import com.checkoutroutes.results.PaymentInquiries;
import com.checkoutroutes.results.PaymentInquiries.CaptureCheck;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Card authorisations driven by the order system: capture on shipment (one full-amount capture, its
 * captureRequestId stored before Antom is called) and cancel on cancellation or risk (a payment past cancelling is
 * refunded instead). Events that do not fit the payment's state are refused before anything reaches Antom.
 */
@Component
public class CardAuthorisations {

    private static final Logger LOG = LoggerFactory.getLogger(CardAuthorisations.class);

    private final PaymentLedger ledger;
    private final AntomCaptures captures;
    private final AntomCancels cancels;
    private final PaymentEvents events;
    private final PaymentInquiries inquiries;
    private final CaptureClaims claims;
    private final Clock clock;
    private final OrderCancellations cancellations;

    public CardAuthorisations(PaymentLedger ledger, AntomCaptures captures, AntomCancels cancels,
            PaymentEvents events, PaymentInquiries inquiries, CaptureClaims claims, Clock clock,
            OrderCancellations cancellations) {
        this.cancellations = cancellations;
        this.claims = claims;
        this.clock = clock;
        this.inquiries = inquiries;
        this.ledger = ledger;
        this.captures = captures;
        this.cancels = cancels;
        this.events = events;
    }

    /** Captures the order's authorised card payment; a repeated event captures once. */
    public PaymentState capture(OrderEvent event) {
        List<PaymentAttempt> attempts = attemptsOf(event.orderId());
        // the order's own payment: a second one (paid later) is being given back, never captured
        PaymentAttempt paid = PaymentAttempt.ordersOwnPayment(attempts).orElse(null);
        if (paid == null && PaymentAttempt.resultAwaitedAmong(attempts.stream()
                .filter(a -> a.isCard() && PaymentState.MANUAL_CAPTURE.equals(a.captureMode())).toList())) {
            // a card authorised at Antom, maybe, and not known here yet (an answer lost, 3D Secure under way): held,
            // and read again once the result is known, not refused for good (nothing else would capture it)
            throw new HeldOrderEventException(PaymentAttempt.PAYMENT_NOT_KNOWN_YET, "order " + event.orderId()
                    + " has no authorised payment yet, and one has no result yet: held, and read again once it has");
        }
        if (paid == null) {
            boolean cancelled = attempts.stream().anyMatch(a -> a.state() == PaymentState.CANCELLED);
            throw new RefusedOrderEventException(cancelled ? "CAPTURE_AFTER_CANCEL" : "NOT_PAID",
                    "order " + event.orderId() + " has no authorised payment to capture");
        }
        if (!paid.isCard()) {
            throw new RefusedOrderEventException("NOT_A_CARD_PAYMENT",
                    "only card authorisations are captured; " + paid.paymentMethodType() + " is paid in full");
        }
        if (!"MANUAL".equals(paid.captureMode())) {
            throw new RefusedOrderEventException("AUTOMATIC_CAPTURE",
                    "the payment uses automatic capture: Antom captures it itself");
        }
        if (paid.state() != PaymentState.CAPTURED) {
            // a capture requested before the cancellation is not sent again either: the cancellation gives it up and
            // cancels the authorisation (the janitor's)
            refuseIfCancelled(event.orderId());
        }
        if (paid.state() != PaymentState.CAPTURED && paid.state() != PaymentState.CAPTURE_REQUESTED
                && paid.paidAt() != null && OffsetDateTime.now(clock).isAfter(paid.authorisationReleasedAt())) {
            // paidAt is when this service learnt it, never before Antom's own time: Antom has surely released it, and
            // would only refuse the capture. The authorisation guard closes it, or records a capture Antom lists
            throw new RefusedOrderEventException("AUTHORISATION_RELEASED", "the authorisation of " + paid.paidAt()
                    + " was not captured within Antom's 7 days as the ledger knows it: Antom released it (the "
                    + "authorisation guard asks Antom, and records a capture it lists)");
        }
        return switch (paid.state()) {
            case CAPTURED -> PaymentState.CAPTURED;
            case AUTHORISED, CAPTURE_FAILED -> requestCapture(paid, event);
            case CAPTURE_REQUESTED -> claims.toSend(paid) ? captures.send(paid) : ledger.stateNow(paid);
            default -> throw new RefusedOrderEventException("NOT_CAPTURABLE", "payment is " + paid.state());
        };
    }

    /**
     * Stops every payment of the order from taking the buyer's money, or gives it back: attempts still open or
     * authorised are cancelled; a payment that cannot be cancelled any more (captured, past its method's cancel
     * window, a method without cancel) is refunded in full, once ({@link AntomCancels#CANCELLATION_REFUND}). Refused while a
     * capture is in progress whose result Antom cannot give yet. Returns how many attempts were cancelled or refunded.
     */
    public int cancel(OrderEvent event) {
        // kept with the attempts this event will carry it out on, so that an attempt stored from now on is refused, and
        // one stored at this moment (which this read missed, and whose insert missed the cancellation) is the janitor's
        List<PaymentAttempt> seen = ledger.attemptsOf(event.orderId());
        cancellations.keep(event.orderId(), event.type(), event.eventId(),
                seen.stream().mapToInt(PaymentAttempt::attemptNo).max().orElse(0));
        if (seen.isEmpty()) {
            LOG.info("order {} {} before any payment of it: none will be started", event.orderId(), event.type());
            return 0;
        }
        int cancelled;
        try {
            cancelled = cancelOrder(seen, event.type()).cancelled();
        } catch (RuntimeException failed) {
            // refused (or failed) before or while carrying it out: every attempt it saw is the janitor's, whether the
            // event is dead-lettered or read again
            try {
                reopenFrom(event.orderId(), event.type(),
                        seen.stream().mapToInt(PaymentAttempt::attemptNo).min().orElseThrow());
            } catch (RuntimeException notReopened) {
                failed.addSuppressed(notReopened); // the database gone: the event is read again
            }
            throw failed;
        }
        leaveUnsettledToTheJanitor(event.orderId(), event.type());
        return cancelled;
    }

    /**
     * An attempt the cancellation could not settle, refused or not: a capture in progress (captured, it must be given
     * back), or a pay whose answer is still to come (a cancel that raced it found no payment at Antom, which the pay
     * may then make). The janitor carries the cancellation out on it once Antom has answered, by the same rules.
     */
    private void leaveUnsettledToTheJanitor(String orderId, String cause) {
        ledger.attemptsOf(orderId).stream()
                .filter(a -> a.state().awaitsAntom())
                .mapToInt(PaymentAttempt::attemptNo).min()
                .ifPresent(attemptNo -> reopenFrom(orderId, cause, attemptNo));
    }

    private void reopenFrom(String orderId, String cause, int attemptNo) {
        cancellations.reopenFrom(orderId, attemptNo);
        LOG.info("order {} {}: its attempts from {} on are the janitor's once Antom has answered", orderId, cause,
                attemptNo);
    }

    /** How many of an order's payments could be cancelled or refunded, and how many were. */
    public record Cancelled(int cancellable, int cancelled) {
    }

    /**
     * The cancel rules for an order, whoever asks (an order event, an operator): refused with a reason while a capture
     * is in progress (and Antom, asked now, cannot say how it ended); else each payment still open or authorised is
     * cancelled at Antom, and each one that can no longer be cancelled is refunded in full, once.
     */
    public Cancelled cancelOrder(String orderId, String cause) {
        return cancelOrder(attemptsOf(orderId), cause);
    }

    private Cancelled cancelOrder(List<PaymentAttempt> attempts, String cause) {
        // a capture in progress is asked about first: whether it took the money decides between cancel and refund
        List<CaptureCheck> checked = attempts.stream().map(inquiries::settleCapture).toList();
        if (checked.stream().anyMatch(CaptureCheck::inProgress)) {
            throw new RefusedOrderEventException("CAPTURE_IN_PROGRESS",
                    "a capture is in progress; cancel after its result is known");
        }
        int cancellable = 0;
        int done = 0;
        for (PaymentAttempt attempt : checked.stream().map(check -> overtaken(check, cause)).toList()) {
            Optional<Boolean> cancelled = cancelForOrder(attempt, cause);
            cancellable += cancelled.isPresent() ? 1 : 0;
            done += cancelled.orElse(false) ? 1 : 0;
        }
        return new Cancelled(cancellable, done);
    }

    /**
     * A capture that never reached Antom is given up before the cancel goes out (CAPTURE_FAILED, cause
     * {@code CAPTURE_OVERTAKEN}), so that nothing sends it again (the janitor resends only CAPTURE_REQUESTED ones)
     * whether or not Antom then cancels the authorisation; not while a send of it may still be on its way to Antom
     * (requested or sent again moments ago: {@link CaptureClaims}). One that moved meanwhile is refused as in
     * progress too.
     */
    private PaymentAttempt overtaken(CaptureCheck check, String cause) {
        PaymentAttempt attempt = check.attempt();
        if (!check.notAtAntom() || attempt.state() != PaymentState.CAPTURE_REQUESTED) {
            return attempt;
        }
        return claims.giveUpFor(attempt, cause).orElseThrow(() -> new RefusedOrderEventException("CAPTURE_IN_PROGRESS",
                "the capture was requested or sent again moments ago, or moved meanwhile; cancel after its result is "
                        + "known"));
    }

    private Optional<Boolean> cancelForOrder(PaymentAttempt attempt, String cause) {
        try {
            return cancels.cancelForOrder(attempt, cause);
        } catch (CaptureOnItsWayException capturing) {
            throw new RefusedOrderEventException("CAPTURE_IN_PROGRESS", capturing.getMessage());
        }
    }

    /**
     * Captures an authorised attempt on behalf of the guard job (no order event involved), only if nothing happened
     * to it since the guard read it (its page, minutes ago): still AUTHORISED at that version, not flagged, no cancel
     * ever asked for it (an order's cancellation Antom refused leaves it AUTHORISED, flagged CANCEL_NOT_DONE; one still
     * on its way has only asked) and its order not cancelled (the janitor cancels it):
     * {@link com.checkoutroutes.ledger.PaymentLedger#untouchedByCancellation}. Checked under the row's lock; otherwise
     * nothing is sent: empty.
     */
    public Optional<PaymentState> captureForGuard(PaymentAttempt authorised) {
        return requestCapture(authorised, new OrderEvent(null, "AUTHORISATION_GUARD", authorised.orderId(), null),
                current -> current.version() == authorised.version() && current.state() == PaymentState.AUTHORISED
                        && !current.flaggedForOperator() && ledger.untouchedByCancellation(current));
    }

    /**
     * An order event's capture: refused for an order the order system cancelled (its cancel Antom refused or never
     * answered left the authorisation open: captured, the buyer would pay for a cancelled order), and while a cancel
     * of the authorisation may still be on its way to Antom (the guard's, an expiry's), as that cancel would void it
     * once the goods have left; checked under the row's lock.
     */
    private PaymentState requestCapture(PaymentAttempt paid, OrderEvent event) {
        String prid = paid.paymentRequestId();
        return requestCapture(paid, event, current -> {
            refuseIfCancelled(current.orderId()); // again under the lock: a cancellation kept since
            if (current.flaggedAgainstCapture()) {
                // as the guard: a cancel Antom lists, another amount notified, a dispute... an operator decides
                throw new RefusedOrderEventException("FLAGGED", "the payment is flagged (" + current.flagReason()
                        + "): capture once an operator has cleared it (re-drive this event)");
            }
            if (ledger.cancelOnItsWay(prid, OffsetDateTime.now(clock))) {
                throw new RefusedOrderEventException("CANCEL_IN_PROGRESS", "a cancel of the authorisation may "
                        + "still be on its way to Antom, which would void a capture: capture after its result is "
                        + "known");
            }
            return true;
        }).orElseThrow();
    }

    /**
     * A shipment of an order the order system cancelled is never captured: a cancel Antom refused or never answered
     * leaves the authorisation open, and captured, the buyer would pay for a cancelled order.
     */
    private void refuseIfCancelled(String orderId) {
        if (cancellations.cancelled(orderId)) {
            throw new RefusedOrderEventException("CAPTURE_AFTER_CANCEL", "order " + orderId
                    + " was cancelled: its authorisation is cancelled, never captured");
        }
    }

    /** The state after the capture's send; empty when {@code stillToCapture} said no (nothing written or sent). */
    private Optional<PaymentState> requestCapture(PaymentAttempt paid, OrderEvent event,
            Predicate<PaymentAttempt> stillToCapture) {
        String captureRequestId = "CAP" + UUID.randomUUID().toString().replace("-", "");
        // a state change like any other: its event tells the order system, whose versions then have no gap
        boolean[] left = {false};
        PaymentAttempt requested = ledger.apply(paid.paymentRequestId(), current -> {
            if (!stillToCapture.test(current)) {
                left[0] = true;
                return Transition.to(current.state(), event.type()); // no change, nothing written
            }
            return Transition.to(PaymentState.CAPTURE_REQUESTED, event.type())
                    .captureRequestId(captureRequestId)
                    .detail("capture " + captureRequestId)
                    .emit(events.stateChanged(current, current.state(), PaymentState.CAPTURE_REQUESTED,
                            event.type(), current.paymentId(), null, null));
        }).attempt();
        return left[0] ? Optional.empty() : Optional.of(captures.send(requested));
    }

    private List<PaymentAttempt> attemptsOf(String orderId) {
        List<PaymentAttempt> attempts = ledger.attemptsOf(orderId);
        if (attempts.isEmpty()) {
            throw new RefusedOrderEventException("UNKNOWN_ORDER", "no payment for order " + orderId);
        }
        return attempts;
    }
}
