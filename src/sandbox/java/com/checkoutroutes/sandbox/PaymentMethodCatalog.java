package com.checkoutroutes.sandbox;

import com.checkoutroutes.sandbox.PaymentMethodProfile.CancelPolicy;
import com.checkoutroutes.sandbox.PaymentMethodProfile.RefundPolicy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The static list of methods the sandbox offers (consult) and accepts (pay). */
public final class PaymentMethodCatalog {

    private static final Duration WALLET_EXPIRY = Duration.ofMinutes(14);
    private static final Duration CARD_EXPIRY = Duration.ofDays(7);
    /** Antom's methods list gives most wallets (AlipayCN, GCash...) a 365-day refund period with partial refunds. */
    private static final RefundPolicy YEAR_PARTIAL = RefundPolicy.partialWithin(Duration.ofDays(365));

    private final Map<String, PaymentMethodProfile> methods = new LinkedHashMap<>();

    public PaymentMethodCatalog() {
        // Cross-border wallets also accept USD/EUR orders (Antom converts); local-only ones do not.
        wallet("ALIPAY_CN", "CN", List.of("CNY", "USD", "EUR", "HKD", "SGD", "JPY", "GBP"),
                "com.eg.android.AlipayGphone", "alipays://", CancelPolicy.UNTIL_0015_NEXT_DAY);
        wallet("ALIPAY_HK", "HK", List.of("HKD", "USD"), "hk.alipay.wallet", "alipayhk://",
                CancelPolicy.UNTIL_0015_NEXT_DAY);
        wallet("GCASH", "PH", List.of("PHP", "USD"), "com.globe.gcash.android", "gcash://",
                CancelPolicy.UNTIL_0015_NEXT_DAY);
        // the sandbox's stand-in for "partial refund not supported" (the docs' rule; real methods: Antom's list)
        wallet("DANA", "ID", List.of("IDR"), "id.dana", "dana://", CancelPolicy.NOT_ALLOWED,
                RefundPolicy.fullOnlyWithin(Duration.ofDays(365)));
        wallet("KAKAOPAY", "KR", List.of("KRW", "USD"), "com.kakao.talk", "kakaotalk://",
                CancelPolicy.UNTIL_0015_NEXT_DAY);
        wallet("TRUEMONEY", "TH", List.of("THB", "USD"), "th.co.truemoney.wallet", "ascendmoney://",
                CancelPolicy.UNTIL_0015_NEXT_DAY);
        wallet("TNG", "MY", List.of("MYR", "USD"), "my.com.tngdigital.ewallet", "tngdwallet://",
                CancelPolicy.UNTIL_0015_NEXT_DAY);
        // A bank redirect: no app, no QR code, only the bank's web page.
        add(new PaymentMethodProfile("IDEAL", "ONLINE_BANKING", "NL", List.of("EUR"), null, null, false,
                WALLET_EXPIRY, CancelPolicy.UNTIL_0015_NEXT_DAY, YEAR_PARTIAL));
        // the sandbox's stand-in for "refund not supported"
        add(new PaymentMethodProfile("ONLINEBANKING_FPX", "ONLINE_BANKING", "MY", List.of("MYR"), null, null, false,
                WALLET_EXPIRY, CancelPolicy.UNTIL_0015_NEXT_DAY, RefundPolicy.notSupported()));
        // Cash at a convenience store: the buyer's slip is valid for 7 days, Antom's default timeout; no refunds
        add(new PaymentMethodProfile("KONBINI", "OTC", "JP", List.of("JPY"), null, null, false, Duration.ofDays(7),
                CancelPolicy.UNTIL_0015_NEXT_DAY, RefundPolicy.notSupported()));
        add(new PaymentMethodProfile("CARD", "CARD", "GLOBAL",
                List.of("USD", "EUR", "GBP", "HKD", "SGD", "JPY", "KRW", "CNY", "AUD", "PHP", "MYR", "THB"),
                null, null, false, CARD_EXPIRY, CancelPolicy.CARD_SEVEN_DAYS, YEAR_PARTIAL));
    }

    private void wallet(String type, String region, List<String> currencies, String app, String scheme,
                        CancelPolicy cancelPolicy) {
        wallet(type, region, currencies, app, scheme, cancelPolicy, YEAR_PARTIAL);
    }

    private void wallet(String type, String region, List<String> currencies, String app, String scheme,
                        CancelPolicy cancelPolicy, RefundPolicy refundPolicy) {
        add(new PaymentMethodProfile(type, "WALLET", region, currencies, app, scheme, true, WALLET_EXPIRY,
                cancelPolicy, refundPolicy));
    }

    private void add(PaymentMethodProfile profile) {
        methods.put(profile.type(), profile);
    }

    /** "For DANA and GCash, the payment expiration time can only be smaller than 14 minutes" (pay docs). */
    public static boolean capsExpiryAt14Minutes(String type) {
        return "DANA".equals(type) || "GCASH".equals(type);
    }

    public Optional<PaymentMethodProfile> find(String type) {
        return Optional.ofNullable(type == null ? null : methods.get(type));
    }

    public List<PaymentMethodProfile> all() {
        return List.copyOf(methods.values());
    }
}
