package com.checkoutroutes.reconciliation;

import com.checkoutroutes.ledger.FirstChecks;
import com.checkoutroutes.ledger.PaymentState;
import java.time.Duration;
import java.util.List;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code checkout.janitor.*}: when to ask Antom about attempts whose result we do not know. The first look comes
 * {@code firstCheck} after the attempt entered its state (per state), then one delay per further look; the last
 * delay repeats. Defaults follow the docs (result page: ask after a few seconds; U: ask again soon) and Kill Bill's
 * janitor (back off to hours). Defaults live in config/application.yml only; routes/schedules.yaml reads
 * {@code checkout.janitor.cron} and {@code batch-size} (the LIMIT of the janitor's {@code sql:} selection) through
 * {@code {{...}}}. {@code concurrency} looks run at once; each holds a connection to Antom while it waits, taken from
 * the spare beside the orders in flight ({@code checkout.antom.max-connections}), hence the bound. At most
 * {@code maxLooksPerSecond} looks start a second (0: no limit), so that a run does not come as one burst.
 */
@Validated
@ConfigurationProperties("checkout.janitor")
public record JanitorSettings(
        @Positive int batchSize,
        @Positive @Max(64) int concurrency,
        @PositiveOrZero int maxLooksPerSecond,
        @Valid @NotNull FirstCheck firstCheck,
        @NotEmpty List<@NotNull @DurationMin(nanos = 0) Duration> checkDelays,
        @NotNull @DurationMin(nanos = 0) Duration expiryGrace) implements FirstChecks {

    public record FirstCheck(
            @NotNull @DurationMin(nanos = 0) Duration pending,
            @NotNull @DurationMin(nanos = 0) Duration unknown,
            @NotNull @DurationMin(nanos = 0) Duration requested,
            @NotNull @DurationMin(nanos = 0) Duration captureRequested) {

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

    /** The ledger schedules the first check with it as an attempt enters a state (see {@link FirstChecks}). */
    @Override
    public Duration after(PaymentState state) {
        return firstCheck.of(state.firstCheck());
    }

    public Duration delayAfter(int checks) {
        return checkDelays.get(Math.min(checks, checkDelays.size() - 1));
    }
}
