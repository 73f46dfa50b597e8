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

    /** The lists by heading, in the order shown. */
    public Map<String, List<Item>> lists() {
        OffsetDateTime now = OffsetDateTime.now(clock);
        int limit = settings.pageSize();
        Map<String, List<Item>> lists = new LinkedHashMap<>();
        lists.put("Result unknown (UNKNOWN)", ledger.search(null, PaymentState.UNKNOWN, null, null, limit).stream()
                .map(a -> new Item(a, "Antom's answer is not known since " + ago(a.updatedAt(), now) + "; "
                        + (a.nextCheckAt() == null ? "no inquiry scheduled"
                                : "the janitor asks again " + when(a.nextCheckAt(), now))
                        + " (" + a.checkCount() + " inquiries so far)" + (a.resultMessage() == null ? ""
                                : "; last: " + a.resultMessage())))
                .toList());
        List<Item> waiting = new ArrayList<>();
        OffsetDateTime before = now.minus(settings.waitingAttentionAfter());
        for (PaymentState state : List.of(PaymentState.PENDING, PaymentState.REQUESTED,
                PaymentState.CAPTURE_REQUESTED)) {
            ledger.search(null, state, before, null, limit).forEach(a -> waiting.add(new Item(a,
                    state + " for " + ago(a.updatedAt(), now) + " (listed after "
                            + human(settings.waitingAttentionAfter()) + ")" + (a.expiresAt() == null ? ""
                                    : "; expires " + when(a.expiresAt(), now)))));
        }
        lists.put("Waiting long (PENDING, REQUESTED, CAPTURE_REQUESTED)", waiting);
        lists.put("Flagged", ledger.search(null, null, null, true, limit).stream()
                .map(a -> new Item(a, a.flagReason() == null ? "flagged" : a.flagReason())).toList());
        lists.put("Card authorisations near Antom's 7-day limit",
                ledger.authorisedBefore(now.minus(settings.authorisationAttentionAfter()), limit).stream()
                        .map(a -> new Item(a, "authorised " + ago(a.paidAt(), now) + " ago; Antom releases it "
                                + when(a.authorisationReleasedAt(), now) + ": capture or cancel it"))
                        .toList());
        return lists;
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
