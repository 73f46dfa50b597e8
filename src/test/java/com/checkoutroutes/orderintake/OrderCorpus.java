package com.checkoutroutes.orderintake;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Bad orders, one named case each, with the reason code and field each must be refused with. The same cases go
 * through {@link OrderReader} (OrderCorpusTest, fast) and through {@code POST /orders} (OrderDoorTest): one reader,
 * one verdict, whichever way an order comes in.
 */
public final class OrderCorpus {

    /** A refused order: its bytes for a given orderId, and its first reason. */
    public record Case(String name, Function<String, byte[]> body, String code, String field) {

        @Override
        public String toString() {
            return name;
        }
    }

    private final List<Case> cases = new ArrayList<>();

    public static List<Case> cases() {
        OrderCorpus corpus = new OrderCorpus();
        corpus.inputHoles();
        corpus.shapes();
        return corpus.cases;
    }

    /** A valid order's text, as the order system would send it. */
    public static String valid(String orderId) {
        return "{\"orderId\":\"" + orderId + "\",\"amount\":{\"currency\":\"USD\",\"value\":\"1250\"},"
                + "\"description\":\"Two cups of coffee\",\"paymentMethodType\":\"ALIPAY_CN\",\"integration\":\"API\","
                + "\"channel\":{\"terminalType\":\"WEB\",\"clientIp\":\"203.0.113.7\"},"
                + "\"resultPageUrl\":\"https://shop.example/orders/" + orderId + "/result\"}";
    }

    /** The holes issue 13 found, each closed with its own reason. */
    private void inputHoles() {
        refused("resultPageUrl javascript:", "INVALID_RESULT_PAGE_URL", "$.resultPageUrl",
                id -> valid(id).replaceAll("https://shop.example/orders/[^\"]*", "javascript:alert(1)"));
        refused("resultPageUrl data:", "INVALID_RESULT_PAGE_URL", "$.resultPageUrl",
                id -> valid(id).replaceAll("https://shop.example/orders/[^\"]*", "data:text/html,hello"));
        refused("resultPageUrl plain http", "INVALID_RESULT_PAGE_URL", "$.resultPageUrl",
                id -> valid(id).replace("https://", "http://"));
        refused("amount given twice (1000, then 1)", "DUPLICATE_KEY", null,
                id -> valid(id).replace("\"amount\":{\"currency\":\"USD\",\"value\":\"1250\"}",
                        "\"amount\":{\"currency\":\"USD\",\"value\":\"1000\"},\"amount\":{\"currency\":\"USD\",\"value\":\"1\"}"));
        refused("amount value given twice inside amount", "DUPLICATE_KEY", null,
                id -> valid(id).replace("\"value\":\"1250\"", "\"value\":\"1000\",\"value\":\"1\""));
        refused("amount above the USD limit (99,999,999,999,999)", "AMOUNT_TOO_LARGE", "$.amount.value",
                id -> valid(id).replace("\"value\":\"1250\"", "\"value\":\"99999999999999\""));
        refused("amount above the JPY limit", "AMOUNT_TOO_LARGE", "$.amount.value",
                id -> valid(id).replace("\"currency\":\"USD\",\"value\":\"1250\"",
                        "\"currency\":\"JPY\",\"value\":\"100000001\""));
        for (String code : List.of("XXX", "XTS", "XAU", "XDR", "ABC")) {
            refused("currency " + code, "INVALID_CURRENCY", "$.amount.currency",
                    id -> valid(id).replace("\"currency\":\"USD\"", "\"currency\":\"" + code + "\""));
        }
        refused("description with a right-to-left override (U+202E)", "FORBIDDEN_CHARACTERS", "$.description",
                id -> valid(id).replace("Two cups of coffee", "Two cups \u202Eeeffoc"));
        refused("description with a zero-width space (U+200B)", "FORBIDDEN_CHARACTERS", "$.description",
                id -> valid(id).replace("Two cups of coffee", "Two\u200Bcups"));
        refused("description with a bidi isolate (U+2066)", "FORBIDDEN_CHARACTERS", "$.description",
                id -> valid(id).replace("Two cups of coffee", "Two \u2066cups\u2069"));
        refused("buyer reference with a zero-width joiner (U+200D)", "FORBIDDEN_CHARACTERS", "$.buyer.referenceBuyerId",
                id -> valid(id).replace("\"resultPageUrl\"", "\"buyer\":{\"referenceBuyerId\":\"bu\u200Dyer\"},\"resultPageUrl\""));
        refused("orderId with a right-to-left override (U+202E)", "INVALID_ORDER_ID", "$.orderId",
                id -> valid(id).replace("\"orderId\":\"" + id + "\"", "\"orderId\":\"" + id + "\u202E\""));
        refused("orderId .", "INVALID_ORDER_ID", "$.orderId", id -> valid("."));
        refused("orderId ..", "INVALID_ORDER_ID", "$.orderId", id -> valid(".."));
    }

    /** A few of the older refusals, so the door is seen to give every kind of reason. */
    private void shapes() {
        refused("not JSON", "BAD_JSON", null, id -> "not json");
        refused("two JSON objects in one body", "BAD_JSON", null, id -> valid(id) + valid(id));
        refused("amount missing", "MISSING_FIELD", "$.amount",
                id -> valid(id).replace("\"amount\":{\"currency\":\"USD\",\"value\":\"1250\"},", ""));
        refused("amount with decimals", "INVALID_AMOUNT", "$.amount.value",
                id -> valid(id).replace("\"value\":\"1250\"", "\"value\":\"12.50\""));
        refused("WAP without osType", "MISSING_OS_TYPE", "$.channel.osType",
                id -> valid(id).replace("\"terminalType\":\"WEB\"", "\"terminalType\":\"WAP\""));
        cases.add(new Case("Latin-1 bytes", id -> valid(id).replace("coffee", "caf\u00e9")
                .getBytes(StandardCharsets.ISO_8859_1), "BAD_ENCODING", null));
    }

    private void refused(String name, String code, String field, Function<String, String> text) {
        cases.add(new Case(name, id -> text.apply(id).getBytes(StandardCharsets.UTF_8), code, field));
    }
}
