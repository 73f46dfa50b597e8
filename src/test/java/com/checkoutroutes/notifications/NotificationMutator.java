package com.checkoutroutes.notifications;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Seeded mutations of one valid notification body: truncation, byte flips, a field's value swapped for another type,
 * deleted or repeated keys, huge strings, deep nesting, odd numbers, unusual unicode, other encodings. Three in four
 * are re-signed (so they reach the parser and the ledger), the rest keep the valid body's signature (so only the
 * signature check stands between them and the ledger).
 */
final class NotificationMutator {

    /** One generated input; {@code resigned} false means it travels with the valid body's signature. */
    record Mutation(String kind, byte[] body, boolean resigned) {

        boolean sameAs(byte[] valid) {
            return Arrays.equals(body, valid);
        }

        /** How a failure shows the input: its printable start, and base64 of the exact bytes (first 2000). */
        String show() {
            byte[] head = Arrays.copyOf(body, Math.min(body.length, 2000));
            // printable ASCII only, so the report stays readable XML; the base64 is exact
            String text = new String(head, StandardCharsets.UTF_8).replaceAll("[^\\x20-\\x7E]", "?");
            return kind + (resigned ? " (re-signed)" : " (original signature)") + ", " + body.length + " bytes: "
                    + (text.length() > 300 ? text.substring(0, 300) + "..." : text)
                    + "\n  base64: " + Base64.getEncoder().encodeToString(head);
        }
    }

    private static final List<String> FIELDS = List.of("notifyType", "result", "resultCode", "resultStatus",
            "resultMessage", "paymentRequestId", "paymentId", "paymentAmount", "currency", "value",
            "paymentCreateTime", "paymentTime");
    private static final List<String> ODD_VALUES = List.of("null", "true", "0", "-0", "1e309", "-1e309", "1E-400",
            "12.50", "99999999999999999999999999", "\"\"", "[]", "{}", "[\"S\"]", "{\"value\":\"1\"}", "\"S\"", "\"F\"",
            "\"U\"", "\"PAYMENT_RESULT\"", "\"CAPTURE_RESULT\"", "\"PAYMENT_PENDING\"", "\"\\u0000\"", "\"\\ud800\"",
            "\"日本語\"", "\"\\u202e\"", "\"😀\"", "\"\\uffff\"", "NaN", "0x10", "\"1250\"", "\"USD\"", "\"usd\"");
    private static final List<String> ODD_TEXT = List.of("\\u0000", "\\ud800", "\\udc00\\ud800", "日本語", "\\u202e",
            "😀", "\\uffff", "\u00e9", "\\\"", "\\\\", "\\n", "%00", "' OR 1=1 --", "\u200b");

    private final String valid;
    private final byte[] validBytes;

    NotificationMutator(String valid) {
        this.valid = valid;
        this.validBytes = valid.getBytes(StandardCharsets.UTF_8);
    }

    Mutation next(Random random) {
        boolean resign = random.nextInt(4) != 0;
        return switch (random.nextInt(11)) {
            case 0 -> new Mutation("truncated", Arrays.copyOf(validBytes, random.nextInt(validBytes.length)), resign);
            case 1 -> new Mutation("byte flips", flips(random), resign);
            case 2 -> text("type swap", swapValue(random), resign);
            case 3 -> text("field deleted", deleteField(random), resign);
            case 4 -> text("key repeated", repeatKey(random), resign);
            case 5 -> text("huge string", hugeString(random), resign);
            case 6 -> text("deep nesting", extra(nested(1 + random.nextInt(3000)), random), resign);
            case 7 -> text("odd value added", extra(pick(ODD_VALUES, random), random), resign);
            case 8 -> text("unicode", unicode(random), resign);
            case 9 -> new Mutation("other encoding", encoded(random), resign);
            default -> text("value changed", changeValue(random), resign);
        };
    }

    private static Mutation text(String kind, String body, boolean resign) {
        return new Mutation(kind, body.getBytes(StandardCharsets.UTF_8), resign);
    }

    private byte[] flips(Random random) {
        byte[] copy = validBytes.clone();
        for (int n = 1 + random.nextInt(4); n > 0; n--) {
            copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
        }
        return copy;
    }

    /** A field's value (string, number or object) replaced by something of another type or shape. */
    private String swapValue(Random random) {
        String field = pick(FIELDS, random);
        Matcher m = Pattern.compile("\"" + field + "\":(\"[^\"]*\"|-?\\d+|\\{[^}]*\\})").matcher(valid);
        return m.find() ? valid.substring(0, m.start(1)) + pick(ODD_VALUES, random) + valid.substring(m.end(1)) : valid;
    }

    private String deleteField(Random random) {
        String field = pick(FIELDS, random);
        return valid.replaceFirst(",?\"" + field + "\":(\"[^\"]*\"|-?\\d+|\\{[^}]*\\})", "").replace("{,", "{");
    }

    /** The same key twice in one object, with another value first: which one counts depends on the parser. */
    private String repeatKey(Random random) {
        String field = pick(List.of("resultStatus", "resultCode", "paymentRequestId", "paymentId", "notifyType",
                "value"), random);
        return valid.replaceFirst("\"" + field + "\":", Matcher.quoteReplacement("\"" + field + "\":"
                + pick(ODD_VALUES, random) + ",\"" + field + "\":"));
    }

    private String hugeString(Random random) {
        int[] sizes = {65, 300, 600, 5_000, 60_000, 70_000};
        String huge = "x".repeat(sizes[random.nextInt(sizes.length)]);
        String field = pick(List.of("resultMessage", "resultCode", "paymentRequestId", "paymentId", "notifyType",
                "paymentTime"), random);
        return valid.replaceFirst("(\"" + field + "\":\")[^\"]*\"", "$1" + huge + "\"");
    }

    private static String nested(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    /** An extra field (unknown to us, or one Antom sends that we ignore) holding {@code value}. */
    private String extra(String value, Random random) {
        String name = random.nextBoolean() ? "extra" : "promotionResult";
        return valid.substring(0, valid.length() - 1) + ",\"" + name + "\":" + value + "}";
    }

    private String unicode(Random random) {
        String field = pick(List.of("resultMessage", "resultCode", "paymentRequestId", "paymentId", "notifyType",
                "currency", "value", "resultStatus"), random);
        return valid.replaceFirst("(\"" + field + "\":\")", "$1" + Matcher.quoteReplacement(pick(ODD_TEXT, random)));
    }

    private byte[] encoded(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> valid.getBytes(StandardCharsets.UTF_16);
            case 1 -> valid.getBytes(StandardCharsets.UTF_16LE);
            case 2 -> valid.replace("success", "réussi").getBytes(StandardCharsets.ISO_8859_1);
            default -> ("\uFEFF" + valid).getBytes(StandardCharsets.UTF_8);
        };
    }

    /** A plausible value changed: another status, code, type, id or amount (mostly still a valid notification). */
    private String changeValue(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> valid.replace("\"resultStatus\":\"S\"", "\"resultStatus\":" + pick(List.of("\"F\"", "\"U\"",
                    "\"s\"", "\"SS\""), random));
            case 1 -> valid.replace("\"notifyType\":\"PAYMENT_RESULT\"", "\"notifyType\":" + pick(List.of(
                    "\"PAYMENT_PENDING\"", "\"CAPTURE_RESULT\"", "\"payment_result\"", "\"REFUND_RESULT\"", "\"\""), random));
            case 2 -> valid.replace("\"resultCode\":\"SUCCESS\"", "\"resultCode\":\"" + pick(List.of("PROCESS_FAIL",
                    "ORDER_IS_CLOSED", "", "SUCCESS "), random) + "\"");
            case 3 -> valid.replaceFirst("\"value\":\"\\d+\"", "\"value\":\"" + pick(List.of("0", "1", "0001250",
                    "-1250", "9223372036854775807", "18446744073709551616"), random) + "\"");
            default -> valid.replaceFirst("\"paymentRequestId\":\"", "\"paymentRequestId\":\"other-");
        };
    }

    private static String pick(List<String> values, Random random) {
        return values.get(random.nextInt(values.size()));
    }
}
