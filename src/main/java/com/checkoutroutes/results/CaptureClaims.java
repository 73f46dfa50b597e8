package com.checkoutroutes.results;

import com.checkoutroutes.gateway.AntomSettings;
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentEvents;
import com.checkoutroutes.ledger.PaymentLedger;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.ledger.Transition;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Keeps a requested capture from being sent and given up at once: a cancellation that finds no capture at Antom gives
 * it up and cancels the authorisation, and were the capture still on its way (sent again by the janitor or a repeated
 * shipment, or its first send), Antom would take a cancelled order's money and refuse the cancel. Each send marks the
 * capture in the ledger for twice as long as a call's every try could take; a cancellation gives it up only when no
 * such mark holds and the capture was requested at least that long ago, checked and written under the row's lock.
 */
@Component
public class CaptureClaims {

    /** The cause of a capture given up for an order's cancellation. */
    public static final String CAPTURE_OVERTAKEN = "CAPTURE_OVERTAKEN";

    private final PaymentLedger ledger;
    private final PaymentEvents events;
    private final Clock clock;
    private final Duration hold;

    CaptureClaims(PaymentLedger ledger, PaymentEvents events, AntomSettings antom, Clock clock) {
        this.ledger = ledger;
        this.events = events;
        this.clock = clock;
        this.hold = hold(antom);
    }

    /**
     * How long a send of a capture or a cancel may still be on its way: twice a call's every try, as what the tries'
     * timeouts leave out (the name lookup, a handshake's several reads, a pause, the ledger's note before the send)
     * must not let the other in while a try is still on its way.
     */
    static Duration hold(AntomSettings antom) {
        return longestCall(antom).multipliedBy(2);
    }

    /** Marks the capture as being sent now; false when the attempt moved since it was read (nothing to send). */
    public boolean toSend(PaymentAttempt asRead) {
        return ledger.claimCaptureSend(asRead, OffsetDateTime.now(clock).plus(hold));
    }

    /**
     * Gives the capture up with {@code change}, unless a send may still be on its way (sent within the hold, or
     * requested within it) or the attempt moved; empty then.
     */
    private Optional<PaymentAttempt> giveUp(PaymentAttempt asRead, Transition change) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return ledger.applyIfCaptureUnclaimed(asRead, now.minus(hold), now, change);
    }

    /**
     * Gives up, for the order's cancellation ({@code cause}), a capture Antom does not list: CAPTURE_REQUESTED ->
     * CAPTURE_FAILED, cause {@link #CAPTURE_OVERTAKEN}, so that nothing sends it again whether or not Antom then
     * cancels the authorisation. Empty while a send of it may still be on its way, or when the attempt moved.
     */
    public Optional<PaymentAttempt> giveUpFor(PaymentAttempt attempt, String cause) {
        String detail = "capture " + attempt.captureRequestId() + " never reached Antom; " + cause + ": not sent again";
        return giveUp(attempt, Transition.to(PaymentState.CAPTURE_FAILED, CAPTURE_OVERTAKEN).detail(detail)
                .captureGivenUp().emit(events.stateChanged(attempt, attempt.state(), PaymentState.CAPTURE_FAILED,
                        CAPTURE_OVERTAKEN, attempt.paymentId(), null, null)));
    }

    /** A call's every try cut off at its deadline, with the backoffs between them. */
    static Duration longestCall(AntomSettings antom) {
        AntomSettings.Retry retry = antom.retry();
        Duration oneTry = antom.attemptDeadline();
        // the first backoff is the initial one, uncapped
        Duration backoff = retry.initialBackoff().compareTo(retry.maxBackoff()) > 0 ? retry.initialBackoff()
                : retry.maxBackoff();
        return oneTry.multipliedBy(retry.maxAttempts()).plus(backoff.multipliedBy(retry.maxAttempts() - 1L));
    }
}
