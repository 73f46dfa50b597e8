package com.checkoutroutes.console;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Currency;

/** How the console's pages write times and amounts: UTC to the second, amounts in major units with the currency. */
public final class ConsoleFormat {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'");

    public String time(OffsetDateTime at) {
        return at == null ? "" : TIME.format(at.withOffsetSameInstant(ZoneOffset.UTC));
    }

    /** {@code 1250}, {@code USD} -> {@code 12.50 USD}. */
    public String amount(long minorUnits, String currency) {
        int digits;
        try {
            digits = Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
        } catch (IllegalArgumentException e) {
            digits = 0;
        }
        return BigDecimal.valueOf(minorUnits, digits).toPlainString() + " " + currency;
    }

    /** At most {@code max} characters, saying how much was left out. */
    public String cut(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        return text.substring(0, max) + "\n... (" + (text.length() - max) + " more characters not shown)";
    }
}
