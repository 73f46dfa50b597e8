package com.checkoutroutes.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Notification delivery: acknowledgement, Antom's resend schedule, and the notification faults. */
class NotificationTest extends SandboxTestSupport {

    private static String paidPayment(String id) {
        String paymentId = client.call("pay", payRequest(id, "GCASH", "PHP", "1000", "WEB")).text("paymentId");
        client.post("/sandbox/buyer/" + paymentId + "/pay", null);
        return paymentId;
    }

    private static JsonNode attempts(String id) {
        return client.get("/sandbox/control/notifications?paymentRequestId=" + id);
    }

    @Test
    void resendsUntilAcknowledged() {
        merchant.failFirst(2);
        String id = newRequestId();

        paidPayment(id);

        await().atMost(Duration.ofSeconds(10)).until(() -> attempts(id).path("count").asInt() == 3);
        JsonNode list = attempts(id).path("attempts");
        assertThat(list.get(0).path("httpStatus").asInt()).isEqualTo(500);
        assertThat(list.get(0).path("acknowledged").asBoolean()).isFalse();
        assertThat(list.get(1).path("attempt").asInt()).isEqualTo(2);
        assertThat(list.get(2).path("httpStatus").asInt()).isEqualTo(200);
        assertThat(list.get(2).path("acknowledged").asBoolean()).isTrue();
        // acknowledged: nothing more is sent (the next resend would be due after 300 ms at this time scale)
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(2))
                .until(() -> attempts(id).path("count").asInt() == 3);
        assertThat(merchant.received(id)).hasSize(3);
    }

    @Test
    void an200WithoutSuccessResultIsNotAnAcknowledgement() throws Exception {
        // A merchant that answers 200 {} is retried: only result.resultStatus "S" counts.
        try (var server = new SandboxServer(SandboxSettings.defaults().withPort(0).withTimeScale(0.0005)
                .withReportDir(reportDir)).start();
             var lazyMerchant = new PlainMerchant("{}")) {
            SandboxHttpClient http = new SandboxHttpClient(server.baseUrl(), server.settings().clientId());
            String id = newRequestId();
            var request = payRequest(id, "GCASH", "PHP", "1000", "WEB");
            request.put("paymentNotifyUrl", lazyMerchant.url());
            String paymentId = http.call("pay", request).text("paymentId");
            http.post("/sandbox/buyer/" + paymentId + "/pay", null);

            await().atMost(Duration.ofSeconds(5)).until(() -> server.notifications(id).size() >= 2);
            assertThat(server.notifications(id).get(0).httpStatus()).isEqualTo(200);
            assertThat(server.notifications(id).get(0).acknowledged()).isFalse();
        }
    }

    @Test
    void stopsAfterEightSends() {
        // A tiny time scale squeezes Antom's ~24 h schedule into ~2 s.
        try (var server = new SandboxServer(SandboxSettings.defaults().withPort(0).withTimeScale(0.00002)
                .withReportDir(reportDir)).start()) {
            merchant.alwaysFail(true);
            SandboxHttpClient http = new SandboxHttpClient(server.baseUrl(), server.settings().clientId());
            String id = newRequestId();
            String paymentId = http.call("pay", payRequest(id, "GCASH", "PHP", "1000", "WEB")).text("paymentId");
            http.post("/sandbox/buyer/" + paymentId + "/pay", null);

            await().atMost(Duration.ofSeconds(15)).until(() -> server.notifications(id).size() == 8);
            await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                    .until(() -> server.notifications(id).size() == 8);
            assertThat(server.notifications(id)).extracting(NotificationAttempt::attempt)
                    .containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
            assertThat(server.notifications(id)).noneMatch(NotificationAttempt::acknowledged);
        }
    }

    @Test
    void duplicateFaultDeliversTheSameNotificationTwice() {
        String id = newRequestId();
        client.post("/sandbox/control/faults", Json.object().put("type", "NOTIFY_DUPLICATE").put("paymentRequestId", id));

        paidPayment(id);

        await().atMost(Duration.ofSeconds(5)).until(() -> merchant.received(id).size() == 2);
        assertThat(merchant.received(id).get(1).body()).isEqualTo(merchant.received(id).get(0).body());
        // the sandbox records a delivery once its answer is back, a moment after the merchant has it
        await().atMost(Duration.ofSeconds(5)).until(() -> attempts(id).path("count").asInt() == 2);
        assertThat(attempts(id).path("attempts").findValuesAsText("kind")).contains("NORMAL", "DUPLICATE");
    }

    @Test
    void outOfOrderFaultSendsAStalePendingAfterTheFinalResult() {
        String id = newRequestId();
        client.post("/sandbox/control/faults", Json.object().put("type", "NOTIFY_OUT_OF_ORDER"));

        paidPayment(id);

        await().atMost(Duration.ofSeconds(5)).until(() -> merchant.received(id).size() == 2);
        assertThat(merchant.received(id)).extracting(MerchantNotifyEndpoint.Received::notifyType)
                .containsExactly("PAYMENT_RESULT", "PAYMENT_PENDING");
        assertThat(statusOf(id)).isEqualTo("SUCCESS");
    }

    @Test
    void badSignatureFaultCorruptsOnlyTheFirstDelivery() {
        String id = newRequestId();
        client.post("/sandbox/control/faults", Json.object().put("type", "NOTIFY_BAD_SIGNATURE")
                .put("paymentRequestId", id));

        paidPayment(id);

        await().atMost(Duration.ofSeconds(5)).until(() -> merchant.received(id).size() == 2);
        assertThat(merchant.received(id).get(0).signatureAccepted()).isFalse();
        assertThat(merchant.received(id).get(1).signatureAccepted()).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> attempts(id).path("count").asInt() == 2);
        JsonNode list = attempts(id).path("attempts");
        assertThat(list.get(0).path("signatureCorrupted").asBoolean()).isTrue();
        assertThat(list.get(1).path("acknowledged").asBoolean()).isTrue();
    }

    @Test
    void dropFaultNeverNotifies() {
        String id = newRequestId();
        client.post("/sandbox/control/faults", Json.object().put("type", "NOTIFY_DROP").put("paymentRequestId", id));

        paidPayment(id);

        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2)).until(() -> merchant.received(id).isEmpty());
        assertThat(attempts(id).path("attempts").get(0).path("kind").asText()).isEqualTo("DROPPED");
        assertThat(statusOf(id)).isEqualTo("SUCCESS");
    }

    /** A merchant endpoint answering a fixed body with HTTP 200. */
    static final class PlainMerchant implements AutoCloseable {
        private final com.sun.net.httpserver.HttpServer server;

        PlainMerchant(String answer) throws java.io.IOException {
            server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                exchange.getRequestBody().readAllBytes();
                byte[] bytes = answer.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, bytes.length);
                exchange.getResponseBody().write(bytes);
                exchange.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/notify";
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
