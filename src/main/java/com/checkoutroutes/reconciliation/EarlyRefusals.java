package com.checkoutroutes.reconciliation;

import com.checkoutroutes.deadletter.DeadLetterArchive;
import com.checkoutroutes.deadletter.DeadLetterArchive.Kept;
import com.checkoutroutes.deadletter.DeadLetterRedrives;
import com.checkoutroutes.deadletter.RedriveRefusedException;
import com.checkoutroutes.results.CaptureClaims;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Order events refused only because they came too early: a cancellation while a capture's send may still be on its
 * way ({@code CAPTURE_IN_PROGRESS}), a return while a cancel's may ({@code CANCEL_IN_PROGRESS}). The janitor
 * re-drives each once that send is over (the marks' hold, {@link CaptureClaims#hold()}, after the refusal), which is
 * what the order system was told to do: the same event through its route and all its rules, so one the order system
 * sent again meanwhile is applied once (a cancellation refunds once per payment, a return once per eventId). Refused
 * again (the capture still unknown), it is a new dead letter, re-driven in turn up to
 * {@code checkout.janitor.early-refusal-redrives} times per order and reason in a day; then it waits for an operator.
 */
@Component
public class EarlyRefusals {

    /** The refusals that say "not yet", not "no". */
    static final List<String> REASONS = List.of("CAPTURE_IN_PROGRESS", "CANCEL_IN_PROGRESS");
    /** How far back the janitor looks: a janitor (or database) down for hours still finds them. */
    static final Duration LOOK_BACK = Duration.ofDays(1);
    /** Who the dead letter's record says re-drove it. */
    static final String BY = "janitor";

    private final DeadLetterArchive archive;
    private final DeadLetterRedrives redrives;
    private final Duration hold;

    EarlyRefusals(DeadLetterArchive archive, DeadLetterRedrives redrives, CaptureClaims claims) {
        this.archive = archive;
        this.redrives = redrives;
        this.hold = claims.hold();
    }

    /** Those whose send is over by {@code now}, of orders re-driven fewer than {@code maxRedrives} times. */
    public List<Kept> due(OffsetDateTime now, int maxRedrives, int limit) {
        if (maxRedrives == 0) {
            return List.of();
        }
        return archive.waiting(REASONS, now.minus(LOOK_BACK), now.minus(hold), maxRedrives, limit);
    }

    /** Re-drives one; empty when someone (an operator, another instance) did first. */
    public Optional<String> redrive(Kept refusal) {
        try {
            return Optional.of(redrives.redrive(refusal.id(), BY));
        } catch (RedriveRefusedException alreadyRedriven) {
            return Optional.empty();
        }
    }
}
