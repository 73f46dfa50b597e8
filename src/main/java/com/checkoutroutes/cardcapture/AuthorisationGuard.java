package com.checkoutroutes.cardcapture;

import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentLedger;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.results.AntomCancels;
import com.checkoutroutes.results.PaymentInquiries;
import com.checkoutroutes.results.PaymentInquiries.Inquiry;
import com.checkoutroutes.scheduling.JobRuns.Report;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Antom releases a card authorisation not captured within 7 days. This guard finds authorisations older than the
 * threshold and applies the operator's policy: CAPTURE them (a second payment of an order is cancelled instead: it is
 * to be given back), CANCEL them, or ALERT only (flag and report). One past
 * the 7 days gets no policy: Antom is asked about it, and unless Antom lists a capture or a cancel that the ledger
 * missed, it is closed as released (CANCELLED, flagged), so released authorisations do not stay AUTHORISED and crowd
 * out the fresh ones. So is one whose capture failed (CAPTURE_FAILED) once past the 7 days.
 */
@Component
public class AuthorisationGuard {

    private static final Logger LOG = LoggerFactory.getLogger(AuthorisationGuard.class);

    public enum Policy { CAPTURE, CANCEL, ALERT }

    private final PaymentLedger ledger;
    private final CardAuthorisations cards;
    private final AntomCancels cancels;
    private final PaymentInquiries inquiries;
    private final Clock clock;
    private final Duration threshold;
    private final Policy policy;
    /** Authorisations read at a time. */
    static final int PAGE = 500;
    private static final int REPORTED = 100;

    public AuthorisationGuard(PaymentLedger ledger, CardAuthorisations cards, AntomCancels cancels,
            PaymentInquiries inquiries, Clock clock, CardCaptureSettings settings) {
        this.ledger = ledger;
        this.cards = cards;
        this.cancels = cancels;
        this.inquiries = inquiries;
        this.clock = clock;
        this.threshold = settings.authorisationGuard().threshold();
        this.policy = settings.authorisationGuard().policy();
    }

    /** The scheduled run (routes/schedules.yaml calls {@code run}): the configured policy. */
    public Report run() {
        return runWith(policy);
    }

    /**
     * A run with {@code applied} instead of the configured policy (tests). Not public and not named {@code run}: Camel's
     * bean binding, given {@code method: run}, picked the overload that takes the message body, and a Quartz message
     * has none, so every scheduled run applied no policy at all.
     */
    Report runWith(Policy applied) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        OffsetDateTime ageingBefore = now.minus(threshold);
        Tally tally = new Tally();
        lookAtAll(after -> ledger.authorisedBefore(ageingBefore, after, PAGE), attempt -> look(attempt, applied, now),
                tally);
        // a capture that failed leaves the authorisation at Antom, which releases it after the 7 days too; nothing
        // else would look at it again (no event comes, the janitor does not ask about failed captures)
        OffsetDateTime releasedBefore = now.minus(PaymentAttempt.AUTHORISATION_LIFETIME);
        lookAtAll(after -> ledger.paidBefore(PaymentState.CAPTURE_FAILED, releasedBefore, after, PAGE),
                attempt -> pastSevenDays(attempt, "capture failed, past 7 days, left for the next run"), tally);
        String more = tally.lookedAt > tally.done.size() ? ", and " + (tally.lookedAt - tally.done.size()) + " more"
                : "";
        return new Report(tally.lookedAt, tally.changed, applied + " " + String.join(", ", tally.done) + more);
    }

    /** What one run looked at and changed, and the first {@link #REPORTED} of them by name. */
    private static final class Tally {
        int lookedAt;
        int changed;
        final List<String> done = new ArrayList<>();
    }

    /**
     * Handles every attempt {@code pages} lists, page after page ({@code pages} gives the page after the attempt it
     * is handed, the first for null): those left as they were (alerted, flagged, Antom not answering) stay at the
     * front, and the next page starts past them.
     */
    private void lookAtAll(Function<PaymentAttempt, List<PaymentAttempt>> pages,
            Function<PaymentAttempt, Handled> handle, Tally tally) {
        List<PaymentAttempt> page = pages.apply(null);
        while (!page.isEmpty()) {
            for (PaymentAttempt attempt : page) {
                tally.lookedAt++;
                try {
                    Handled handled = handle.apply(attempt);
                    tally.changed += handled.changed() ? 1 : 0;
                    report(tally.done, attempt.paymentRequestId() + ":" + handled.what());
                } catch (RuntimeException e) {
                    // one attempt that cannot be handled (it moved meanwhile, the database failed) does not stop the
                    // rest
                    LOG.warn("authorisation guard could not handle {}: {}", attempt.paymentRequestId(), e.toString());
                    report(tally.done, attempt.paymentRequestId() + ":failed " + e.getClass().getSimpleName());
                }
            }
            page = page.size() < PAGE ? List.of() : pages.apply(page.get(page.size() - 1));
        }
    }

    /** The run's report names the first {@link #REPORTED} attempts; the count says how many there were. */
    private static void report(List<String> done, String what) {
        if (done.size() < REPORTED) {
            done.add(what);
        }
    }

    /** What the guard did with one authorisation, for its report. */
    private record Handled(boolean changed, String what) {
    }

    private Handled look(PaymentAttempt attempt, Policy applied, OffsetDateTime now) {
        String prid = attempt.paymentRequestId();
        if (now.isAfter(attempt.authorisationReleasedAt())) {
            return pastSevenDays(attempt, "past 7 days, left for the next run");
        }
        return switch (applied) {
            // a second payment is to be given back: a capture would take the buyer's money for it twice
            case CAPTURE -> {
                if (attempt.isSecondPaymentAmong(ledger.attemptsOf(attempt.orderId()))) {
                    yield cancelSecondPayment(attempt);
                }
                // flagged: a cancel Antom did not do (the order was cancelled, or its risk flagged), a mismatch...
                // an operator decides; a capture would charge the buyer for an order that may be gone
                if (attempt.flaggedForOperator()) {
                    yield alert(attempt);
                }
                Optional<PaymentState> after = cards.captureForGuard(attempt);
                if (after.isPresent()) {
                    yield new Handled(true, "captured->" + after.get());
                }
                // moved since read; one still authorised with a cancel asked for it and none on its way (its flag
                // cleared since) is an operator's to decide before Antom releases it
                PaymentAttempt current = ledger.find(prid).orElse(attempt);
                yield current.state() == PaymentState.AUTHORISED && ledger.cancelAsked(prid)
                        && !ledger.cancelOnItsWay(prid, now) ? alert(current)
                        : new Handled(false, "moved since read: left for the next run");
            }
            // only as read: a shipment's capture requested since must not be voided
            case CANCEL -> cancels.cancelIfUnchanged(attempt, "AUTHORISATION_GUARD") ? new Handled(true, "cancelled")
                    : new Handled(false, "not cancelled");
            case ALERT -> alert(attempt);
        };
    }

    /** One Antom has released (past 7 days): closed as released unless Antom lists what the ledger missed. */
    private Handled pastSevenDays(PaymentAttempt attempt, String leftWhat) {
        String released = closeReleased(attempt);
        return released == null ? new Handled(false, leftWhat) : new Handled(true, released);
    }

    private Handled alert(PaymentAttempt attempt) {
        String prid = attempt.paymentRequestId();
        LOG.warn("card authorisation {} of order {} is older than {}: capture or cancel it", prid,
                attempt.orderId(), threshold);
        if (!attempt.flagged()) {
            ledger.note(prid, PaymentAttempt.EXPIRY_ALERT, "authorised at " + attempt.paidAt(),
                    PaymentAttempt.EXPIRY_ALERT + ": capture or cancel before Antom releases it");
        }
        return new Handled(!attempt.flagged(), "alerted");
    }

    private Handled cancelSecondPayment(PaymentAttempt attempt) {
        return cancels.cancelIfUnchanged(attempt, "DUPLICATE_PAYMENT_CANCELLED")
                ? new Handled(true, "second payment cancelled")
                : new Handled(false, "second payment not cancelled");
    }

    /**
     * An authorisation past Antom's 7 days: asks Antom first (a capture the ledger missed is applied as Antom lists
     * it, a cancel it lists closed and flagged there), else closes it as released, flagged. Returns what became of
     * it; null when Antom could not be asked or the attempt moved meanwhile (the next run looks again).
     */
    private String closeReleased(PaymentAttempt attempt) {
        Inquiry inquiry = inquiries.inquire(attempt);
        if (!(inquiry instanceof Inquiry.Answered answered)) {
            return null;
        }
        if (answered.changedTo().isPresent()) {
            // cancelled at Antom: the inquiry flagged it AUTHORISATION_RELEASED, unless this service's cancel did it
            return "->" + answered.changedTo().get();
        }
        String detail = "not captured within 7 days of " + attempt.paidAt() + ": Antom released it";
        LOG.warn("card authorisation {} of order {} was neither captured nor cancelled within 7 days: Antom released "
                + "it", attempt.paymentRequestId(), attempt.orderId());
        return inquiries.release(attempt, detail).map(state -> "->" + state).orElse(null);
    }
}
