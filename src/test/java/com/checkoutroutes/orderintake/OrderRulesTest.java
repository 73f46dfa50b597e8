package com.checkoutroutes.orderintake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.checkoutroutes.deadletter.RejectedOrderException.Violation;
import com.checkoutroutes.ledger.PaymentAttempt.Integration;
import com.checkoutroutes.orderintake.OrderMessage.Buyer;
import com.checkoutroutes.orderintake.OrderMessage.Channel;
import com.checkoutroutes.orderintake.OrderMessage.Money;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rules a JSON Schema cannot say, each with its reason code and field, on plain {@link OrderMessage}s
 * (InvalidOrdersTest takes a few through Kafka to the dead-letter topic).
 */
class OrderRulesTest {

    /** 2026-11-22T02:00:00Z, i.e. 10:00 in Hong Kong. */
    private static final Clock NOW = Clock.fixed(Instant.parse("2026-11-22T02:00:00Z"), ZoneOffset.UTC);

    private final OrderRules rules = new OrderRules(NOW, TestOrderRules.SETTINGS);

    @Test
    void aValidOrderBreaksNoRule() {
        assertThat(problems(order())).isEmpty();
    }

    @Test
    void anOrderWithOnlyTheRequiredFieldsBreaksNoRule() {
        OrderMessage bare = new OrderMessage("ORD-1", null, new Money("USD", "1250"), "Coffee", null, Integration.API,
                null, new Channel("WEB", null, null), null, "https://shop.example/result", null, null);

        assertThat(problems(bare)).isEmpty();
    }

    @Test
    void anUnknownTerminalType() {
        assertThat(problems(withChannel(new Channel("KIOSK", "IOS", null))))
                .containsExactly("UNKNOWN_TERMINAL_TYPE at $.channel.terminalType");
    }

    @ParameterizedTest
    @ValueSource(strings = {"WAP", "APP"})
    void aMobileTerminalNeedsAnOsType(String terminal) {
        assertThat(problems(withChannel(new Channel(terminal, null, null))))
                .containsExactly("MISSING_OS_TYPE at $.channel.osType");
        assertThat(problems(withChannel(new Channel(terminal, "IOS", null)))).isEmpty();
        assertThat(problems(withChannel(new Channel(terminal, "ANDROID", null)))).isEmpty();
    }

    @Test
    void aPcBrowserNeedsNoOsType() {
        assertThat(problems(withChannel(new Channel("WEB", null, "203.0.113.7")))).isEmpty();
    }

    @Test
    void currenciesMustBeIso4217() {
        OrderMessage order = order();
        OrderMessage badAmount = new OrderMessage(order.orderId(), 1, new Money("XYZ", "100"), order.description(),
                order.paymentMethodType(), order.integration(), null, order.channel(), order.buyer(),
                order.resultPageUrl(), null, "JPY");
        OrderMessage badSettlement = new OrderMessage(order.orderId(), 1, order.amount(), order.description(),
                order.paymentMethodType(), order.integration(), null, order.channel(), order.buyer(),
                order.resultPageUrl(), null, "ABC");

        assertThat(problems(badAmount)).containsExactly("INVALID_CURRENCY at $.amount.currency");
        assertThat(problems(badSettlement)).containsExactly("INVALID_CURRENCY at $.settlementCurrency");
    }

    @Test
    void captureModeIsForCardsOnly() {
        assertThat(problems(withMethodAndCapture("ALIPAY_CN", "MANUAL")))
                .containsExactly("CAPTURE_MODE_NOT_CARD at $.captureMode");
        assertThat(problems(withMethodAndCapture(null, "AUTOMATIC")))
                .containsExactly("CAPTURE_MODE_NOT_CARD at $.captureMode");
        assertThat(problems(withMethodAndCapture("CARD", "MANUAL"))).isEmpty();
        assertThat(problems(withMethodAndCapture("CARD", "AUTOMATIC"))).isEmpty();
        assertThat(problems(withMethodAndCapture("CARD", null))).isEmpty();
    }

    @Test
    void anSdkSessionNeedsAPaymentMethodButAnApiOrderMayLeaveTheChoiceToTheBuyer() {
        assertThat(problems(withIntegrationAndMethod(Integration.SDK, null)))
                .containsExactly("MISSING_FIELD at $.paymentMethodType");
        assertThat(problems(withIntegrationAndMethod(Integration.SDK, "ALIPAY_CN"))).isEmpty();
        assertThat(problems(withIntegrationAndMethod(Integration.API, null))).isEmpty();
    }

    static Stream<Arguments> forbiddenCharacters() {
        String chinese = "Chinese characters are not allowed in Antom request fields";
        String control = "control characters are not allowed";
        return Stream.of(
                // Han characters, CJK and full-width punctuation: some methods (e.g. QRIS) reject them
                Arguments.of("两杯咖啡", chinese), Arguments.of("Coffee、tea", chinese),
                Arguments.of("Coffee！", chinese), Arguments.of("Coffee\u3000tea", chinese),
                Arguments.of("日本のコーヒー", chinese),
                // control characters other than tab
                Arguments.of("Coffee\u0000", control), Arguments.of("Coffee\nand cake", control),
                Arguments.of("Coffee\u0007", control), Arguments.of("Coffee\u007f", control));
    }

    @ParameterizedTest
    @MethodSource("forbiddenCharacters")
    void forbiddenCharactersAreNamed(String text, String message) {
        assertThat(rules.check(withText("ORD-1", text, "buyer-42")))
                .extracting(Violation::code, Violation::field, Violation::message)
                .containsExactly(tuple("FORBIDDEN_CHARACTERS", "$.description", message));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Two cups of coffee", "Café crème", "コーヒー", "Kaffee\tund Kuchen", "Ωμέγα"})
    void otherScriptsAccentsAndTabsAreAllowed(String text) {
        assertThat(problems(withText("ORD-1", text, "buyer-42"))).isEmpty();
    }

    @Test
    void theOrderIdAndTheBuyerReferenceAreCheckedLikeTheDescription() {
        assertThat(rules.check(withText("订单-1", "Coffee", "买家")))
                .extracting(Violation::field).containsExactly("$.orderId", "$.buyer.referenceBuyerId");
    }

    @Test
    void theResultPageIsHttpsOrAConfiguredAppScheme() {
        assertThat(problems(withResultPage("https://shop.example/orders/1/result"))).isEmpty();
        assertThat(problems(withResultPage("HTTPS://shop.example/orders/1/result"))).isEmpty();
        OrderRules withApp = new OrderRules(NOW, new OrderRulesSettings(List.of("https", "myshop"),
                TestOrderRules.SETTINGS.maxAmounts(), TestOrderRules.SETTINGS.maxPaymentExpiry(), Map.of()));
        OrderMessage web = withResultPage("myshop://orders/1/result");
        OrderMessage app = new OrderMessage(web.orderId(), web.attempt(), web.amount(), web.description(),
                web.paymentMethodType(), web.integration(), web.captureMode(),
                new OrderMessage.Channel("APP", "IOS", web.channel().clientIp()), web.buyer(), web.resultPageUrl(),
                web.paymentExpiryTime(), web.settlementCurrency());
        assertThat(withApp.check(app)).isEmpty();
        // a browser opens no app's scheme: a WEB order's result page is https
        assertThat(withApp.check(web)).extracting(Violation::code).containsExactly("INVALID_RESULT_PAGE_URL");
    }

    @ParameterizedTest
    @ValueSource(strings = {"javascript:alert(1)", "http://127.0.0.1/r", "data:text/html,<script>1</script>",
            "myshop://orders/1/result", "file:///etc/passwd", "https:/no-host"})
    void anyOtherSchemeOrAnHttpsUrlWithoutHostIsRefused(String url) {
        assertThat(rules.check(withResultPage(url))).extracting(Violation::code, Violation::field)
                .containsExactly(tuple("INVALID_RESULT_PAGE_URL", "$.resultPageUrl"));
    }

    @Test
    void aRelativeResultPageIsRefused() {
        assertThat(rules.check(withResultPage("/orders/1/result")))
                .extracting(Violation::code, Violation::field, Violation::message)
                .containsExactly(tuple("INVALID_RESULT_PAGE_URL", "$.resultPageUrl",
                        "resultPageUrl must be absolute"));
    }

    @Test
    void aResultPageThatIsNoUrlIsRefused() {
        for (String url : new String[] {"https://shop example/result", "https://shop.example/%zz", null}) {
            assertThat(rules.check(withResultPage(url))).as(url)
                    .extracting(Violation::code, Violation::message)
                    .containsExactly(tuple("INVALID_RESULT_PAGE_URL",
                            "resultPageUrl is not a URL"));
        }
    }

    @Test
    void aResultPageIsAsciiOnly() {
        assertThat(problems(withResultPage("https://shop.example/%E8%AE%A2%E5%8D%95/1"))).isEmpty();
        for (String url : new String[] {"https://shop.example/订单/1", "https://shop.example/r?name=Zoë",
                "https://shop.example/r\t1"}) {
            assertThat(rules.check(withResultPage(url))).as(url)
                    .extracting(Violation::code, Violation::message)
                    .containsExactly(tuple("INVALID_RESULT_PAGE_URL",
                            "resultPageUrl must be printable ASCII: percent-encode other characters"));
        }
    }

    @Test
    void anExpiryMustBeInTheFuture() {
        assertThat(problems(withExpiry("2026-11-22T10:00:01+08:00"))).isEmpty();
        assertThat(problems(withExpiry("2026-11-22T02:00:01Z"))).isEmpty();
        assertThat(rules.check(withExpiry("2026-11-22T10:00:00+08:00")))
                .as("now is not in the future").extracting(Violation::code, Violation::message)
                .containsExactly(tuple("INVALID_EXPIRY",
                        "paymentExpiryTime is in the past"));
        assertThat(rules.check(withExpiry("2026-11-21T10:00:00+08:00"))).extracting(Violation::field)
                .containsExactly("$.paymentExpiryTime");
    }

    @Test
    void anExpiryIsAtMostTheConfiguredTimeAhead() {
        assertThat(problems(withExpiry("2026-12-22T02:00:00Z"))).as("30 days ahead").isEmpty();
        for (String expiry : List.of("2026-12-22T02:00:01Z", "+999999-01-01T00:00:00Z")) {
            assertThat(rules.check(withExpiry(expiry))).as(expiry).extracting(Violation::code, Violation::message)
                    .containsExactly(tuple("INVALID_EXPIRY",
                            "paymentExpiryTime is more than 30 days ahead (checkout.order-rules.max-payment-expiry)"));
        }
    }

    /** Antom's Cashier Payment overview: for DANA and GCash a paymentExpiryTime must be less than 14 minutes ahead. */
    @Test
    void aGcashOrDanaExpiryIsLessThanFourteenMinutesAhead() {
        for (String method : List.of("GCASH", "DANA")) {
            assertThat(problems(withMethodAndExpiry(method, "2026-11-22T02:13:59Z"))).as(method).isEmpty();
            assertThat(rules.check(withMethodAndExpiry(method, "2026-11-22T02:14:00Z"))).as(method)
                    .extracting(Violation::code, Violation::message)
                    .containsExactly(tuple("INVALID_EXPIRY", "paymentExpiryTime must be less than 14 minutes ahead for "
                            + method + " (Antom's limit; checkout.order-rules.method-max-expiry)"));
        }
        assertThat(problems(withMethodAndExpiry("ALIPAY_CN", "2026-11-22T03:00:00Z"))).as("other methods").isEmpty();
        OrderRules fromEnvironment = new OrderRules(NOW, new OrderRulesSettings(List.of("https"),
                TestOrderRules.SETTINGS.maxAmounts(), TestOrderRules.SETTINGS.maxPaymentExpiry(),
                Map.of("gcash", Duration.ofMinutes(14))));
        assertThat(fromEnvironment.check(withMethodAndExpiry("GCASH", "2026-11-22T03:00:00Z")))
                .as("a key as an environment variable binds it").extracting(Violation::code)
                .containsExactly("INVALID_EXPIRY");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2030-01-01T10:00:00", "2030-01-01", "tomorrow", ""})
    void anExpiryNeedsIso8601WithAnOffset(String expiry) {
        assertThat(rules.check(withExpiry(expiry))).extracting(Violation::code, Violation::field)
                .containsExactly(tuple("INVALID_EXPIRY", "$.paymentExpiryTime"));
        assertThat(rules.check(withExpiry(expiry)).get(0).message()).contains("ISO-8601 with an offset");
    }

    @Test
    void everyBrokenRuleIsReportedInTheOrderTheRulesAreChecked() {
        OrderMessage order = new OrderMessage("ORD-1", 1, new Money("XYZ", "100"), "两杯咖啡", "ALIPAY_CN",
                Integration.API, "MANUAL", new Channel("APP", null, null), new Buyer("buyer-42"), "/result",
                "2020-01-01T00:00:00Z", "ABC");

        assertThat(rules.check(order)).extracting(Violation::code).containsExactly("MISSING_OS_TYPE",
                "INVALID_CURRENCY", "INVALID_CURRENCY", "CAPTURE_MODE_NOT_CARD", "FORBIDDEN_CHARACTERS",
                "INVALID_RESULT_PAGE_URL", "INVALID_EXPIRY");
    }

    // ---- orders: a valid e-wallet order on a PC browser, as FlowTestSupport.order builds it, and its variants

    private static OrderMessage order() {
        return new OrderMessage("ORD-1", 1, new Money("USD", "1250"), "Two cups of coffee", "ALIPAY_CN",
                Integration.API, null, new Channel("WEB", null, "203.0.113.7"), new Buyer("buyer-42"),
                "https://shop.example/orders/ORD-1/result", "2026-11-22T10:14:00+08:00", "USD");
    }

    private static OrderMessage withChannel(Channel channel) {
        OrderMessage o = order();
        return new OrderMessage(o.orderId(), o.attempt(), o.amount(), o.description(), o.paymentMethodType(),
                o.integration(), o.captureMode(), channel, o.buyer(), o.resultPageUrl(), o.paymentExpiryTime(),
                o.settlementCurrency());
    }

    private static OrderMessage withMethodAndCapture(String method, String captureMode) {
        OrderMessage o = order();
        return new OrderMessage(o.orderId(), o.attempt(), o.amount(), o.description(), method, o.integration(),
                captureMode, o.channel(), o.buyer(), o.resultPageUrl(), o.paymentExpiryTime(), o.settlementCurrency());
    }

    private static OrderMessage withIntegrationAndMethod(Integration integration, String method) {
        OrderMessage o = order();
        return new OrderMessage(o.orderId(), o.attempt(), o.amount(), o.description(), method, integration,
                o.captureMode(), o.channel(), o.buyer(), o.resultPageUrl(), o.paymentExpiryTime(),
                o.settlementCurrency());
    }

    private static OrderMessage withText(String orderId, String description, String buyer) {
        OrderMessage o = order();
        return new OrderMessage(orderId, o.attempt(), o.amount(), description, o.paymentMethodType(),
                o.integration(), o.captureMode(), o.channel(), new Buyer(buyer), o.resultPageUrl(),
                o.paymentExpiryTime(), o.settlementCurrency());
    }

    private static OrderMessage withResultPage(String url) {
        OrderMessage o = order();
        return new OrderMessage(o.orderId(), o.attempt(), o.amount(), o.description(), o.paymentMethodType(),
                o.integration(), o.captureMode(), o.channel(), o.buyer(), url, o.paymentExpiryTime(),
                o.settlementCurrency());
    }

    private static OrderMessage withExpiry(String expiry) {
        OrderMessage o = order();
        return new OrderMessage(o.orderId(), o.attempt(), o.amount(), o.description(), o.paymentMethodType(),
                o.integration(), o.captureMode(), o.channel(), o.buyer(), o.resultPageUrl(), expiry,
                o.settlementCurrency());
    }

    private static OrderMessage withMethodAndExpiry(String method, String expiry) {
        OrderMessage o = order();
        return new OrderMessage(o.orderId(), o.attempt(), o.amount(), o.description(), method, o.integration(),
                o.captureMode(), o.channel(), o.buyer(), o.resultPageUrl(), expiry, o.settlementCurrency());
    }

    /** "CODE at field" per violation; messages are checked where they say what code and field do not. */
    private List<String> problems(OrderMessage order) {
        return rules.check(order).stream().map(v -> v.code() + " at " + v.field()).toList();
    }
}
