package com.checkoutroutes.orderintake;

import com.checkoutroutes.deadletter.RejectedOrderException.Violation;
import com.checkoutroutes.gateway.AntomText;
import java.net.URI;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/** The order rules a JSON Schema cannot express, each with its own reason code. */
@Component
public class OrderRules {

    private static final Set<String> TERMINALS = Set.of("WEB", "WAP", "APP");
    /** "." and ".." name the current and parent folder in the order's lookup URL ({payments-path}/{orderId}). */
    private static final Pattern DOTS_ONLY = Pattern.compile("\\.+");

    private final Clock clock;
    private final OrderRulesSettings settings;

    public OrderRules(Clock clock, OrderRulesSettings settings) {
        this.clock = clock;
        this.settings = settings;
    }

    public List<Violation> check(OrderMessage order) {
        return check(order, true);
    }

    /**
     * {@link #check} without the rules that move with time or settings (the amount limit, the result page's schemes,
     * the expiry): an order whose attempt the ledger has passed them when it was stored, and read again it is that
     * attempt. The others still hold: a repeat breaking one is refused with its own reason.
     */
    public List<Violation> checkStored(OrderMessage order) {
        return check(order, false);
    }

    private List<Violation> check(OrderMessage order, boolean movingRules) {
        List<Violation> out = new ArrayList<>();
        String terminal = order.channel().terminalType();
        if (!TERMINALS.contains(terminal)) {
            out.add(new Violation("UNKNOWN_TERMINAL_TYPE", "$.channel.terminalType",
                    "terminalType must be WEB, WAP or APP, not " + terminal));
        } else if (!terminal.equals("WEB") && order.channel().osType() == null) {
            out.add(new Violation("MISSING_OS_TYPE", "$.channel.osType",
                    "osType (IOS or ANDROID) is required for " + terminal + ", as Antom asks"));
        }
        if (currency(order.amount().currency(), "$.amount.currency", out) && movingRules) {
            amount(order.amount(), out);
        }
        if (order.settlementCurrency() != null) {
            currency(order.settlementCurrency(), "$.settlementCurrency", out);
        }
        if (order.captureMode() != null && !order.isCard()) {
            out.add(new Violation("CAPTURE_MODE_NOT_CARD", "$.captureMode",
                    "captureMode applies to CARD payments only"));
        }
        if (order.paymentMethodType() == null && order.integration() != null
                && order.integration().name().equals("SDK")) {
            out.add(new Violation("MISSING_FIELD", "$.paymentMethodType",
                    "an SDK payment session needs a paymentMethodType"));
        }
        if (order.orderId() != null && DOTS_ONLY.matcher(order.orderId()).matches()) {
            out.add(new Violation("INVALID_ORDER_ID", "$.orderId", "an orderId of dots only is a path, not an id"));
        }
        text(order.orderId(), "$.orderId", out);
        text(order.description(), "$.description", out);
        text(order.channel().clientIp(), "$.channel.clientIp", out);
        if (order.buyer() != null) {
            text(order.buyer().referenceBuyerId(), "$.buyer.referenceBuyerId", out);
        }
        if (movingRules) {
            resultPage(order.resultPageUrl(), order.channel().terminalType(), out);
            expiry(order.paymentExpiryTime(), order.paymentMethodType(), out);
        }
        return out;
    }

    /**
     * An ISO 4217 currency one can pay in: the JDK knows it and it has minor units. That leaves out XXX (no
     * currency), XTS (testing), the metals (XAU, XAG, XPT, XPD) and the funds units (XDR, XBA...), which have none.
     */
    private static boolean currency(String code, String field, List<Violation> out) {
        try {
            if (Currency.getInstance(code).getDefaultFractionDigits() >= 0) {
                return true;
            }
        } catch (IllegalArgumentException | NullPointerException e) {
            // not a code the JDK knows
        }
        out.add(new Violation("INVALID_CURRENCY", field, code + " is not an ISO 4217 currency one can pay in"));
        return false;
    }

    private void amount(OrderMessage.Money amount, List<Violation> out) {
        long limit = settings.maxAmount(amount.currency());
        // the schema allows at most 16 digits, so the value fits a long
        if (amount.value() != null && amount.value().matches("[0-9]{1,18}") && Long.parseLong(amount.value()) > limit) {
            out.add(new Violation("AMOUNT_TOO_LARGE", "$.amount.value",
                    "more than the limit of " + limit + " minor units for " + amount.currency()));
        }
    }

    private static void text(String value, String field, List<Violation> out) {
        if (value == null) {
            return;
        }
        if (AntomText.hasChinese(value)) {
            out.add(new Violation("FORBIDDEN_CHARACTERS", field,
                    "Chinese characters are not allowed in Antom request fields"));
        } else if (AntomText.hasControl(value)) {
            out.add(new Violation("FORBIDDEN_CHARACTERS", field, "control characters are not allowed"));
        } else if (AntomText.hasInvisible(value)) {
            out.add(new Violation("FORBIDDEN_CHARACTERS", field,
                    "bidi controls and zero-width characters are not allowed"));
        }
    }

    /**
     * Antom sends the buyer there (paymentRedirectUrl): https, or one of our apps' schemes for an APP order; never
     * javascript:, data: or plain http. ASCII only, as a URL is: java.net.URI takes a Chinese path, which Antom
     * forbids in its request fields (methods such as QRIS and Mastercard refuse it), so other characters come
     * percent-encoded.
     */
    private void resultPage(String url, String terminalType, List<Violation> out) {
        if (url != null && !url.chars().allMatch(c -> c >= ' ' && c < 0x7f)) {
            out.add(new Violation("INVALID_RESULT_PAGE_URL", "$.resultPageUrl",
                    "resultPageUrl must be printable ASCII: percent-encode other characters"));
            return;
        }
        try {
            URI uri = new URI(url);
            if (!uri.isAbsolute()) {
                out.add(new Violation("INVALID_RESULT_PAGE_URL", "$.resultPageUrl", "resultPageUrl must be absolute"));
            } else if (!settings.resultPageSchemes().contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
                out.add(new Violation("INVALID_RESULT_PAGE_URL", "$.resultPageUrl",
                        "resultPageUrl must be one of " + settings.resultPageSchemes() + ", not " + uri.getScheme()));
            } else if (uri.getScheme().equalsIgnoreCase("https") && uri.getHost() == null) {
                out.add(new Violation("INVALID_RESULT_PAGE_URL", "$.resultPageUrl", "resultPageUrl has no host"));
            } else if (!uri.getScheme().equalsIgnoreCase("https") && !"APP".equals(terminalType)) {
                // a browser, on a PC above all, opens no app's scheme: the buyer would be left on Antom's page
                out.add(new Violation("INVALID_RESULT_PAGE_URL", "$.resultPageUrl", "resultPageUrl of a "
                        + terminalType + " order is https: an app's own scheme is for APP orders"));
            }
        } catch (Exception e) {
            out.add(new Violation("INVALID_RESULT_PAGE_URL", "$.resultPageUrl", "resultPageUrl is not a URL"));
        }
    }

    private void expiry(String value, String paymentMethodType, List<Violation> out) {
        if (value == null) {
            return;
        }
        try {
            OffsetDateTime expiry = OffsetDateTime.parse(value);
            OffsetDateTime now = OffsetDateTime.now(clock);
            if (!expiry.isAfter(now)) {
                out.add(new Violation("INVALID_EXPIRY", "$.paymentExpiryTime", "paymentExpiryTime is in the past"));
            } else if (expiry.isAfter(now.plus(settings.maxPaymentExpiry()))) {
                // also keeps years PostgreSQL cannot store (+999999) from failing the order's write over and over
                out.add(new Violation("INVALID_EXPIRY", "$.paymentExpiryTime",
                        "paymentExpiryTime is more than " + settings.maxPaymentExpiry().toDays()
                                + " days ahead (checkout.order-rules.max-payment-expiry)"));
            } else if (paymentMethodType != null) {
                settings.methodMaxExpiry(paymentMethodType).filter(limit -> !expiry.isBefore(now.plus(limit)))
                        .ifPresent(limit -> out.add(new Violation("INVALID_EXPIRY", "$.paymentExpiryTime",
                                "paymentExpiryTime must be less than " + limit.toMinutes() + " minutes ahead for "
                                        + paymentMethodType
                                        + " (Antom's limit; checkout.order-rules.method-max-expiry)")));
            }
        } catch (DateTimeParseException e) {
            out.add(new Violation("INVALID_EXPIRY", "$.paymentExpiryTime",
                    "paymentExpiryTime must be ISO-8601 with an offset, e.g. 2026-11-22T10:00:00+08:00"));
        }
    }
}
