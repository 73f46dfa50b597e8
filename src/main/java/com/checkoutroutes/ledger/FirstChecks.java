package com.checkoutroutes.ledger;

import java.time.Duration;

/**
 * How long after an attempt enters a state the janitor first asks Antom about it
 * ({@code checkout.janitor.first-check.*}, by {@link PaymentState#firstCheck()}). The ledger schedules that first
 * check as it writes the state, so that the janitor's selection finds only attempts due for an inquiry: a look of its
 * own only to schedule a new attempt took a place of its paced batch per order, and above 16 new payments a second
 * those looks alone outgrew it.
 */
public interface FirstChecks {

    /** The first check's delay in {@code state}; null: none scheduled (the janitor schedules it at its first look). */
    Duration after(PaymentState state);

    /** No first check scheduled by the ledger. */
    FirstChecks NONE = state -> null;
}
