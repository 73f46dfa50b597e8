package com.checkoutroutes.cardcapture;

import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentLedger;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.results.AntomCancels;
import com.checkoutroutes.scheduling.JobRuns.Report;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Antom releases a card authorisation not captured within 7 days. This guard finds authorisations older than the
 * threshold and applies the operator's policy: CAPTURE them, CANCEL them, or ALERT only (flag and report).
 */
@Component
public class AuthorisationGuard {

    private static final Logger LOG = LoggerFactory.getLogger(AuthorisationGuard.class);

    public enum Policy { CAPTURE, CANCEL, ALERT }

    private final PaymentLedger ledger;
    private final CardAuthorisations cards;
    private final AntomCancels cancels;
    private final Clock clock;
    private final Duration threshold;
    private final Policy policy;

    public AuthorisationGuard(PaymentLedger ledger, CardAuthorisations cards, AntomCancels cancels, Clock clock,
            CardCaptureSettings settings) {
        this.ledger = ledger;
        this.cards = cards;
        this.cancels = cancels;
        this.clock = clock;
        this.threshold = settings.authorisationGuard().threshold();
        this.policy = settings.authorisationGuard().policy();
    }

    public Report run() {
        return run(policy);
    }

    public Report run(Policy applied) {
        List<PaymentAttempt> ageing = ledger.authorisedBefore(OffsetDateTime.now(clock).minus(threshold), 500);
        int changed = 0;
        List<String> done = new ArrayList<>();
        for (PaymentAttempt attempt : ageing) {
            String prid = attempt.paymentRequestId();
            switch (applied) {
                case CAPTURE -> {
                    PaymentState result = cards.captureForGuard(attempt);
                    changed++;
                    done.add(prid + ":captured->" + result);
                }
                case CANCEL -> {
                    if (cancels.cancel(attempt, "AUTHORISATION_GUARD")) {
                        changed++;
                        done.add(prid + ":cancelled");
                    }
                }
                case ALERT -> {
                    if (!attempt.flagged()) {
                        ledger.note(prid, "AUTHORISATION_EXPIRING", "authorised at " + attempt.paidAt(),
                                "AUTHORISATION_EXPIRING: capture or cancel before Antom releases it");
                        changed++;
                    }
                    done.add(prid + ":alerted");
                    LOG.warn("card authorisation {} of order {} is older than {}: capture or cancel it", prid,
                            attempt.orderId(), threshold);
                }
            }
        }
        return new Report(ageing.size(), changed, applied + " " + String.join(", ", done));
    }
}
