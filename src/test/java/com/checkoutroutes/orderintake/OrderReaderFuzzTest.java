package com.checkoutroutes.orderintake;

import static org.assertj.core.api.Assertions.assertThat;

import com.checkoutroutes.deadletter.RejectedOrderException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes {@link OrderReader#read(byte[])} with seeded mutations of a valid order (truncation, byte noise, wrong
 * types, unknown and missing fields, huge and deeply nested payloads, other encodings): every input either becomes
 * an order or is rejected with a reason code, never any other exception. A failure prints the seed and the input.
 */
class OrderReaderFuzzTest {

    private static final String VALID = "{\"orderId\":\"ORD-1\",\"attempt\":1,\"amount\":{\"currency\":\"USD\",\"value\":\"1250\"},"
            + "\"description\":\"Two cups of coffee\",\"paymentMethodType\":\"ALIPAY_CN\",\"integration\":\"API\","
            + "\"channel\":{\"terminalType\":\"WEB\",\"clientIp\":\"203.0.113.7\"},\"buyer\":{\"referenceBuyerId\":\"b-42\"},"
            + "\"resultPageUrl\":\"https://shop.example/orders/ORD-1/result\",\"paymentExpiryTime\":\"2026-11-23T10:00:00+08:00\"}";
    private static final List<String> ODD_VALUES = List.of("null", "true", "0", "-1", "1e309", "12.50", "\"\"", "[]",
            "{}", "[[[[]]]]", "\"\\u0000\"", "\"\\ud800\"", "\"日本語の説明\"", "\"" + "x".repeat(5000) + "\"",
            "99999999999999999999999999", "\"NaN\"", "\"-0\"", "\"1250 \"", "{\"$ref\":\"#\"}");

    /** Before the valid order's paymentExpiryTime, whenever the test runs. */
    private static final Clock NOW = Clock.fixed(Instant.parse("2026-11-22T02:00:00Z"), ZoneOffset.UTC);

    private final ObjectMapper json = JsonMapper.builder().findAndAddModules().build();
    private final OrderReader reader = new OrderReader(json, new OrderRules(NOW, TestOrderRules.SETTINGS), new OrderIntakeSettings(
            new OrderIntakeSettings.Orders(3, 50, 65536, "config/schemas/order.schema.json", 2000, 16, 2000, 100, true,
                    100, 20000), null));

    @Test
    void theValidOrderParses() {
        assertThat(reader.read(VALID.getBytes(StandardCharsets.UTF_8)).orderId()).isEqualTo("ORD-1");
    }

    @Test
    void everyMalformedOrderIsAnOrderOrARejectionWithAReason() {
        long seed = Long.getLong("fuzz.seed", 20261122L);
        Random random = new Random(seed);
        int rejected = 0;
        for (int i = 0; i < Integer.getInteger("fuzz.cases", 3000); i++) {
            byte[] input = mutate(random);
            try {
                assertThat(reader.read(input)).isNotNull();
            } catch (RejectedOrderException e) {
                assertThat(e.reason().code()).as("reason code for %s", show(input)).isNotBlank();
                rejected++;
            } catch (Throwable e) {
                throw new AssertionError("seed " + seed + " case " + i + ": " + e + " for " + show(input), e);
            }
        }
        assertThat(rejected).isPositive();
    }

    private byte[] mutate(Random random) {
        byte[] valid = VALID.getBytes(StandardCharsets.UTF_8);
        return switch (random.nextInt(9)) {
            case 0 -> java.util.Arrays.copyOf(valid, random.nextInt(valid.length));
            case 1 -> noise(valid, random);
            case 2 -> replaceValue(random).getBytes(StandardCharsets.UTF_8);
            case 3 -> VALID.replaceFirst("\"" + field(random) + "\":", "\"" + field(random) + "x\":").getBytes(StandardCharsets.UTF_8);
            case 4 -> VALID.substring(0, VALID.length() - 1).concat(",\"extra\":" + odd(random) + "}").getBytes(StandardCharsets.UTF_8);
            case 5 -> huge(random);
            case 6 -> VALID.getBytes(random.nextBoolean() ? StandardCharsets.UTF_16 : StandardCharsets.UTF_16LE);
            case 7 -> withInvalidUtf8(valid, random);
            default -> odd(random).getBytes(StandardCharsets.UTF_8);
        };
    }

    private static String field(Random random) {
        List<String> fields = List.of("orderId", "attempt", "amount", "currency", "value", "description",
                "paymentMethodType", "integration", "channel", "terminalType", "clientIp", "buyer", "resultPageUrl",
                "paymentExpiryTime");
        return fields.get(random.nextInt(fields.size()));
    }

    private static String odd(Random random) {
        return ODD_VALUES.get(random.nextInt(ODD_VALUES.size()));
    }

    /** A field's value replaced by something of another type or shape. */
    private static String replaceValue(Random random) {
        String field = field(random);
        return VALID.replaceFirst("(\"" + field + "\":)(\"[^\"]*\"|\\d+|\\{[^}]*\\})",
                java.util.regex.Matcher.quoteReplacement("\"" + field + "\":" + odd(random)));
    }

    private static byte[] noise(byte[] valid, Random random) {
        byte[] copy = valid.clone();
        for (int n = 1 + random.nextInt(4); n > 0; n--) {
            copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
        }
        return copy;
    }

    private static byte[] withInvalidUtf8(byte[] valid, Random random) {
        byte[] copy = valid.clone();
        int at = VALID.indexOf("Two cups");
        copy[at + random.nextInt(8)] = (byte) (0x80 + random.nextInt(0x40)); // a lone continuation byte
        return copy;
    }

    private static byte[] huge(Random random) {
        return switch (random.nextInt(3)) {
            case 0 -> VALID.replace("Two cups of coffee", "x".repeat(70_000)).getBytes(StandardCharsets.UTF_8);
            case 1 -> ("[".repeat(5000) + "]".repeat(5000)).getBytes(StandardCharsets.UTF_8);
            default -> VALID.replace("\"Two cups of coffee\"", "\"" + "é".repeat(20_000) + "\"").getBytes(StandardCharsets.UTF_8);
        };
    }

    private static String show(byte[] input) {
        String text = input.length > 300 ? "(" + input.length + " bytes) " : "";
        return text + "base64:" + Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(input, Math.min(input.length, 300)));
    }
}
