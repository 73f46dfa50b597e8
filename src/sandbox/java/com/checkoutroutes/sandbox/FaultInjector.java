package com.checkoutroutes.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/** Holds the active fault rules and hands each out as many times as it was asked for. */
public final class FaultInjector {

    private static final class Active {
        final FaultRule rule;
        int remaining;

        Active(FaultRule rule) {
            this.rule = rule;
            this.remaining = rule.times();
        }
    }

    private final List<Active> rules = new ArrayList<>();
    private final List<FaultRule> runWide = new ArrayList<>();

    /** Faults configured for the whole run (settings); they survive {@link #clear()}. */
    public FaultInjector(String runWideFaultsJson) {
        if (runWideFaultsJson != null && !runWideFaultsJson.isBlank()) {
            JsonNode array = Json.parse(runWideFaultsJson);
            for (JsonNode node : array.isArray() ? array : Json.array().add(array)) {
                runWide.add(FaultRule.fromJson(node).withTimes(0));
            }
        }
        clear();
    }

    public synchronized void add(FaultRule rule) {
        rules.add(new Active(rule));
    }

    public synchronized void clear() {
        rules.clear();
        runWide.forEach(rule -> rules.add(new Active(rule)));
    }

    public synchronized List<FaultRule> active() {
        return rules.stream().map(a -> a.rule).toList();
    }

    /** Takes the first API fault matching this call, if any. */
    public synchronized Optional<FaultRule> takeApiFault(String api, String paymentRequestId) {
        return take(rule -> !rule.type().isNotificationFault()
                && (rule.api() == null || rule.api().equalsIgnoreCase(api))
                && matchesRequest(rule, paymentRequestId));
    }

    /** Takes a notification fault of this type for this payment, if any. */
    public synchronized boolean takeNotificationFault(FaultType type, String paymentRequestId) {
        return take(rule -> rule.type() == type && matchesRequest(rule, paymentRequestId)).isPresent();
    }

    private static boolean matchesRequest(FaultRule rule, String paymentRequestId) {
        return rule.paymentRequestId() == null || rule.paymentRequestId().equals(paymentRequestId);
    }

    private Optional<FaultRule> take(java.util.function.Predicate<FaultRule> matches) {
        Iterator<Active> it = rules.iterator();
        while (it.hasNext()) {
            Active active = it.next();
            if (matches.test(active.rule)) {
                if (active.remaining > 0 && --active.remaining == 0) {
                    it.remove();
                }
                return Optional.of(active.rule);
            }
        }
        return Optional.empty();
    }
}
