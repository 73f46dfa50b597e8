package com.checkoutroutes.results;

import com.checkoutroutes.gateway.AntomSettings;
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentLedger;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Who may act on a requested capture that Antom does not list: the janitor sending it again, or a cancellation giving
 * it up and cancelling the authorisation. Both act only on a claim in the ledger, held for longer than a capture's
 * call with all its tries, so the two never reach Antom together (Antom would take a cancelled order's money and
 * refuse the cancel). A cancellation also leaves alone a capture requested within that time: its first send may still
 * be on its way to Antom.
 */
@Component
public class CaptureClaims {

    private final PaymentLedger ledger;
    private final Clock clock;
    private final Duration hold;

    CaptureClaims(PaymentLedger ledger, AntomSettings antom, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
        this.hold = longestCall(antom).multipliedBy(2);
    }

    /** A claim to send the stored capture again; closing it (once the send is over) lets others claim at once. */
    public Optional<Claim> toResend(PaymentAttempt asRead) {
        OffsetDateTime now = now();
        OffsetDateTime until = now.plus(hold);
        return ledger.claimCapture(asRead, now, until)
                ? Optional.of(new Claim(ledger, asRead.paymentRequestId(), until)) : Optional.empty();
    }

    /**
     * Whether a cancellation may give the capture up now: requested long enough ago, and no one sending it. The claim
     * is kept until it runs out: the capture is given up right after.
     */
    public boolean toGiveUp(PaymentAttempt asRead) {
        OffsetDateTime now = now();
        return ledger.claimCapture(asRead, now.minus(hold), now.plus(hold));
    }

    /** A held claim. */
    public static final class Claim implements AutoCloseable {
        private final PaymentLedger ledger;
        private final String paymentRequestId;
        private final OffsetDateTime until;

        private Claim(PaymentLedger ledger, String paymentRequestId, OffsetDateTime until) {
            this.ledger = ledger;
            this.paymentRequestId = paymentRequestId;
            this.until = until;
        }

        @Override
        public void close() {
            ledger.releaseCapture(paymentRequestId, until);
        }
    }

    /** The column keeps microseconds: a claim's end is found again by equality. */
    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).truncatedTo(ChronoUnit.MILLIS);
    }

    /** A call's every try timing out, with the backoffs between them. */
    static Duration longestCall(AntomSettings antom) {
        AntomSettings.Retry retry = antom.retry();
        return antom.connectTimeout().plus(antom.timeout()).multipliedBy(retry.maxAttempts())
                .plus(retry.maxBackoff().multipliedBy(retry.maxAttempts() - 1L));
    }
}
