package com.checkoutroutes.gateway;

import java.util.regex.Pattern;

/**
 * What a free-text field of a request to Antom may hold. Antom: "Do not use Chinese characters in the request field
 * to avoid incompatible payment methods, such as QRIS and Mastercard"; control characters and invisible format
 * characters (bidi overrides, zero-width ones) make a text read differently than it is.
 */
public final class AntomText {

    private static final Pattern CHINESE = Pattern.compile("[\\p{IsHan}\\u3000-\\u303F\\uFF00-\\uFFEF]");
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}&&[^\\t]]");
    /**
     * Invisible format characters: bidi overrides and isolates (U+202A-U+202E, U+2066-U+2069), zero-width ones
     * (U+200B-U+200F, U+2060, U+FEFF) and the rest of Unicode's Cf.
     */
    private static final Pattern INVISIBLE = Pattern.compile("\\p{Cf}");

    private AntomText() {
    }

    public static boolean hasChinese(String value) {
        return CHINESE.matcher(value).find();
    }

    public static boolean hasControl(String value) {
        return CONTROL.matcher(value).find();
    }

    public static boolean hasInvisible(String value) {
        return INVISIBLE.matcher(value).find();
    }

    /** Whether every payment method takes the text as it is. */
    public static boolean fitsEveryMethod(String value) {
        return !hasChinese(value) && !hasControl(value) && !hasInvisible(value);
    }

    /** At most {@code max} chars, never cutting a character in two (a surrogate pair). */
    public static String cut(String value, int max) {
        if (value.length() <= max) {
            return value;
        }
        int end = Character.isHighSurrogate(value.charAt(max - 1)) ? max - 1 : max;
        return value.substring(0, end);
    }
}
