package com.checkoutroutes.orderintake;

import com.alipay.global.api.model.ResultStatusType;
import com.alipay.global.api.response.AlipayResponse;
import com.alipay.global.api.response.ams.pay.AlipayPayResponse;
import com.alipay.global.api.response.ams.pay.AlipayPaymentSessionResponse;
import com.checkoutroutes.continuation.ChannelMessage.Action;
import com.checkoutroutes.continuation.ChannelMessages;
import com.checkoutroutes.gateway.CallOutcome;
import com.checkoutroutes.ledger.GroupCommit;
import com.checkoutroutes.ledger.Outbox;
import com.checkoutroutes.ledger.OutboxMessage;
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentEvents;
import com.checkoutroutes.ledger.PaymentLedger;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.ledger.Transition;
import com.checkoutroutes.platform.AntomTime;
import com.checkoutroutes.results.ResultApplier;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Records what Antom answered to {@code pay} / {@code createPaymentSession}: the attempt's new state, the message
 * for the buyer's channel and the result event, in one transaction (shared with other orders' outcomes through
 * {@link GroupCommit}).
 */
@Component
public class PaymentOutcomes {

    private static final String LATE_ANSWER = "LATE_ANSWER";

    private final PaymentLedger ledger;
    private final ChannelMessages channel;
    private final PaymentEvents events;
    private final Outbox outbox;
    private final TransactionTemplate tx;
    private final GroupCommit groupCommit;
    private final ResultApplier results;
    private final OrderIntakeSettings.Payments expiries;

    public PaymentOutcomes(PaymentLedger ledger, ChannelMessages channel, PaymentEvents events,
            Outbox outbox, TransactionTemplate tx, GroupCommit groupCommit,
            ResultApplier results, OrderIntakeSettings settings) {
        this.results = results;
        this.expiries = settings.payments();
        this.groupCommit = groupCommit;
        this.ledger = ledger;
        this.channel = channel;
        this.events = events;
        this.outbox = outbox;
        this.tx = tx;
    }

    /**
     * The attempt's expiry once Antom created its session: the session's. For a method whose window is longer than
     * its session's, one listed in {@code checkout.payments.method-expiry} (a Konbini slip issued in the session stays
     * payable for 7 days), the attempt's own expiry when later: the janitor must not cut that window short. A card's
     * or a wallet's session that the buyer abandons can no longer be paid once it expired.
     */
    private OffsetDateTime expiryAfterSession(PaymentAttempt attempt, AlipayPaymentSessionResponse session) {
        OffsetDateTime sessionExpiry = AntomTime.parse(session.getPaymentSessionExpiryTime());
        boolean longerWindow = attempt.paymentMethodType() != null
                && expiries.methodExpiry().containsKey(attempt.paymentMethodType());
        if (sessionExpiry == null || (longerWindow && attempt.expiresAt() != null
                && attempt.expiresAt().isAfter(sessionExpiry))) {
            return attempt.expiresAt();
        }
        return sessionExpiry;
    }

    public PaymentAttempt record(PaymentAttempt attempt, CallOutcome<? extends AlipayResponse> outcome) {
        if (outcome instanceof CallOutcome.Unknown<?> unknown) {
            return apply(attempt, PaymentState.UNKNOWN, "ANTOM_NO_ANSWER", null, null, unknown.reason(),
                    channel.outcome(attempt, Action.RESULT_UNKNOWN, null, "RESULT_UNKNOWN",
                            "the payment result is being confirmed"), null);
        }
        CallOutcome.Answered<?> answer = (CallOutcome.Answered<?>) outcome;
        AlipayResponse response = answer.response();
        if (answer.status() == ResultStatusType.F) {
            return apply(attempt, PaymentState.FAILED, "ANTOM_FAILED", paymentIdOf(response), answer.code(),
                    answer.message(), channel.outcome(attempt, Action.FAILED, paymentIdOf(response), answer.code(),
                            answer.message()), null);
        }
        if (response instanceof AlipayPaymentSessionResponse session) {
            return apply(attempt, PaymentState.PENDING, "SESSION_CREATED", null, answer.code(), answer.message(),
                    channel.sdkSession(attempt, session), expiryAfterSession(attempt, session));
        }
        AlipayPayResponse pay = (AlipayPayResponse) response;
        if (answer.status() == ResultStatusType.S) {
            PaymentState paid = PaymentState.paid(attempt.captureMode());
            return apply(attempt, paid, "ANTOM_PAID", pay.getPaymentId(), answer.code(), answer.message(),
                    channel.outcome(attempt, Action.PAID, pay.getPaymentId(), answer.code(), answer.message()), null);
        }
        // U + PAYMENT_IN_PROCESS: the buyer continues at Antom
        return apply(attempt, PaymentState.PENDING, "PAYMENT_IN_PROCESS", pay.getPaymentId(), answer.code(),
                answer.message(), channel.redirect(attempt, pay), null);
    }

    private PaymentAttempt apply(PaymentAttempt attempt, PaymentState to, String cause, String paymentId, String code,
            String message, OutboxMessage channelMessage, OffsetDateTime expiry) {
        // committed with the outcomes (and outbox events) of other orders answered now
        return groupCommit.execute(() -> tx.execute(status -> {
            // usually nothing else touched the attempt since it was stored: write the answer without reading it again
            Optional<PaymentAttempt> written = Optional.empty();
            // a paid answer takes the locked way: its attempt's row first, then the order's other attempts (a second
            // payment?), the order every path to a paid state locks in (a notification's too), so that a card's
            // answer and its own notification wait for each other instead of deadlocking
            if (attempt.state() == PaymentState.REQUESTED && !to.isPaid()) {
                written = ledger.applyIfUnchanged(attempt, transition(attempt, to, cause, paymentId, code, message,
                        channelMessage, expiry));
            }
            PaymentAttempt current = attempt;
            if (written.isEmpty()) {
                current = ledger.lock(attempt.paymentRequestId()).orElseThrow();
                if (current.state() != PaymentState.REQUESTED) {
                    if (alreadyRecorded(current, to, cause)) {
                        return current;
                    }
                    if (!stillNews(current.state(), to)) {
                        return lateAnswer(current, to, cause, code, message, channelMessage);
                    }
                }
                Transition change = transition(current, to, cause, paymentId, code, message, channelMessage, expiry);
                results.becomingPaid(current, to, change);
                written = Optional.of(ledger.applyLocked(current, change).attempt());
            }
            results.rematchAfter(current, written.get());
            return written.get();
        }));
    }

    /**
     * This very answer is recorded already: a group commit whose COMMIT failed with an unknown outcome (the connection
     * lost at that moment) tries its batch again, or fails it and the order is sent again on its lane, and this one
     * had in fact been committed, as a transition or as a late answer. Its channel message and event left with it; a
     * late answer would tell the channel a second time.
     */
    private boolean alreadyRecorded(PaymentAttempt current, PaymentState answered, String cause) {
        return ledger.history(current.paymentRequestId()).stream()
                .anyMatch(change -> (current.state() == answered && change.to() == answered
                        && cause.equals(change.cause()))
                        || (LATE_ANSWER.equals(change.cause()) && change.detail().startsWith(cause + " ")));
    }

    /**
     * Antom's definite answer (paid, or failed) still moves an attempt that a notification only made PENDING, or that
     * was left UNKNOWN meanwhile: a PAYMENT_PENDING notification can overtake a card's direct answer, and the attempt
     * would otherwise wait for the final notification or the janitor's inquiry while its channel hears it is paid.
     */
    private static boolean stillNews(PaymentState current, PaymentState answered) {
        return (current == PaymentState.PENDING || current == PaymentState.UNKNOWN)
                && (answered.isPaid() || answered == PaymentState.FAILED) && current.canMoveTo(answered);
    }

    /**
     * Antom's notification arrived before its synchronous answer was recorded (cards are notified at once): the
     * notification's state stands, and the channel still hears how its payment ended.
     */
    private PaymentAttempt lateAnswer(PaymentAttempt current, PaymentState answered, String cause, String code,
            String message, OutboxMessage planned) {
        ledger.note(current.paymentRequestId(), LATE_ANSWER, cause + " " + code + " (would be " + answered
                + ") after " + current.state(), null);
        OutboxMessage tell;
        if (current.state().isPaid()) {
            tell = channel.outcome(current, Action.PAID, current.paymentId(), current.resultCode(),
                    current.resultMessage());
        } else if (current.state().isFinal()) {
            tell = channel.outcome(current, Action.FAILED, current.paymentId(), current.resultCode(),
                    current.resultMessage());
        } else if (answered == PaymentState.UNKNOWN && current.continuationJson() != null) {
            // no answer, while the payment is still open and its channel was told already (the link the janitor's
            // resend got first, or the same RESULT_UNKNOWN): nothing new to tell
            return current;
        } else {
            tell = planned;
        }
        outbox.append(tell);
        return current;
    }

    private Transition transition(PaymentAttempt attempt, PaymentState to, String cause, String paymentId,
            String code, String message, OutboxMessage channelMessage,
            OffsetDateTime expiry) {
        return Transition.to(to, cause)
                .paymentId(paymentId)
                .result(code, message)
                .detail(code == null ? message : code + " " + message)
                .expiresAt(expiry)
                .continuation(channelMessage.payload())
                .emit(channelMessage)
                .emit(events.stateChanged(attempt, attempt.state(), to, cause, paymentId, code, message));
    }

    private static String paymentIdOf(AlipayResponse response) {
        return response instanceof AlipayPayResponse pay ? pay.getPaymentId() : null;
    }
}
