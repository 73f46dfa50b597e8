package com.checkoutroutes.orderintake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.checkoutroutes.deadletter.RejectedOrderException;
import com.checkoutroutes.deadletter.RejectedOrderException.Violation;
import com.checkoutroutes.ledger.PaymentAttempt.Integration;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * From the bytes of an order message to a checked order or its reasons, without Kafka: strict UTF-8, the size limit,
 * the JSON Schema in config/schemas and then {@link OrderRules} (OrderRulesTest has each rule). InvalidOrdersTest
 * keeps a few through the topic to the dead letters; OrderReaderFuzzTest throws thousands of mutations at it.
 */
class OrderReaderTest {

    private static final Clock NOW = Clock.fixed(Instant.parse("2026-11-22T02:00:00Z"), ZoneOffset.UTC);
    private static final String SCHEMA = "config/schemas/order.schema.json";

    private static final ObjectMapper json = JsonMapper.builder().findAndAddModules().build();
    /** Stateless, and loading the schema is most of the cost: one for the class. */
    private static final OrderReader reader = new OrderReader(json, new OrderRules(NOW, TestOrderRules.SETTINGS), limits(65536));

    @Test
    void aValidOrderBecomesTheOrderMessage() {
        OrderMessage order = reader.read(bytes(valid()));

        assertThat(order.orderId()).isEqualTo("ORD-1");
        assertThat(order.attempt()).isNull();
        assertThat(order.attemptNo()).isOne();
        assertThat(order.amount()).isEqualTo(new OrderMessage.Money("USD", "1250"));
        assertThat(order.integration()).isEqualTo(Integration.API);
        assertThat(order.channel()).isEqualTo(new OrderMessage.Channel("WEB", null, "203.0.113.7"));
        assertThat(order.buyer()).isEqualTo(new OrderMessage.Buyer("buyer-42"));
        assertThat(order.isCard()).isFalse();
        assertThat(order.effectiveCaptureMode()).isNull();
    }

    @Test
    void everyDocumentedFieldIsRead() {
        OrderMessage order = reader.read(bytes(variant(o -> {
            o.put("attempt", 3);
            o.put("paymentMethodType", "CARD");
            o.put("captureMode", "MANUAL");
            o.put("integration", "SDK");
            o.putObject("channel").put("terminalType", "APP").put("osType", "IOS");
            o.put("paymentExpiryTime", "2026-11-22T10:14:00+08:00");
            o.put("settlementCurrency", "HKD");
        })));

        assertThat(order.attemptNo()).isEqualTo(3);
        assertThat(order.isCard()).isTrue();
        assertThat(order.effectiveCaptureMode()).isEqualTo("MANUAL");
        assertThat(order.integration()).isEqualTo(Integration.SDK);
        assertThat(order.recipient().terminalType()).isEqualTo("APP");
        assertThat(order.recipient().osType()).isEqualTo("IOS");
        assertThat(order.paymentExpiryTime()).isEqualTo("2026-11-22T10:14:00+08:00");
        assertThat(order.settlementCurrency()).isEqualTo("HKD");
    }

    @Test
    void aCardWithoutCaptureModeIsCapturedAutomatically() {
        OrderMessage order = reader.read(bytes(variant(o -> o.put("paymentMethodType", "CARD"))));

        assertThat(order.effectiveCaptureMode()).isEqualTo("AUTOMATIC");
    }

    @Test
    void anEmptyMessage() {
        assertThat(reasons(new byte[0])).containsExactly("EMPTY_MESSAGE at null");
        assertThat(reasons((byte[]) null)).containsExactly("EMPTY_MESSAGE at null");
    }

    @Test
    void aMessageOverTheSizeLimitIsRefusedBeforeItIsParsed() {
        OrderReader small = new OrderReader(json, new OrderRules(NOW, TestOrderRules.SETTINGS), limits(64));
        byte[] order = bytes(valid());

        RejectedOrderException e = rejection(small, order);
        assertThat(e.reason().code()).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(e.reason().message()).isEqualTo(order.length + " bytes is more than the limit of 64");
        assertThat(reasons(small, "{".repeat(65).getBytes(StandardCharsets.UTF_8)))
                .as("not BAD_JSON: the size comes first").containsExactly("PAYLOAD_TOO_LARGE at null");
    }

    @Test
    void bytesThatAreNotUtf8() {
        byte[] latin1 = "{\"orderId\":\"ORD-1\",\"description\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);

        assertThat(reasons(latin1)).containsExactly("BAD_ENCODING at null");
    }

    @Test
    void textThatIsNotAJsonObject() {
        assertThat(reasons("{\"orderId\": \"ORD-1\", \"amount\": {\"curr")).containsExactly("BAD_JSON at null");
        assertThat(reasons("not json")).containsExactly("BAD_JSON at null");
        for (String notAnObject : List.of("[]", "\"ORD-1\"", "42", "null")) {
            assertThat(reasons(notAnObject)).as(notAnObject).containsExactly("BAD_JSON at $");
        }
    }

    @Test
    void missingFieldsAreNamedByTheirPath() {
        assertThat(reasons(variant(o -> o.remove("amount")))).containsExactly("MISSING_FIELD at $.amount");
        assertThat(reasons(variant(o -> o.remove("integration")))).containsExactly("MISSING_FIELD at $.integration");
        assertThat(reasons(variant(o -> ((ObjectNode) o.get("amount")).remove("value"))))
                .containsExactly("MISSING_FIELD at $.amount.value");
        assertThat(reasons(variant(o -> ((ObjectNode) o.get("channel")).remove("terminalType"))))
                .containsExactly("MISSING_FIELD at $.channel.terminalType");
    }

    @Test
    void unknownFieldsAreRefusedAtEveryLevel() {
        assertThat(reasons(variant(o -> o.put("coupon", "FREE")))).extracting(r -> r.split(" ")[0])
                .containsExactly("UNKNOWN_FIELD");
        assertThat(reasons(variant(o -> ((ObjectNode) o.get("channel")).put("browser", "Firefox"))))
                .containsExactly("UNKNOWN_FIELD at $.channel");
    }

    @Test
    void wrongTypes() {
        assertThat(reasons(variant(o -> o.put("attempt", "two")))).containsExactly("WRONG_TYPE at $.attempt");
        assertThat(reasons(variant(o -> o.put("description", 42)))).containsExactly("WRONG_TYPE at $.description");
        assertThat(reasons(variant(o -> o.put("amount", "12.50")))).containsExactly("WRONG_TYPE at $.amount");
    }

    @Test
    void amountsArePositiveMinorUnitsAsAString() {
        for (String value : List.of("12.50", "0", "-100", "0100", "1e3", "", "12345678901234567")) {
            assertThat(reasons(variant(o -> ((ObjectNode) o.get("amount")).put("value", value)))).as(value)
                    .containsExactly("INVALID_AMOUNT at $.amount.value");
        }
        assertThat(reasons(variant(o -> ((ObjectNode) o.get("amount")).put("value", 1250))))
                .as("a number, not a string").containsExactly("WRONG_TYPE at $.amount.value");
        assertThat(reader.read(bytes(variant(o -> ((ObjectNode) o.get("amount")).put("value", "100000000"))))
                .amount().value()).as("the USD limit itself").isEqualTo("100000000");
        assertThat(reasons(variant(o -> ((ObjectNode) o.get("amount")).put("value", "1234567890123456"))))
                .as("16 digits fit the schema, not the limit").containsExactly("AMOUNT_TOO_LARGE at $.amount.value");
    }

    @Test
    void currencies() {
        assertThat(reasons(variant(o -> ((ObjectNode) o.get("amount")).put("currency", "usd"))))
                .as("the schema's pattern").containsExactly("INVALID_CURRENCY at $.amount.currency");
        assertThat(reasons(variant(o -> o.put("settlementCurrency", "US"))))
                .containsExactly("INVALID_CURRENCY at $.settlementCurrency");
        assertThat(reasons(variant(o -> ((ObjectNode) o.get("amount")).put("currency", "XYZ"))))
                .as("the rules: not ISO 4217").containsExactly("INVALID_CURRENCY at $.amount.currency");
    }

    @Test
    void orderIds() {
        for (String id : List.of("", "ORD 1", "ORD/1", "x".repeat(65))) {
            // "" breaks both minLength and the pattern: one reason per schema keyword
            assertThat(reasons(variant(o -> o.put("orderId", id)))).as(id).isNotEmpty()
                    .containsOnly("INVALID_ORDER_ID at $.orderId");
        }
        assertThat(reader.read(bytes(variant(o -> o.put("orderId", "A.b_C-9")))).orderId()).isEqualTo("A.b_C-9");
    }

    @Test
    void otherValuesOutsideTheSchema() {
        assertThat(reasons(variant(o -> o.put("attempt", 0)))).containsExactly("INVALID_VALUE at $.attempt");
        assertThat(reasons(variant(o -> o.put("attempt", 100)))).containsExactly("INVALID_VALUE at $.attempt");
        assertThat(reasons(variant(o -> o.put("integration", "HOSTED"))))
                .containsExactly("INVALID_VALUE at $.integration");
        assertThat(reasons(variant(o -> o.put("paymentMethodType", "card"))))
                .containsExactly("INVALID_VALUE at $.paymentMethodType");
        assertThat(reasons(variant(o -> o.putObject("channel").put("terminalType", "WAP").put("osType", "WINDOWS"))))
                .containsExactly("INVALID_VALUE at $.channel.osType");
        assertThat(reasons(variant(o -> o.put("description", "")))).containsExactly("INVALID_VALUE at $.description");
    }

    @Test
    void theRulesComeAfterTheSchema() {
        assertThat(reasons(variant(o -> o.putObject("channel").put("terminalType", "KIOSK"))))
                .containsExactly("UNKNOWN_TERMINAL_TYPE at $.channel.terminalType");
        assertThat(reasons(variant(o -> o.putObject("channel").put("terminalType", "WAP"))))
                .containsExactly("MISSING_OS_TYPE at $.channel.osType");
        assertThat(reasons(variant(o -> o.put("description", "两杯咖啡"))))
                .containsExactly("FORBIDDEN_CHARACTERS at $.description");
        assertThat(reasons(variant(o -> o.put("captureMode", "MANUAL"))))
                .containsExactly("CAPTURE_MODE_NOT_CARD at $.captureMode");
        assertThat(reasons(variant(o -> o.put("paymentExpiryTime", "2026-11-21T10:00:00+08:00"))))
                .containsExactly("INVALID_EXPIRY at $.paymentExpiryTime");
        // a schema violation hides the rules: the Chinese description is not reported beside the missing amount
        assertThat(reasons(variant(o -> {
            o.remove("amount");
            o.put("description", "两杯咖啡");
        }))).containsExactly("MISSING_FIELD at $.amount");
    }

    /**
     * An order whose attempt the ledger has is not judged again by the rules that move with time or settings (its
     * expiry passed since, a limit lowered since); the others still refuse it with their own reason.
     */
    @Test
    void aStoredOrderReadAgainSkipsOnlyTheRulesThatMoveWithTimeOrSettings() {
        byte[] expired = bytes(variant(o -> o.put("paymentExpiryTime", "2026-11-21T10:00:00+08:00")));
        byte[] overTheLimit = bytes(variant(o -> ((ObjectNode) o.get("amount")).put("value", "1234567890123456")));
        byte[] plainHttp = bytes(variant(o -> o.put("resultPageUrl", "http://shop.example/orders/ORD-1/result")));
        for (byte[] moved : List.of(expired, overTheLimit, plainHttp)) {
            assertThat(rejection(reader, moved).violations()).isNotEmpty();
            assertThat(reader.read(moved, order -> true).orderId()).isEqualTo("ORD-1");
        }

        byte[] pc = bytes(variant(o -> o.putObject("channel").put("terminalType", "PC")));
        assertThat(catchThrowableOfType(() -> reader.read(pc, order -> true), RejectedOrderException.class)
                .violations()).extracting(OrderReaderTest::show)
                .containsExactly("UNKNOWN_TERMINAL_TYPE at $.channel.terminalType");
        byte[] both = bytes(variant(o -> {
            o.put("paymentExpiryTime", "2026-11-21T10:00:00+08:00");
            o.put("captureMode", "MANUAL");
        }));
        assertThat(catchThrowableOfType(() -> reader.read(both, order -> true), RejectedOrderException.class)
                .violations()).extracting(OrderReaderTest::show)
                .containsExactly("CAPTURE_MODE_NOT_CARD at $.captureMode");
    }

    @Test
    void everySchemaViolationIsReportedSortedByPathAndTheFirstIsTheReason() {
        RejectedOrderException e = rejection(reader, bytes(variant(o -> {
            o.remove("resultPageUrl");
            o.put("attempt", "two");
            ((ObjectNode) o.get("amount")).put("value", "0");
        })));

        assertThat(e.violations()).extracting(v -> v.code() + " at " + v.field())
                .containsExactly("MISSING_FIELD at $.resultPageUrl", "INVALID_AMOUNT at $.amount.value",
                        "WRONG_TYPE at $.attempt");
        assertThat(e.reason()).isEqualTo(e.violations().get(0));
        assertThat(e.getMessage()).startsWith("MISSING_FIELD: ");
        assertThat(e.deadLetterType()).isEqualTo("ORDER_REJECTED");
    }

    // ---- a valid order (as FlowTestSupport.order builds it) and its variants

    private ObjectNode valid() {
        ObjectNode order = json.createObjectNode();
        order.put("orderId", "ORD-1");
        order.putObject("amount").put("currency", "USD").put("value", "1250");
        order.put("description", "Two cups of coffee");
        order.put("paymentMethodType", "ALIPAY_CN");
        order.put("integration", "API");
        order.putObject("channel").put("terminalType", "WEB").put("clientIp", "203.0.113.7");
        order.putObject("buyer").put("referenceBuyerId", "buyer-42");
        order.put("resultPageUrl", "https://shop.example/orders/ORD-1/result");
        return order;
    }

    private ObjectNode variant(Consumer<ObjectNode> change) {
        ObjectNode order = valid();
        change.accept(order);
        return order;
    }

    private byte[] bytes(ObjectNode order) {
        return order.toString().getBytes(StandardCharsets.UTF_8);
    }

    private List<String> reasons(ObjectNode order) {
        return reasons(bytes(order));
    }

    private List<String> reasons(String text) {
        return reasons(text.getBytes(StandardCharsets.UTF_8));
    }

    private List<String> reasons(byte[] raw) {
        return reasons(reader, raw);
    }

    /** "CODE at field" for each violation of a refused order. */
    private static List<String> reasons(OrderReader reader, byte[] raw) {
        return rejection(reader, raw).violations().stream().map(OrderReaderTest::show).toList();
    }

    private static String show(Violation v) {
        return v.code() + " at " + v.field();
    }

    private static RejectedOrderException rejection(OrderReader reader, byte[] raw) {
        RejectedOrderException e = catchThrowableOfType(RejectedOrderException.class, () -> reader.read(raw));
        assertThat(e).as("refused").isNotNull();
        return e;
    }

    static OrderIntakeSettings limits(int maxBytes) {
        return new OrderIntakeSettings(new OrderIntakeSettings.Orders(3, 50, maxBytes, SCHEMA, 2000, 16, 2000, 100, true,
                100, 20000), null);
    }
}
