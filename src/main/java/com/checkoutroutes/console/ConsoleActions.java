package com.checkoutroutes.console;

import com.checkoutroutes.cardcapture.CardAuthorisations;
import com.checkoutroutes.console.ActionLog.Outcome;
import com.checkoutroutes.continuation.HttpChannelQueue;
import com.checkoutroutes.continuation.HttpChannels;
import com.checkoutroutes.deadletter.DeadLetterArchive;
import com.checkoutroutes.deadletter.DeadLetterRedrives;
import com.checkoutroutes.deadletter.RedriveRefusedException;
import com.checkoutroutes.deadletter.RejectedOrderException;
import com.checkoutroutes.ledger.FlagChangedException;
import com.checkoutroutes.ledger.IllegalTransitionException;
import com.checkoutroutes.ledger.NotFlaggedException;
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentLedger;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.ledger.Refund;
import com.checkoutroutes.ledger.RefundAmount;
import com.checkoutroutes.ledger.RefundRefusedException;
import com.checkoutroutes.ledger.UnknownPaymentException;
import com.checkoutroutes.results.DuplicatePaymentCanceller;
import com.checkoutroutes.results.PaymentInquiries;
import com.checkoutroutes.results.PaymentInquiries.Inquiry;
import com.checkoutroutes.refunds.Refunds;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The console's actions. Each one is audited ({@link ActionLog}) and runs through the rules its route uses, never
 * around them: an inquiry is applied by {@code results.ResultApplier} as a notification would be, a cancel follows
 * cardcapture's cancel rules and {@code results.AntomCancels}, a refund goes through {@code refunds.Refunds} (the
 * service returned orders use), a cleared flag is a ledger change with its history
 * row, a re-drive goes back through the consumer route. What the rules refuse is REFUSED with their reason, and
 * nothing changed.
 */
@Component
public class ConsoleActions {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleActions.class);
    /** The ledger cause of an operator's cancel (its history says who in the console's audit). */
    static final String OPERATOR_CANCEL = "OPERATOR_CANCEL";

    private final ActionLog log;
    private final PaymentLedger ledger;
    private final PaymentInquiries inquiries;
    private final CardAuthorisations cards;
    private final DeadLetterArchive deadLetters;
    private final DeadLetterRedrives redrives;
    private final Refunds refunds;
    private final DuplicatePaymentCanceller duplicates;
    private final HttpChannelQueue channelMessages;
    private final HttpChannels httpChannels;
    private final Clock clock;

    public ConsoleActions(ActionLog log, PaymentLedger ledger, PaymentInquiries inquiries, CardAuthorisations cards,
            DeadLetterArchive deadLetters, DeadLetterRedrives redrives, Refunds refunds,
            DuplicatePaymentCanceller duplicates, HttpChannelQueue channelMessages, HttpChannels httpChannels,
            Clock clock) {
        this.log = log;
        this.ledger = ledger;
        this.inquiries = inquiries;
        this.cards = cards;
        this.deadLetters = deadLetters;
        this.redrives = redrives;
        this.refunds = refunds;
        this.duplicates = duplicates;
        this.channelMessages = channelMessages;
        this.httpChannels = httpChannels;
        this.clock = clock;
    }

    /**
     * Of an order's attempts, what "give back" may act on: paid, not the order's own payment, and not refunded for it
     * yet (a refund being made or refused is not given back twice).
     */
    public Set<String> secondPayments(List<PaymentAttempt> attempts) {
        return attempts.stream().filter(a -> a.isSecondPaymentAmong(attempts)).map(PaymentAttempt::paymentRequestId)
                .filter(prid -> duplicates.refundOf(prid).isEmpty()).collect(Collectors.toSet());
    }

    /**
     * What an action is aimed at: an order (cancel), one payment (check, clear flag), a dead letter (re-drive) or a
     * message to an HTTP channel (send again).
     */
    public record Target(String orderId, String paymentRequestId, Long deadLetterId, Long channelMessageId) {
        public Target(String orderId, String paymentRequestId, Long deadLetterId) {
            this(orderId, paymentRequestId, deadLetterId, null);
        }
    }

    /** How it ended, and the audit record that says so. */
    public record Result(long auditId, Outcome outcome, String detail) {
    }

    /** A console rule refused the action (no reason given, nothing to act on): nothing changed. */
    static final class Refused extends RuntimeException {
        private final String code;

        Refused(String code, String message) {
            super(message);
            this.code = code;
        }
    }

    public Result perform(ConsoleAction action, Target target, String actor, String reason) {
        return perform(action, target, actor, reason, null);
    }

    /** {@code amount}: a refund's amount in major units of the payment's currency ("12.50"); blank for all left. */
    public Result perform(ConsoleAction action, Target target, String actor, String reason, String amount) {
        return perform(action, target, actor, reason, amount, null);
    }

    /**
     * {@code requestKey}: the refund form's own id (a UUID the confirmation page made), so the same form sent again
     * finds the refund it made instead of refunding twice; null makes a new refund. For clearing a flag, the flag the
     * page showed ({@link #flagShown}).
     */
    public Result perform(ConsoleAction action, Target target, String actor, String reason, String amount,
            String requestKey) {
        String why = reason == null || reason.isBlank() ? null : reason.strip();
        Target named = resolve(target);
        long id = log.start(actor, action, named, why);
        Outcome outcome;
        String detail;
        try {
            if (action.needsReason() && why == null) {
                throw new Refused("REASON_REQUIRED", "say why: the reason is kept with the action");
            }
            refuseMismatch(target, named);
            Ended ended = switch (action) {
                case CHECK_WITH_ANTOM -> checkWithAntom(named);
                case CANCEL -> cancel(named);
                case REFUND -> refund(named, actor, why, amount, requestKey);
                case GIVE_BACK -> giveBack(named);
                case CLEAR_FLAG -> clearFlag(named, actor, why, requestKey);
                case REDRIVE -> redrive(named, actor);
                case SEND_AGAIN -> sendAgain(named, requestKey);
            };
            outcome = ended.outcome();
            detail = ended.detail();
        } catch (RuntimeException e) {
            String refusal = refusal(e);
            outcome = refusal != null ? Outcome.REFUSED : Outcome.FAILED;
            detail = refusal != null ? refusal : e.getClass().getSimpleName() + ": " + e.getMessage();
            if (refusal == null) {
                LOG.warn("console action {} by {} failed", action, actor, e);
            }
        }
        log.finish(id, outcome, detail);
        LOG.info("console action {} by {} on {}: {} ({})", action, actor, named, outcome, detail);
        return new Result(id, outcome, detail);
    }

    /** What an action that ran did: DONE, or FAILED when it ran and could not do its job (Antom did not answer). */
    private record Ended(Outcome outcome, String detail) {
        static Ended done(String detail) {
            return new Ended(Outcome.DONE, detail);
        }

        static Ended failed(String detail) {
            return new Ended(Outcome.FAILED, detail);
        }
    }

    /** The order of a payment or a dead letter comes from the ledger and the archive, not from the form. */
    private Target resolve(Target target) {
        if (target.paymentRequestId() != null) {
            String orderId = ledger.find(target.paymentRequestId()).map(PaymentAttempt::orderId)
                    .orElse(target.orderId());
            return new Target(orderId, target.paymentRequestId(), null);
        }
        if (target.deadLetterId() != null) {
            String orderId = deadLetters.find(target.deadLetterId()).map(DeadLetterArchive.Kept::orderId).orElse(null);
            return new Target(orderId, null, target.deadLetterId());
        }
        if (target.channelMessageId() != null) {
            String orderId = channelMessages.find(target.channelMessageId()).map(HttpChannelQueue.Kept::orderId)
                    .orElse(null);
            return new Target(orderId, null, null, target.channelMessageId());
        }
        return target;
    }

    /**
     * A form whose order is not the order of the payment, dead letter or message it names (a link made by hand, a
     * page of another order): the console's pages show the form's order, the action would act on the other one.
     */
    private static void refuseMismatch(Target asSent, Target resolved) {
        if (asSent.orderId() != null && !asSent.orderId().isBlank() && resolved.orderId() != null
                && !asSent.orderId().equals(resolved.orderId())) {
            throw new Refused("TARGET_MISMATCH", "the form names order " + asSent.orderId() + ", but what it acts on "
                    + "is of order " + resolved.orderId() + ": nothing done; open that order's page");
        }
    }

    private PaymentAttempt attempt(Target target) {
        if (target.paymentRequestId() == null) {
            throw new Refused("NO_PAYMENT", "the action needs a payment (paymentRequestId)");
        }
        return ledger.find(target.paymentRequestId())
                .orElseThrow(() -> new UnknownPaymentException(target.paymentRequestId()));
    }

    private Ended checkWithAntom(Target target) {
        PaymentAttempt attempt = attempt(target);
        if (attempt.state() == PaymentState.CREATED) {
            throw new Refused("NOT_SENT", "Antom was never asked to pay this attempt: there is nothing to check");
        }
        Inquiry inquiry = inquiries.inquire(attempt);
        PaymentState now = ledger.find(attempt.paymentRequestId()).orElseThrow().state();
        if (inquiry instanceof Inquiry.Answered answered && answered.changedTo().isEmpty() && answered.buyerPaid()
                && attempt.state().isOpen()) {
            return Ended.done("Antom answered: the buyer paid, the method has not confirmed it yet; the ledger keeps "
                    + now + " (no expiry cancels it)");
        }
        if (inquiry instanceof Inquiry.Answered answered && answered.changedTo().isEmpty() && answered.cancelListed()
                && attempt.state().isPaid()) {
            inquiries.flagCancelListed(attempt);
            return Ended.done("Antom answered: it lists a cancel of this payment, done or under way, which gives the "
                    + "money back; the ledger keeps " + now + ", flagged " + PaymentInquiries.CANCEL_LISTED
                    + " (the pre-shipment check holds it)");
        }
        if (inquiry instanceof Inquiry.Answered answered) {
            return Ended.done(answered.changedTo().map(to -> "Antom answered: " + attempt.state() + " -> " + to)
                    .orElse("Antom answered: still " + now + " (confirmed)"));
        }
        if (inquiry instanceof Inquiry.CaptureNotFound) {
            return Ended.done("Antom has the payment authorised but no capture of it: the janitor sends the stored "
                    + "capture again; the ledger keeps " + now);
        }
        if (inquiry instanceof Inquiry.ProcessingUnanswered) {
            return Ended.done("Antom has the payment processing, but its answer to pay never reached the ledger: the "
                    + "janitor sends a stored pay again for the buyer's continuation (not a payment session, and not "
                    + "once it is expired, cancelled or replaced by another attempt); the ledger keeps " + now);
        }
        if (inquiry instanceof Inquiry.NotFound) {
            return Ended.done("Antom has no payment " + attempt.paymentRequestId() + " (ORDER_NOT_EXIST); the ledger"
                    + " keeps " + now);
        }
        return Ended.failed("Antom could not be asked, or said nothing yet; the ledger keeps " + now
                + " and the janitor keeps asking");
    }

    private Ended cancel(Target target) {
        if (target.orderId() == null) {
            throw new Refused("NO_ORDER", "the action needs an order");
        }
        CardAuthorisations.Cancelled cancelled = cards.cancelOrder(target.orderId(), OPERATOR_CANCEL);
        if (cancelled.cancellable() == 0) {
            throw new Refused("NOTHING_TO_CANCEL", "no payment of order " + target.orderId()
                    + " can still be cancelled (each is final or was never sent to Antom)");
        }
        String done = "Antom cancelled or refunded " + cancelled.cancelled() + " of " + cancelled.cancellable()
                + " payment(s)";
        return cancelled.cancelled() < cancelled.cancellable()
                ? Ended.failed(done + "; each other one's history says what Antom answered (CANCEL_NOT_DONE, a refund"
                        + " refused or not answered yet)") : Ended.done(done);
    }

    private Ended giveBack(Target target) {
        PaymentAttempt attempt = attempt(target);
        String prid = attempt.paymentRequestId();
        if (!attempt.state().isPaid()) {
            throw new Refused("NOT_PAID", "payment " + prid + " is " + attempt.state() + ": nothing to give back");
        }
        if (attempt.state() == PaymentState.CAPTURE_REQUESTED) {
            throw new Refused("CAPTURE_IN_PROGRESS", "payment " + prid + " has a capture in progress: try again once"
                    + " Antom has answered it");
        }
        if (!attempt.isSecondPaymentAmong(ledger.attemptsOf(attempt.orderId()))) {
            throw new Refused("ORDERS_OWN_PAYMENT", "payment " + prid + " is the one order " + attempt.orderId()
                    + " keeps (its first successful one): give money back with Refund; a duplicate flag it still has"
                    + " (its order's other payment was cancelled since) is cleared with Clear the flag");
        }
        Optional<Refund> earlier = duplicates.refundOf(prid);
        if (earlier.isPresent()) {
            throw new Refused("ALREADY_REFUNDED", "payment " + prid + " has its refund already: "
                    + refundState(earlier.get()));
        }
        duplicates.giveBack(attempt);
        PaymentState now = ledger.find(prid).orElseThrow().state();
        if (now == PaymentState.CANCELLED) {
            return Ended.done("cancelled at Antom (it returns the buyer's money); the payment is CANCELLED");
        }
        Optional<Refund> refund = duplicates.refundOf(prid);
        if (refund.isEmpty()) {
            return Ended.failed("not given back: the payment is still " + now + "; its history says what Antom"
                    + " answered (CANCEL_NOT_DONE, REFUND_REFUSED)");
        }
        return refund.get().state().isTakenByAntom() ? Ended.done(refundState(refund.get())) : Ended.failed(refundState(refund.get()));
    }

    private static String refundState(Refund refund) {
        String what = "refund " + refund.refundRequestId() + " of " + refund.amountValue() + " " + refund.currency()
                + " (minor units): " + refund.state();
        return switch (refund.state()) {
            case FAILED -> what + " " + refund.resultCode() + ": Antom refused it; give the money back outside this"
                    + " service, after checking Antom's Dashboard that it did not refund it later";
            case REQUESTED, UNKNOWN -> what + ": Antom has not confirmed it yet; the janitor asks until it does";
            default -> what;
        };
    }

    private Ended refund(Target target, String actor, String why, String amount, String requestKey) {
        if (target.orderId() == null) {
            throw new Refused("NO_ORDER", "the action needs an order");
        }
        RefundAmount asked = refundAmount(target.orderId(), amount);
        Refund refund = requestKey == null ? refunds.request(target.orderId(), asked, why, actor)
                : refunds.request(new Refunds.Request(target.orderId(), FORM_KEY + formId(requestKey), asked, why,
                        actor));
        // as give back: DONE once Antom took it, FAILED while it has not confirmed it (the janitor asks) or refused it
        return refund.state().isTakenByAntom() ? Ended.done(refundState(refund)) : Ended.failed(refundState(refund));
    }

    /** The request key of a refund asked for by a console form: the form's id after it. */
    static final String FORM_KEY = "CONSOLE:";

    private static String formId(String requestKey) {
        try {
            return UUID.fromString(requestKey).toString();
        } catch (IllegalArgumentException e) {
            throw new Refused("INVALID_REQUEST_KEY", "the form's requestKey is not one the console made: reload it");
        }
    }

    /** The operator's amount in the currency of the order's paid payment, in minor units; null for all that is left. */
    private RefundAmount refundAmount(String orderId, String amount) {
        if (amount == null || amount.isBlank()) {
            return null;
        }
        String currency = refunds.paymentOf(orderId).currency();
        try {
            BigDecimal major = new BigDecimal(amount.strip());
            int digits = Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
            long minor = major.movePointRight(digits).longValueExact();
            if (minor <= 0) {
                throw new Refused("INVALID_AMOUNT", "the amount must be above zero");
            }
            return new RefundAmount(currency, minor);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new Refused("INVALID_AMOUNT", "'" + amount.strip() + "' is not an amount in " + currency
                    + " (at most its currency's decimals, e.g. 12.50)");
        }
    }

    /**
     * {@code shown}: the confirmation page's fingerprint of the flag it showed ({@link #flagShown}); the flag is
     * cleared only if it is still that one. Null (a script's form) clears whatever flag there is.
     */
    private Ended clearFlag(Target target, String actor, String why, String shown) {
        PaymentAttempt attempt = attempt(target);
        ledger.clearFlag(attempt.paymentRequestId(), actor, why,
                reason -> shown == null || shown.equals(flagShown(reason)));
        return Ended.done("flag '" + attempt.flagReason() + "' cleared");
    }

    /**
     * A flag's reason as a short fingerprint, for the clear-flag form to say which flag its operator saw (null: none,
     * which no flag raised since matches).
     */
    public static String flagShown(String flagReason) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(String.valueOf(flagReason).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest, 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Ended redrive(Target target, String actor) {
        if (target.deadLetterId() == null) {
            throw new Refused("NO_DEAD_LETTER", "the action needs a dead letter");
        }
        return Ended.done("sent again to " + redrives.redrive(target.deadLetterId(), actor));
    }

    /**
     * {@code postsShown}: how often the page the operator confirmed on said the message was POSTed, so the same form
     * sent again (a double click, a resubmitted page) sends nothing once it went out and was refused again.
     */
    private Ended sendAgain(Target target, String postsShown) {
        if (target.channelMessageId() == null) {
            throw new Refused("NO_CHANNEL_MESSAGE", "the action needs a message to an HTTP channel");
        }
        long id = target.channelMessageId();
        HttpChannelQueue.Kept message = channelMessages.find(id)
                .orElseThrow(() -> new Refused("NO_CHANNEL_MESSAGE", "no message " + id + " to an HTTP channel"));
        switch (channelMessages.sendAgain(id, postsShown == null ? null : count(postsShown),
                OffsetDateTime.now(clock))) {
            case SENT_AGAIN -> {
                httpChannels.wake();
                return Ended.done("channel message " + id + " to " + message.receiver() + " is sent again now (it was "
                        + "refused: " + message.lastError() + ")");
            }
            case LATER_ONE_ON_ITS_WAY -> throw new Refused("LATER_MESSAGE_ON_ITS_WAY", "a later message of order "
                    + message.orderId() + " is still to be delivered: send this one again once it is, so that the "
                    + "order's messages still go one at a time");
            case CHANGED -> throw new Refused("CHANGED", "channel message " + id + " was POSTed again since the page "
                    + "was shown: look at it again");
            default -> throw new Refused("NOT_REFUSED", "channel message " + id + " is " + channelMessages.find(id)
                    .map(HttpChannelQueue.Kept::state).orElse(message.state()) + ": only a message its receiver "
                    + "refused is sent again from here (a parked one is sent again by itself)");
        }
    }

    /** A count a form carried; -1 (matching none) for anything else. */
    private static int count(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The rule's code and reason when a rule refused the action; null for a failure. */
    private static String refusal(RuntimeException e) {
        if (e instanceof Refused refused) {
            return refused.code + ": " + e.getMessage();
        }
        if (e instanceof RejectedOrderException rejected) {
            return rejected.reason().code() + ": " + rejected.reason().message();
        }
        if (e instanceof RefundRefusedException refused) {
            return refused.code() + ": " + refused.reason();
        }
        if (e instanceof RedriveRefusedException refused) {
            return refused.code() + ": " + e.getMessage();
        }
        if (e instanceof IllegalTransitionException) {
            return "ILLEGAL_TRANSITION: " + e.getMessage();
        }
        if (e instanceof UnknownPaymentException) {
            return "UNKNOWN_PAYMENT: " + e.getMessage();
        }
        if (e instanceof NotFlaggedException) {
            return "NOT_FLAGGED: " + e.getMessage();
        }
        if (e instanceof FlagChangedException) {
            return "FLAG_CHANGED: " + e.getMessage();
        }
        return null;
    }
}
