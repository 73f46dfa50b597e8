package com.checkoutroutes.reconciliation;

import com.checkoutroutes.ledger.PaymentState;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code checkout.janitor.*}: when to ask Antom about attempts whose result we do not know. The first look comes
 * {@code firstCheck} after the attempt entered its state (per state), then one delay per further look; the last
 * delay repeats. Defaults follow the docs (result page: ask after a few seconds; U: ask again soon) and Kill Bill's
 * janitor (back off to hours).
 */
@ConfigurationProperties("checkout.janitor")
public record JanitorSettings(
        @DefaultValue("100") int batchSize,
        @DefaultValue FirstCheck firstCheck,
        @DefaultValue({"1m", "2m", "5m", "10m", "30m", "1h", "3h", "6h"}) List<Duration> checkDelays,
        @DefaultValue("2m") Duration expiryGrace) {

    public record FirstCheck(
            @DefaultValue("3m") Duration pending,
            @DefaultValue("10s") Duration unknown,
            @DefaultValue("1m") Duration requested,
            @DefaultValue("30s") Duration captureRequested) {

        /** The delay {@link PaymentState#firstCheck()} names. */
        public Duration of(PaymentState.FirstCheck which) {
            return switch (which) {
                case PENDING -> pending;
                case UNKNOWN -> unknown;
                case REQUESTED -> requested;
                case CAPTURE_REQUESTED -> captureRequested;
            };
        }
    }

    public Duration delayAfter(int checks) {
        return checkDelays.get(Math.min(checks, checkDelays.size() - 1));
    }
}
