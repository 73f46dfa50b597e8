package com.checkoutroutes.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.UncheckedIOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** API faults, per request through the control API and per run through the settings. */
class FaultInjectionTest extends SandboxTestSupport {

    private static String payBody(String id) {
        return Json.write(payRequest(id, "GCASH", "PHP", "1000", "WEB"));
    }

    @Test
    void latencyDelaysTheAnswer() {
        String id = newRequestId();
        client.post("/sandbox/control/faults", Json.object().put("api", "pay").put("type", "LATENCY")
                .put("delayMs", 400));

        long start = System.nanoTime();
        SandboxHttpClient.ApiResponse pay = client.call("pay", payBody(id), null, Duration.ofSeconds(5));
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(elapsedMs).isGreaterThanOrEqualTo(400);
        assertThat(pay.resultCode()).isEqualTo("PAYMENT_IN_PROCESS");
        assertThat(client.get("/sandbox/control/requests?api=pay&paymentRequestId=" + id)
                .path("requests").get(0).path("fault").asText()).isEqualTo("LATENCY");
    }

    @Test
    void timeoutStillAppliesTheRequest() {
        String id = newRequestId();
        client.post("/sandbox/control/faults", Json.object().put("api", "pay").put("paymentRequestId", id)
                .put("type", "TIMEOUT").put("delayMs", 1500));

        assertThatThrownBy(() -> client.call("pay", payBody(id), null, Duration.ofMillis(300)))
                .isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(HttpTimeoutException.class);

        String createdPaymentId = sandbox.payment(id).orElseThrow().path("paymentId").asText();
        SandboxHttpClient.ApiResponse retry = client.call("pay", payBody(id), null, Duration.ofSeconds(5));
        assertThat(retry.text("paymentId")).isEqualTo(createdPaymentId);
    }

    @Test
    void http5xxDoesNotApplyTheRequest() {
        String id = newRequestId();
        client.post("/sandbox/control/faults", Json.object().put("api", "pay").put("type", "HTTP_5XX")
                .put("httpStatus", 500).put("times", 1));

        SandboxHttpClient.ApiResponse failed = client.call("pay", payBody(id), null, Duration.ofSeconds(5));

        assertThat(failed.status()).isEqualTo(500);
        assertThat(sandbox.payment(id)).isEmpty();
        SandboxHttpClient.ApiResponse retry = client.call("pay", payBody(id), null, Duration.ofSeconds(5));
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.resultCode()).isEqualTo("PAYMENT_IN_PROCESS");
    }

    @Test
    void unknownExceptionAnswersUWithoutApplying() {
        String id = newRequestId();
        client.post("/sandbox/control/faults", Json.object().put("api", "pay").put("type", "UNKNOWN_EXCEPTION"));

        SandboxHttpClient.ApiResponse pay = client.call("pay", payBody(id), null, Duration.ofSeconds(5));

        assertThat(pay.resultStatus()).isEqualTo("U");
        assertThat(pay.resultCode()).isEqualTo("UNKNOWN_EXCEPTION");
        assertThat(sandbox.payment(id)).isEmpty();
    }

    @Test
    void faultsMatchOnlyTheirApiAndPaymentRequestIdAndCanBeCleared() {
        String target = newRequestId();
        String other = newRequestId();
        client.post("/sandbox/control/faults", Json.object().put("api", "pay").put("paymentRequestId", target)
                .put("type", "HTTP_5XX").put("times", 0));

        assertThat(client.call("pay", payBody(other), null, Duration.ofSeconds(5)).status()).isEqualTo(200);
        assertThat(client.call("inquiryPayment", byRequestId(other)).status()).isEqualTo(200);
        assertThat(client.call("pay", payBody(target), null, Duration.ofSeconds(5)).status()).isEqualTo(503);
        assertThat(client.call("pay", payBody(target), null, Duration.ofSeconds(5)).status()).isEqualTo(503);

        client.delete("/sandbox/control/faults");

        assertThat(client.call("pay", payBody(target), null, Duration.ofSeconds(5)).status()).isEqualTo(200);
    }

    @Test
    void magicAmount9901CreatesThePaymentButAnswersUnknownOnce() {
        String id = newRequestId();
        String body = Json.write(payRequest(id, "GCASH", "PHP", "19901", "WEB"));

        SandboxHttpClient.ApiResponse first = client.call("pay", body, null, Duration.ofSeconds(5));
        SandboxHttpClient.ApiResponse retry = client.call("pay", body, null, Duration.ofSeconds(5));

        assertThat(first.resultCode()).isEqualTo("UNKNOWN_EXCEPTION");
        assertThat(retry.resultCode()).isEqualTo("PAYMENT_IN_PROCESS");
        assertThat(retry.text("paymentId")).isEqualTo(sandbox.payment(id).orElseThrow().path("paymentId").asText());
    }

    @Test
    void runWideFaultsAndLatencyComeFromTheSettings() {
        SandboxSettings settings = SandboxSettings.defaults().withPort(0).withReportDir(reportDir)
                .withDefaultLatencyMs(150)
                .withFaultsJson("[{\"api\":\"inquiryPayment\",\"type\":\"HTTP_5XX\"}]");
        try (SandboxServer server = new SandboxServer(settings).start()) {
            SandboxHttpClient http = new SandboxHttpClient(server.baseUrl(), settings.clientId());

            long start = System.nanoTime();
            assertThat(http.call("pay", payBody(newRequestId()), null, Duration.ofSeconds(5)).status()).isEqualTo(200);
            assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(150);
            http.delete("/sandbox/control/faults");
            assertThat(http.call("inquiryPayment", byRequestId("x")).status()).isEqualTo(503);
            assertThat(http.call("inquiryPayment", byRequestId("x")).status()).isEqualTo(503);
        }
    }

    @Test
    void timeoutFaultPaymentCanStillBeFoundByInquiry() {
        String id = newRequestId();
        client.post("/sandbox/control/faults", Json.object().put("api", "pay").put("type", "TIMEOUT")
                .put("delayMs", 1000));

        assertThatThrownBy(() -> client.call("pay", payBody(id), null, Duration.ofMillis(200)))
                .hasCauseInstanceOf(HttpTimeoutException.class);

        await().atMost(Duration.ofSeconds(3)).until(() -> "PROCESSING".equals(statusOf(id)));
    }
}
