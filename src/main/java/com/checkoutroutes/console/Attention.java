package com.checkoutroutes.console;

import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentLedger;
import com.checkoutroutes.ledger.PaymentState;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/** The payments an operator should look at, each with why it is listed. */
@Component
public class Attention {

    private final PaymentLedger ledger;
    private final Clock clock;
    private final ConsoleSettings settings;

    public Attention(PaymentLedger ledger, Clock clock, ConsoleSettings settings) {
        this.ledger = ledger;
        this.clock = clock;
        this.settings = settings;
    }

    /** A payment listed, and why. */
    public record Item(PaymentAttempt attempt, String why) {
    }

    /** One list: the payments shown, longest unchanged first; {@code more}: there are more than these. */
    public record Listing(List<Item> items, boolean more) {

        /** The heading's count: "50+" when there are more than shown. */
        public String count() {
            return items.size() + (more ? "+" : "");
        }
    }

    /**
     * The lists by heading, in the order shown. Each shows the page size (per state, for the waiting ones) and says
     * when there are more: the longest unchanged first (the longest-stuck payment an operator must reach, however
     * many came after it), the flagged ones newest first.
     */
    public Map<String, Listing> lists() {
        OffsetDateTime now = OffsetDateTime.now(clock);
        int limit = settings.pageSize();
        Map<String, Listing> lists = new LinkedHashMap<>();
        lists.put("Result unknown (UNKNOWN)", listing(ledger.longestUnchanged(PaymentState.UNKNOWN, null, null,
                limit + 1), limit, a -> "Antom's answer is not known since " + ago(a.updatedAt(), now) + "; "
                        + (a.nextCheckAt() == null ? "no inquiry scheduled"
                                : "the janitor asks again " + when(a.nextCheckAt(), now))
                        + " (" + a.checkCount() + " inquiries so far)" + (a.resultMessage() == null ? ""
                                : "; last: " + a.resultMessage())));
        List<Item> waiting = new ArrayList<>();
        boolean moreWaiting = false;
        OffsetDateTime before = now.minus(settings.waitingAttentionAfter());
        for (PaymentState state : List.of(PaymentState.PENDING, PaymentState.REQUESTED,
                PaymentState.CAPTURE_REQUESTED)) {
            Listing ofState = listing(ledger.longestUnchanged(state, before, null, limit + 1), limit, a ->
                    state + " for " + ago(a.updatedAt(), now) + " (listed after "
                            + human(settings.waitingAttentionAfter()) + ")" + (a.expiresAt() == null ? ""
                                    : "; expires " + when(a.expiresAt(), now)));
            waiting.addAll(ofState.items());
            moreWaiting |= ofState.more();
        }
        lists.put("Waiting long (PENDING, REQUESTED, CAPTURE_REQUESTED)", new Listing(waiting, moreWaiting));
        // newest first: a flag stays until an operator clears it (a second payment given back keeps its own), so
        // oldest first would show those and hide today's flag that holds a shipment
        lists.put("Flagged", listing(ledger.search(null, null, null, true, limit + 1), limit,
                a -> a.flagReason() == null ? "flagged" : a.flagReason()));
        lists.put("Card authorisations near Antom's 7-day limit",
                listing(ledger.authorisedBefore(now.minus(settings.authorisationAttentionAfter()), limit + 1), limit,
                        a -> "authorised " + ago(a.paidAt(), now) + " ago; Antom releases it "
                                + when(a.authorisationReleasedAt(), now) + ": capture or cancel it"));
        return lists;
    }

    /** The first {@code limit} of {@code found} (read with one more, to know whether there are more). */
    private static Listing listing(List<PaymentAttempt> found, int limit,
            java.util.function.Function<PaymentAttempt, String> why) {
        return new Listing(found.stream().limit(limit).map(a -> new Item(a, why.apply(a))).toList(),
                found.size() > limit);
    }

    private static String ago(OffsetDateTime at, OffsetDateTime now) {
        return at == null ? "?" : human(Duration.between(at, now));
    }

    /** "in 3h 5m" or "2h ago". */
    private static String when(OffsetDateTime at, OffsetDateTime now) {
        Duration d = Duration.between(now, at);
        return d.isNegative() ? human(d.negated()) + " ago" : "in " + human(d);
    }

    static String human(Duration d) {
        long minutes = d.toMinutes();
        if (minutes < 1) {
            return d.toSeconds() + "s";
        }
        if (minutes < 60) {
            return minutes + "m";
        }
        long hours = d.toHours();
        if (hours < 48) {
            return hours + "h " + (minutes % 60) + "m";
        }
        return d.toDays() + "d " + (hours % 24) + "h";
    }
}
