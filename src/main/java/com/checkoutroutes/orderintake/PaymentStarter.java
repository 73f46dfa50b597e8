package com.checkoutroutes.orderintake;

import com.alipay.global.api.model.ResultStatusType;
import com.alipay.global.api.request.AlipayRequest;
import com.alipay.global.api.response.ams.pay.AlipayPayConsultResponse;
import com.checkoutroutes.continuation.ChannelMessages;
import com.checkoutroutes.deadletter.RejectedOrderException;
import com.checkoutroutes.gateway.AntomClient;
import com.checkoutroutes.gateway.AntomGateway;
import com.checkoutroutes.gateway.CallOutcome;
import com.checkoutroutes.ledger.AttemptMismatchException;
import com.checkoutroutes.ledger.GroupCommit;
import com.checkoutroutes.ledger.NewAttempt;
import com.checkoutroutes.ledger.NewAttemptRefusedException;
import com.checkoutroutes.ledger.OrderConsults;
import com.checkoutroutes.ledger.Outbox;
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentEvents;
import com.checkoutroutes.ledger.PaymentLedger;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.ledger.Transition;
import com.checkoutroutes.platform.AntomTime;
import com.checkoutroutes.results.AntomCancels;
import com.checkoutroutes.results.PaymentInquiries;
import com.checkoutroutes.results.PaymentResender;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Starts the payment of one validated order: the attempt (and its paymentRequestId) is stored before Antom is
 * called, so a redelivered order finds it and never pays twice; the outcome is recorded with the channel message.
 */
@Component
public class PaymentStarter implements PaymentResender {

    private static final Logger LOG = LoggerFactory.getLogger(PaymentStarter.class);

    private final PaymentLedger ledger;
    private final GroupCommit groupCommit;
    private final PaymentRequests requests;
    private final AntomGateway gateway;
    private final PaymentOutcomes outcomes;
    private final ChannelMessages channel;
    private final Outbox outbox;
    private final OrderConsults consults;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final OrderIntakeSettings.Payments expiries;
    private final PaymentEvents events;
    private final AntomCancels cancels;
    private final PaymentInquiries inquiries;

    public PaymentStarter(PaymentLedger ledger, GroupCommit groupCommit, PaymentRequests requests, AntomGateway gateway,
            PaymentOutcomes outcomes, ChannelMessages channel, Outbox outbox, OrderConsults consults,
            TransactionTemplate tx, Clock clock, OrderIntakeSettings settings, PaymentEvents events,
            AntomCancels cancels, PaymentInquiries inquiries) {
        this.events = events;
        this.cancels = cancels;
        this.inquiries = inquiries;
        this.ledger = ledger;
        this.groupCommit = groupCommit;
        this.requests = requests;
        this.gateway = gateway;
        this.outcomes = outcomes;
        this.channel = channel;
        this.outbox = outbox;
        this.consults = consults;
        this.tx = tx;
        this.clock = clock;
        this.expiries = settings.payments();
    }

    public void start(OrderMessage order) {
        if (order.paymentMethodType() == null) {
            offerMethods(order);
            return;
        }
        String freshId = UUID.randomUUID().toString().replace("-", "");
        String api = PaymentRequests.apiOf(order.integration());
        AlipayRequest<?> request = requests.paymentRequest(order, freshId);
        cancelReplaced(order);
        PaymentAttempt attempt = open(order, freshId, request, api);
        if (!attempt.paymentRequestId().equals(freshId)) {
            // a redelivery: resend exactly what was stored, never a rebuilt request
            request = requests.storedRequest(attempt);
        }
        if (attempt.state() != PaymentState.REQUESTED) {
            return; // answered before a crash or redelivery: the continuation is already in the outbox
        }
        if (!attempt.paymentRequestId().equals(freshId) && !ledger.maySendAgain(attempt)) {
            // read again after its order was cancelled (or a cancel asked for it), after its expiry, or once another
            // attempt of the order was made or paid: not sent again (a link to pay a cancelled, expired or paid
            // order); it waits for Antom's answer or its expiry (the janitor)
            LOG.info("payment {} of order {}: read again after its cancellation, expiry or replacement, not sent again",
                    attempt.paymentRequestId(), attempt.orderId());
            return;
        }
        CallOutcome<?> outcome = gateway.call(api, attempt.paymentRequestId(), request);
        outcomes.record(attempt, outcome);
    }

    /**
     * Sends an UNKNOWN attempt's stored request again, the same paymentRequestId and the same request (Antom's advice
     * for an unknown result), once Antom said it has no such payment (the first send never reached it: a refused
     * connection, a timeout before Antom read it) or has it processing while the attempt never got pay's answer (lost
     * on the way back), which alone carries the buyer's continuation: Antom answers a repeated request with its first
     * answer. The attempt goes back to REQUESTED (with its event) before the call, and the answer is recorded as the
     * first one would have been, so the buyer's channel now gets its continuation. Nothing is sent if the attempt
     * moved meanwhile. Returns its state after.
     *
     * <p>An attempt still REQUESTED long after it was stored (the process stopped between storing it, or the move back
     * to REQUESTED, and recording Antom's answer, after its order's offset was committed) is sent the same way, without
     * a state change or a check that it did not move; were its first call still under way, Antom answers both alike
     * and the answer is recorded once (a lost one after the other's link tells the channel nothing).
     */
    @Override
    public PaymentState resend(PaymentAttempt unknown, String why) {
        if (unknown.state() == PaymentState.REQUESTED) {
            ledger.note(unknown.paymentRequestId(), PAY_RESENT, why, null);
            return sendStored(unknown);
        }
        Optional<PaymentAttempt> requested = groupCommit.execute(() -> ledger.applyIfUnchanged(unknown,
                Transition.to(PaymentState.REQUESTED, PAY_RESENT).detail(why)
                        .emit(events.stateChanged(unknown, unknown.state(), PaymentState.REQUESTED, PAY_RESENT,
                                null, null, null))));
        if (requested.isEmpty()) {
            // moved meanwhile. REQUESTED is this very move, committed though its commit's answer was lost (the group
            // commit ran it again and found it done): its send is still due, as for any attempt left REQUESTED
            Optional<PaymentAttempt> now = ledger.find(unknown.paymentRequestId());
            if (now.isPresent() && now.get().state() == PaymentState.REQUESTED) {
                return sendStored(now.get());
            }
            return now.map(PaymentAttempt::state).orElse(unknown.state());
        }
        return sendStored(requested.get());
    }

    /** Sends a REQUESTED attempt's stored request, the same paymentRequestId, and records the answer. */
    private PaymentState sendStored(PaymentAttempt requested) {
        CallOutcome<?> outcome = gateway.call(PaymentRequests.apiOf(requested.integration()),
                requested.paymentRequestId(), requests.storedRequest(requested));
        return outcomes.record(requested, outcome).state();
    }

    static final String PAY_RESENT = "PAY_RESENT";
    /** The cause of an earlier attempt's cancel before its order's new attempt. */
    static final String ATTEMPT_REPLACED = "ATTEMPT_REPLACED";

    /**
     * Antom's advice for an order paid again where the method has no refunds: "cancel the first payment order before
     * initiating a new payment", once "the order status" says it is not paid. Were both paid, the second could be
     * given back neither by a cancel (past its window) nor by a refund. So before a new attempt is stored, each of the
     * order's earlier attempts still open is, when its method or the new one's is listed in
     * checkout.payments.cancel-before-new-attempt, first looked up at Antom (inquiryPayment, its answer applied): paid,
     * the order is paid and the new attempt is refused ORDER_ALREADY_PAID; paid by the buyer with the method still
     * confirming (PENDING), it is refused PAYMENT_PENDING; still open as Antom says, it is cancelled at Antom. An
     * inquiry without an answer (a cancel could give back a payment the buyer made), Antom without the payment (a pay
     * that may still land), or a cancel refused or unanswered (flagged CANCEL_NOT_DONE) leaves the earlier attempt to
     * the janitor, and the new one goes ahead.
     */
    private void cancelReplaced(OrderMessage order) {
        if (order.attemptNo() <= 1) {
            return; // an order's first attempt replaces none (and costs no query)
        }
        List<PaymentAttempt> attempts = ledger.attemptsOf(order.orderId());
        if (attempts.stream().anyMatch(a -> a.attemptNo() >= order.attemptNo())) {
            // read again: what the stored attempt replaced was dealt with before it was stored; or a later attempt
            // replaced this one, which is refused when stored (ATTEMPT_SUPERSEDED)
            return;
        }
        for (PaymentAttempt earlier : attempts) {
            if (earlier.attemptNo() >= order.attemptNo() || !earlier.state().isOpen()
                    || earlier.state() == PaymentState.CREATED
                    || !(expiries.cancelsBeforeNewAttempt(earlier.paymentMethodType())
                            || expiries.cancelsBeforeNewAttempt(order.paymentMethodType()))) {
                continue;
            }
            PaymentInquiries.Inquiry status = inquiries.inquire(earlier);
            if (status instanceof PaymentInquiries.Inquiry.Answered answered && answered.buyerPaid()) {
                throw new RejectedOrderException("PAYMENT_PENDING", "$.attempt", "attempt " + earlier.attemptNo()
                        + " of order " + order.orderId() + " was paid by the buyer and Antom is confirming it");
            }
            PaymentAttempt now = ledger.find(earlier.paymentRequestId()).orElse(earlier);
            // Antom said it is open: processing, or waiting for the buyer (an answer that moved it made it not open)
            boolean saidOpen = status instanceof PaymentInquiries.Inquiry.Answered
                    || status instanceof PaymentInquiries.Inquiry.ProcessingUnanswered;
            boolean cancelled = saidOpen && now.state().isOpen()
                    && cancels.cancelIfStill(now, ATTEMPT_REPLACED, PaymentState.CANCELLED, true);
            LOG.info("order {}: attempt {} ({}, {}) {} before attempt {}", order.orderId(), earlier.attemptNo(),
                    earlier.paymentMethodType(), now.state(), cancelled ? "cancelled at Antom" : "not cancelled",
                    order.attemptNo());
        }
    }

    private PaymentAttempt open(OrderMessage order, String freshId, AlipayRequest<?> request, String api) {
        OffsetDateTime expiresAt = order.paymentExpiryTime() != null ? AntomTime.parse(order.paymentExpiryTime())
                : OffsetDateTime.now(clock).plus(expiries.expiryOf(order.paymentMethodType(), order.isCard()));
        try {
            NewAttempt terms = new NewAttempt(freshId, order.orderId(), order.attemptNo(), order.integration(),
                    order.paymentMethodType(), Long.parseLong(order.amount().value()), order.amount().currency(),
                    order.effectiveCaptureMode(), order.channel().terminalType(), order.channel().osType(), expiresAt,
                    AntomClient.bodyOf(request));
            // committed with the attempts of other orders starting now; durable before Antom is called
            return groupCommit.execute(() -> ledger.openAttempt(terms, api));
        } catch (NewAttemptRefusedException e) {
            throw closed(e);
        } catch (AttemptMismatchException e) {
            throw changed(e);
        }
    }

    /** An attempt number the ledger has with other terms, as the order topic's dead letter names it. */
    private static RejectedOrderException changed(AttemptMismatchException mismatch) {
        return new RejectedOrderException("ATTEMPT_CHANGED", "$.attempt", mismatch.getMessage());
    }

    /**
     * An order the ledger takes no new attempt of ({@link PaymentLedger#refuseNewAttempt}), as the order topic's
     * dead letter (and the order door's 409) names it.
     */
    static RejectedOrderException closed(NewAttemptRefusedException refusal) {
        return new RejectedOrderException(refusal.code(), refusal.field(), refusal.getMessage());
    }

    /**
     * No method named: ask Antom which methods fit this order (consult) and let the buyer choose, unless the order is
     * paid or cancelled already (refused as a new attempt would be). No attempt exists yet, so the consult is recorded
     * with its channel message: the order's trace in GET /payments/{orderId}.
     */
    private void offerMethods(OrderMessage order) {
        List<PaymentAttempt> attempts = ledger.attemptsOf(order.orderId());
        Optional<PaymentAttempt> chosen = PaymentAttempt.numbered(attempts, order.attemptNo());
        if (chosen.isPresent()) {
            // read again after the buyer chose: this attempt is stored with its method (paid, perhaps), and asking
            // again would offer a choice its own attempt number could not take (a new choice is a new attempt)
            if (!chosen.get().hasTerms(Long.parseLong(order.amount().value()), order.amount().currency(), null,
                    order.integration(), null)) {
                throw changed(new AttemptMismatchException(order.orderId(), order.attemptNo()));
            }
            LOG.info("order {} named no payment method, but its attempt {} is stored: not consulted again",
                    order.orderId(), order.attemptNo());
            return;
        }
        try {
            // the buyer is not asked to choose how to pay an order paid or cancelled already, nor for an attempt a
            // later one replaced (the choice would be refused)
            ledger.refuseNewAttempt(order.orderId(), order.attemptNo(), attempts);
        } catch (NewAttemptRefusedException e) {
            throw closed(e);
        }
        CallOutcome<AlipayPayConsultResponse> outcome = gateway.call("consult", order.orderId(), requests.consult(order));
        boolean offered = outcome instanceof CallOutcome.Answered<AlipayPayConsultResponse> answered
                && answered.status() == ResultStatusType.S;
        String code = outcome instanceof CallOutcome.Answered<?> a ? a.code() : "RESULT_UNKNOWN";
        String text = outcome instanceof CallOutcome.Answered<?> a ? a.message() : "payment methods unavailable";
        var message = offered
                ? channel.chooseMethod(order.recipient(), ((CallOutcome.Answered<AlipayPayConsultResponse>) outcome).response())
                : channel.consultFailed(order.recipient(), code, text);
        String action = offered ? "CHOOSE_METHOD" : "FAILED";
        tx.executeWithoutResult(status -> {
            consults.record(order.orderId(), order.attemptNo(), action, code, text, message.payload());
            outbox.append(message);
        });
        LOG.info("order {} named no payment method: consulted Antom ({}), the buyer's channel gets {}",
                order.orderId(), code, action);
    }
}
