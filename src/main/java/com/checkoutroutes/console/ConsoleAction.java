package com.checkoutroutes.console;

import java.util.Locale;

/**
 * What an operator may do from the console. Each runs through the same rules as the routes (an action they do not
 * allow is refused with the rule's reason and changes nothing) and leaves an audit record ({@link ActionLog}).
 * A new action is a constant here, a case in {@link ConsoleActions#perform} and a button in the page it belongs to.
 */
public enum ConsoleAction {
    CHECK_WITH_ANTOM("Check with Antom now",
            "Ask Antom for this payment's status (inquiryPayment) and apply the answer as a notification would be."),
    CANCEL("Cancel the order's payments",
            "Cancel every payment of this order at Antom, as an ORDER_CANCELLED event would: what can still be"
                    + " cancelled is cancelled, a payment that can no longer be (captured, past its cancel window) is"
                    + " refunded in full, once. Refused while a capture is in progress."),
    REFUND("Refund the order's payment",
            "Give money back to the buyer through Antom's refund: the amount you enter, in the payment's currency, or"
                    + " all that is left if you leave it empty. Refused when nothing is captured or when all refunds"
                    + " would come to more than was captured."),
    GIVE_BACK("Give this second payment back",
            "Cancel this payment at Antom, or refund it in full where it can no longer be cancelled, as the service"
                    + " does by itself with a second successful payment of an order (flag DUPLICATE_PAYMENT), for one"
                    + " it could not give back (CANCEL_NOT_DONE), or did not while the order's own payment could still"
                    + " be cancelled (DUPLICATE_NOT_GIVEN_BACK: check that payment's cancel at Antom first; once the"
                    + " service records it done, it keeps this one as the order's own and withdraws its flags"
                    + " itself). Only for"
                    + " a paid payment that is not the order's own"
                    + " (its first successful one) and has no such refund yet: one refund per payment at most."),
    CLEAR_FLAG("Clear the flag",
            "Clear this payment's flag after looking into it; the flag and your reason stay in its history."),
    REDRIVE("Re-drive the dead letter",
            "Send the original message again, with its key, to the topic it was read from; its route reads it again"
                    + " with all its rules (a new refusal is a new dead letter)."),
    SEND_AGAIN("Send the channel message again",
            "POST this message, which its receiver refused (a 4xx that said it would never take it), to the same"
                    + " receiver again, once it has been fixed to take it: it leaves at once, after the order's later"
                    + " messages (refused while one of them is still to be delivered), and the receiver drops a copy"
                    + " by its X-Checkout-Event-Id. Refused again, it is kept REFUSED as before.");

    private final String label;
    private final String description;

    ConsoleAction(String label, String description) {
        this.label = label;
        this.description = description;
    }

    public String label() {
        return label;
    }

    public String description() {
        return description;
    }

    /** Its name in URLs: check-with-antom, cancel, refund, give-back, clear-flag, redrive, send-again. */
    public String slug() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The action a URL names; null for none. */
    public static ConsoleAction fromSlug(String slug) {
        for (ConsoleAction action : values()) {
            if (action.slug().equals(slug)) {
                return action;
            }
        }
        return null;
    }

    /** An operator must say why (kept in the audit record and, for a payment, its history). */
    public boolean needsReason() {
        return this == CANCEL || this == CLEAR_FLAG || this == REFUND || this == GIVE_BACK;
    }
}
