package com.checkoutroutes.orderintake;

import static org.assertj.core.api.Assertions.assertThat;

import com.checkoutroutes.ledger.OrderConsults;
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.testsupport.FlowTestSupport;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Orders get their continuation on their own channel, through Kafka, the ledger and the sandbox: the links of a PC
 * browser and of an app on iOS (proving terminal and OS reach {@link com.checkoutroutes.continuation.ContinuationPicker}),
 * an SDK session, a manual-capture card and the choice of methods. ContinuationPickerTest has every terminal, OS
 * and link combination without Kafka.
 */
class ContinuationPerChannelTest extends FlowTestSupport {

    @Autowired
    OrderConsults consults;
    private final HttpClient http = HttpClient.newHttpClient();

    private int statusOf(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (Exception e) {
            throw new IllegalStateException("GET " + url, e);
        }
    }

    @Test
    void webGetsNormalUrlInANewTabAndTheQrCode() {
        String orderId = newOrderId();
        publish(order(orderId));

        JsonNode message = awaitChannelMessage("WEB", orderId);
        PaymentAttempt attempt = onlyAttempt(orderId);
        assertThat(message.path("action").asText()).isEqualTo("REDIRECT");
        assertThat(message.path("paymentRequestId").asText()).isEqualTo(attempt.paymentRequestId());
        assertThat(message.path("paymentId").asText()).isNotBlank().isEqualTo(attempt.paymentId());
        assertThat(message.path("link").path("kind").asText()).isEqualTo("normalUrl");
        assertThat(message.path("link").path("openWith").asText()).isEqualTo("new-tab");
        assertThat(message.path("link").path("url").asText()).contains("/sandbox/checkout/" + attempt.paymentId());
        assertThat(message.path("qrCode").path("value").asText()).isNotBlank();
        // every timestamp we publish is at UTC (Antom's sandbox answers in +08:00)
        assertThat(message.path("expiresAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+00:00");
        assertThat(attempt.state()).isEqualTo(PaymentState.PENDING);
        assertThat(channelMessages("WAP", orderId)).isEmpty();
        // the buyer's links lead somewhere: the page, and what scanning the QR code opens
        assertThat(statusOf(message.path("link").path("url").asText())).isEqualTo(200);
        assertThat(statusOf(message.path("qrCode").path("value").asText())).isEqualTo(200);
    }

    @Test
    void appOnIosOpensTheAppLinkFirstWithOpenUrl() {
        String orderId = newOrderId();
        Map<String, Object> order = order(orderId);
        order.put("paymentMethodType", "ALIPAY_HK");
        order.put("channel", Map.of("terminalType", "APP", "osType", "IOS"));
        publish(order);

        JsonNode message = awaitChannelMessage("APP", orderId);
        assertThat(message.path("link").path("kind").asText()).isEqualTo("applinkUrl");
        assertThat(message.path("link").path("openWith").asText()).isEqualTo("openUrl");
        assertThat(message.path("fallbackLinks").findValuesAsText("kind")).startsWith("normalUrl");
        assertThat(message.path("appIdentifier").asText()).isNotBlank();
        assertThat(statusOf(message.path("link").path("url").asText())).as("the app link's landing page").isEqualTo(200);
    }

    @Test
    void sdkIntegrationGetsThePaymentSessionData() {
        String orderId = newOrderId();
        Map<String, Object> order = order(orderId);
        order.put("integration", "SDK");
        order.put("channel", Map.of("terminalType", "APP", "osType", "ANDROID"));
        publish(order);

        JsonNode message = awaitChannelMessage("APP", orderId);
        assertThat(message.path("action").asText()).isEqualTo("SDK_SESSION");
        assertThat(message.path("sdkSession").path("paymentSessionData").asText()).isNotBlank();
        assertThat(message.path("sdkSession").path("expiresAt").asText()).endsWith("+00:00");
        // the session's own page, so a buyer need not decode paymentSessionData to find it
        assertThat(message.path("link").path("url").asText()).contains("/sandbox/session/");
        assertThat(message.path("link").path("openWith").asText()).isEqualTo("webview");
        assertThat(statusOf(message.path("link").path("url").asText())).isEqualTo(200);
        assertThat(message.path("expiresAt").asText()).endsWith("+00:00");
        assertThat(message.path("paymentRequestId").asText()).isEqualTo(onlyAttempt(orderId).paymentRequestId());
        assertThat(sandbox.requests("createPaymentSession", onlyAttempt(orderId).paymentRequestId())).hasSize(1);
    }

    /** A computer's buyer opens the session's page in a new tab, as a payment's (not in an app's webview). */
    @Test
    void aWebSdkSessionsPageOpensInANewTab() {
        String orderId = newOrderId();
        Map<String, Object> order = order(orderId);
        order.put("integration", "SDK");
        publish(order);

        JsonNode message = awaitChannelMessage("WEB", orderId);
        assertThat(message.path("action").asText()).isEqualTo("SDK_SESSION");
        assertThat(message.path("link").path("openWith").asText()).isEqualTo("new-tab");
    }

    @Test
    void manualCaptureCardIsAuthorisedAndTheChannelToldItIsPaid() {
        String orderId = newOrderId();
        publish(cardOrder(orderId, "MANUAL"));

        JsonNode message = awaitChannelMessage("WEB", orderId);
        assertThat(message.path("action").asText()).isEqualTo("PAID");
        PaymentAttempt attempt = onlyAttempt(orderId);
        assertThat(attempt.state()).isEqualTo(PaymentState.AUTHORISED);
        assertThat(attempt.captureMode()).isEqualTo("MANUAL");
        JsonNode sent = read(attempt.requestJson());
        assertThat(sent.path("paymentFactor").path("captureMode").asText()).isEqualTo("MANUAL");
        assertThat(sent.path("paymentFactor").path("isAuthorization").asBoolean()).isTrue();
    }

    @Test
    void anOrderWithoutAMethodGetsTheMethodsToChooseFrom() {
        String orderId = newOrderId();
        publish(orderWithoutMethod(orderId));

        JsonNode message = awaitChannelMessage("WEB", orderId);
        assertThat(message.path("action").asText()).isEqualTo("CHOOSE_METHOD");
        assertThat(message.path("paymentOptions").findValuesAsText("paymentMethodType")).isNotEmpty();
        assertThat(ledger.attemptsOf(orderId)).isEmpty();
    }

    /**
     * An order without a method read again once its buyer chose (its attempt stored with the method), even once it is
     * paid and its expiry passed: Antom is not consulted again, the buyer not asked to choose again, and nothing is
     * dead-lettered; one with another amount for that attempt number is refused ATTEMPT_CHANGED.
     */
    @Test
    void anOrderWithoutAMethodReadAgainAfterItsAttemptIsStoredIsNotOfferedAgain() throws Exception {
        String orderId = newOrderId();
        Map<String, Object> chosen = order(orderId);
        chosen.put("paymentExpiryTime", java.time.OffsetDateTime.now(clock).plusMinutes(10).toString());
        publish(chosen);
        PaymentAttempt stored = org.awaitility.Awaitility.await()
                .until(() -> onlyAttempt(orderId), a -> a.state() == PaymentState.PENDING);
        sandbox.buyerAction(stored.paymentId(), com.checkoutroutes.sandbox.OutcomeScript.Outcome.PAY);
        awaitState(stored, PaymentState.SUCCEEDED);
        clock.advance(java.time.Duration.ofMinutes(11));

        Map<String, Object> asFirstSent = new java.util.HashMap<>(chosen);
        asFirstSent.remove("paymentMethodType");
        publish(asFirstSent);
        ordersProcessedUpTo(orderId);

        // a consult is recorded with its channel message in one transaction, before the order's offset moves on
        assertThat(consults.of(orderId)).isEmpty();
        assertThat(kafka().matching(deadLetterTopic, r -> r.value().contains(orderId)
                && !r.value().contains("sentinel"))).isEmpty();
        assertThat(onlyAttempt(orderId)).extracting(PaymentAttempt::paymentRequestId, PaymentAttempt::state)
                .containsExactly(stored.paymentRequestId(), PaymentState.SUCCEEDED);

        asFirstSent.put("amount", Map.of("currency", "USD", "value", "1300"));
        publish(asFirstSent);
        assertThat(read(kafka().await(deadLetterTopic, r -> r.value().contains(orderId)
                && !r.value().contains("sentinel")).value()).path("reason").path("code").asText())
                .isEqualTo("ATTEMPT_CHANGED");
        assertThat(consults.of(orderId)).isEmpty();
    }

    /** The buyer of an order paid or cancelled already is not asked to choose how to pay it. */
    @Test
    void anOrderWithoutAMethodPaidOrCancelledAlreadyIsRefusedNotOffered() {
        PaymentAttempt paid = paidWallet();
        String cancelledId = newOrderId();
        orderEvent(cancelledId, "ORDER_CANCELLED");
        orderEventsProcessedUpTo(cancelledId);

        Map<String, Object> newAttempt = orderWithoutMethod(paid.orderId());
        newAttempt.put("attempt", 2); // attempt 1 is the paid one: read again, it is not offered either
        publish(newAttempt);
        publish(orderWithoutMethod(cancelledId));

        kafka().await(deadLetterTopic, r -> r.value().contains(paid.orderId())
                && r.value().contains("ORDER_ALREADY_PAID"));
        kafka().await(deadLetterTopic, r -> r.value().contains(cancelledId) && r.value().contains("ORDER_CANCELLED"));
        ordersProcessedUpTo(paid.orderId());
        ordersProcessedUpTo(cancelledId);
        assertThat(channelMessages("WEB", paid.orderId())).extracting(m -> m.path("action").asText())
                .doesNotContain("CHOOSE_METHOD");
        assertThat(channelMessages("WEB", cancelledId)).isEmpty();
    }
}
