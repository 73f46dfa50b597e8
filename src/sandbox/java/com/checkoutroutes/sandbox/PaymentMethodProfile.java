package com.checkoutroutes.sandbox;

import java.time.Duration;
import java.util.List;

/**
 * What the sandbox knows about one payment method: where it works, whether it has a wallet app (decides which
 * continuation links come back), whether it shows a QR code on the web, its default expiry and cancel policy.
 */
public record PaymentMethodProfile(String type, String category, String region, List<String> currencies,
                                   String appIdentifier, String scheme, boolean qrOnWeb, Duration defaultExpiry,
                                   CancelPolicy cancelPolicy) {

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
