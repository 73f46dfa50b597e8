package com.checkoutroutes.sandbox;

import java.time.Duration;
import java.util.List;

/**
 * What the sandbox knows about one payment method: where it works, whether it has a wallet app (decides which
 * continuation links come back), whether it shows a QR code on the web, its default expiry, cancel and refund policy.
 */
public record PaymentMethodProfile(String type, String category, String region, List<String> currencies,
                                   String appIdentifier, String scheme, boolean qrOnWeb, Duration defaultExpiry,
                                   CancelPolicy cancelPolicy, RefundPolicy refundPolicy) {

    /**
     * The refund rules the docs name per method (refund rules: "refund not supported", "partial refund not
     * supported", refunds only within a period after payment): {@code window} null = no refunds at all.
     */
    public record RefundPolicy(Duration window, boolean partial) {

        /** Refunds of any part, as often as the total allows, within {@code window} of the payment. */
        public static RefundPolicy partialWithin(Duration window) {
            return new RefundPolicy(window, true);
        }

        /** One refund of the whole amount, within {@code window} of the payment. */
        public static RefundPolicy fullOnlyWithin(Duration window) {
            return new RefundPolicy(window, false);
        }

        public static RefundPolicy notSupported() {
            return new RefundPolicy(null, false);
        }

        public boolean supported() {
            return window != null;
        }
    }

    /** Cancel windows from the cancel doc (cashierpay/cancel). */
    public enum CancelPolicy {
        /** Cards: up to 7 days after the payment succeeded, never after capture. */
        CARD_SEVEN_DAYS,
        /** Most methods: until 00:15 (UTC+8) on the day after the transaction day. */
        UNTIL_0015_NEXT_DAY,
        /** Indonesia-based methods and JKOPay: no cancellation. */
        NOT_ALLOWED
    }

    public boolean isCard() {
        return "CARD".equals(type);
    }

    public boolean hasApp() {
        return appIdentifier != null;
    }

    public boolean supportsCurrency(String currency) {
        return currencies.contains(currency);
    }
}
