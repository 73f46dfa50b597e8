package com.checkoutroutes.orderintake;

import com.checkoutroutes.deadletter.RejectedOrderException.Violation;
import java.net.URI;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/** The order rules a JSON Schema cannot express, each with its own reason code. */
@Component
public class OrderRules {

    private static final Set<String> TERMINALS = Set.of("WEB", "WAP", "APP");
    /** Antom: "Do not use Chinese characters in the request field" (some methods, e.g. QRIS, reject them). */
    private static final Pattern CHINESE = Pattern.compile("[\\p{IsHan}\\u3000-\\u303F\\uFF00-\\uFFEF]");
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}&&[^\\t]]");

    private final Clock clock;

    public OrderRules(Clock clock) {
        this.clock = clock;
    }

    public List<Violation> check(OrderMessage order) {
        List<Violation> out = new ArrayList<>();
        String terminal = order.channel().terminalType();
        if (!TERMINALS.contains(terminal)) {
            out.add(new Violation("UNKNOWN_TERMINAL_TYPE", "$.channel.terminalType",
                    "terminalType must be WEB, WAP or APP, not " + terminal));
        } else if (!terminal.equals("WEB") && order.channel().osType() == null) {
            out.add(new Violation("MISSING_OS_TYPE", "$.channel.osType",
                    "osType (IOS or ANDROID) is required for " + terminal + ", as Antom asks"));
        }
        currency(order.amount().currency(), "$.amount.currency", out);
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
        text(order.orderId(), "$.orderId", out);
        text(order.description(), "$.description", out);
        if (order.buyer() != null) {
            text(order.buyer().referenceBuyerId(), "$.buyer.referenceBuyerId", out);
        }
        resultPage(order.resultPageUrl(), out);
        expiry(order.paymentExpiryTime(), out);
        return out;
    }

    private static void currency(String code, String field, List<Violation> out) {
        try {
            Currency.getInstance(code);
        } catch (IllegalArgumentException | NullPointerException e) {
            out.add(new Violation("INVALID_CURRENCY", field, code + " is not an ISO 4217 currency"));
        }
    }

    private static void text(String value, String field, List<Violation> out) {
        if (value == null) {
            return;
        }
        if (CHINESE.matcher(value).find()) {
            out.add(new Violation("FORBIDDEN_CHARACTERS", field,
                    "Chinese characters are not allowed in Antom request fields"));
        } else if (CONTROL.matcher(value).find()) {
            out.add(new Violation("FORBIDDEN_CHARACTERS", field, "control characters are not allowed"));
        }
    }

    private static void resultPage(String url, List<Violation> out) {
        try {
            URI uri = new URI(url);
            if (!uri.isAbsolute()) {
                out.add(new Violation("INVALID_RESULT_PAGE_URL", "$.resultPageUrl", "resultPageUrl must be absolute"));
            }
        } catch (Exception e) {
            out.add(new Violation("INVALID_RESULT_PAGE_URL", "$.resultPageUrl", "resultPageUrl is not a URL"));
        }
    }

    private void expiry(String value, List<Violation> out) {
        if (value == null) {
            return;
        }
        try {
            if (!OffsetDateTime.parse(value).isAfter(OffsetDateTime.now(clock))) {
                out.add(new Violation("INVALID_EXPIRY", "$.paymentExpiryTime", "paymentExpiryTime is in the past"));
            }
        } catch (DateTimeParseException e) {
            out.add(new Violation("INVALID_EXPIRY", "$.paymentExpiryTime",
                    "paymentExpiryTime must be ISO-8601 with an offset, e.g. 2026-11-22T10:00:00+08:00"));
        }
    }
}
