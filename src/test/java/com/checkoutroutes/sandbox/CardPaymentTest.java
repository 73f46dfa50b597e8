package com.checkoutroutes.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Card payments: automatic and manual capture, the 7-day window, declines and 3DS. */
class CardPaymentTest extends SandboxTestSupport {

    private static ObjectNode captureRequest(String captureRequestId, String paymentId, String value) {
        ObjectNode request = Json.object();
        request.put("captureRequestId", captureRequestId);
        request.put("paymentId", paymentId);
        request.set("captureAmount", Json.amount("USD", value));
        request.put("isLastCapture", true);
        return request;
    }

    @Test
    void automaticCaptureSucceedsAtOnceAndNotifiesPaymentAndCapture() {
        String id = newRequestId();

        SandboxHttpClient.ApiResponse pay = client.call("pay", cardPayRequest(id, "5000", "AUTOMATIC"));
        String paymentId = pay.text("paymentId");

        assertThat(pay.resultStatus()).isEqualTo("S");
        assertThat(pay.resultCode()).isEqualTo("SUCCESS");
        assertThat(pay.text("paymentTime")).isNotBlank();
        await().atMost(Duration.ofSeconds(5)).until(() -> merchant.forPayment(paymentId).size() == 2);
        assertThat(merchant.forPayment(paymentId)).extracting(MerchantNotifyEndpoint.Received::notifyType)
                .containsExactlyInAnyOrder("PAYMENT_RESULT", "CAPTURE_RESULT");
        JsonNode transaction = inquire(id).body().path("transactions").get(0);
        assertThat(transaction.path("transactionType").asText()).isEqualTo("CAPTURE");
        assertThat(transaction.path("transactionStatus").asText()).isEqualTo("SUCCESS");
        // already captured: a manual capture is refused
        SandboxHttpClient.ApiResponse capture = client.call("capture",
                captureRequest(newRequestId(), pay.text("paymentId"), "5000"));
        assertThat(capture.resultCode()).isEqualTo("MULTI_CAPTURE_NOT_SUPPORTED");
    }

    @Test
    void manualCaptureAuthorisesThenCapturesTheFullAmountOnce() {
        String id = newRequestId();
        SandboxHttpClient.ApiResponse pay = client.call("pay", cardPayRequest(id, "5000", "MANUAL"));
        String paymentId = pay.text("paymentId");
        assertThat(pay.resultStatus()).isEqualTo("S");
        assertThat(pay.text("authExpiryTime")).isNotBlank();
        assertThat(inquire(id).body().has("transactions")).isFalse();

        SandboxHttpClient.ApiResponse partial = client.call("capture", captureRequest("CAP-1", paymentId, "4000"));
        SandboxHttpClient.ApiResponse tooMuch = client.call("capture", captureRequest("CAP-2", paymentId, "6000"));
        SandboxHttpClient.ApiResponse full = client.call("capture", captureRequest("CAP-3", paymentId, "5000"));
        SandboxHttpClient.ApiResponse repeat = client.call("capture", captureRequest("CAP-3", paymentId, "5000"));
        SandboxHttpClient.ApiResponse inconsistent = client.call("capture", captureRequest("CAP-3", paymentId, "4999"));
        SandboxHttpClient.ApiResponse second = client.call("capture", captureRequest("CAP-4", paymentId, "5000"));

        assertThat(partial.resultStatus()).isEqualTo("F");
        assertThat(partial.resultCode()).isEqualTo("PARAM_ILLEGAL");
        assertThat(tooMuch.resultCode()).isEqualTo("CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT");
        assertThat(full.resultStatus()).isEqualTo("S");
        assertThat(full.text("captureId")).isNotBlank();
        assertThat(full.text("captureTime")).isNotBlank();
        assertThat(repeat.body()).isEqualTo(full.body());
        assertThat(inconsistent.resultCode()).isEqualTo("REPEAT_REQ_INCONSISTENT");
        assertThat(second.resultCode()).isEqualTo("MULTI_CAPTURE_NOT_SUPPORTED");
        await().atMost(Duration.ofSeconds(5)).until(() -> merchant.forPayment(paymentId).stream()
                .anyMatch(r -> "CAPTURE_RESULT".equals(r.notifyType())));
        JsonNode captureNotify = merchant.forPayment(paymentId).stream()
                .filter(r -> "CAPTURE_RESULT".equals(r.notifyType())).findFirst().orElseThrow().json();
        assertThat(Json.text(captureNotify, "captureRequestId")).isEqualTo("CAP-3");
        assertThat(Json.text(captureNotify, "captureId")).isEqualTo(full.text("captureId"));
        assertThat(Json.text(captureNotify, "captureAmount.value")).isEqualTo("5000");
    }

    @Test
    void manualCaptureIsRefusedAfterSevenDays() {
        String id = newRequestId();
        String paymentId = client.call("pay", cardPayRequest(id, "5000", "MANUAL")).text("paymentId");

        client.post("/sandbox/control/clock/advance?seconds=" + (7 * 24 * 3600 + 1), null);
        SandboxHttpClient.ApiResponse capture = client.call("capture", captureRequest("CAP-L", paymentId, "5000"));

        assertThat(capture.resultStatus()).isEqualTo("F");
        assertThat(capture.resultCode()).isEqualTo("ORDER_IS_CLOSED");
    }

    @Test
    void manualCaptureJustInsideSevenDaysSucceeds() {
        String id = newRequestId();
        String paymentId = client.call("pay", cardPayRequest(id, "5000", "MANUAL")).text("paymentId");

        client.post("/sandbox/control/clock/advance?seconds=" + (7 * 24 * 3600 - 60), null);
        SandboxHttpClient.ApiResponse capture = client.call("capture", captureRequest("CAP-OK", paymentId, "5000"));

        assertThat(capture.resultStatus()).isEqualTo("S");
    }

    @Test
    void authorisationCanBeCancelledBeforeCaptureButNotAfter() {
        String cancelled = newRequestId();
        String captured = newRequestId();
        client.call("pay", cardPayRequest(cancelled, "5000", "MANUAL"));
        String capturedId = client.call("pay", cardPayRequest(captured, "5000", "MANUAL")).text("paymentId");
        client.call("capture", captureRequest("CAP-X", capturedId, "5000"));

        SandboxHttpClient.ApiResponse ok = client.call("cancel", byRequestId(cancelled));
        SandboxHttpClient.ApiResponse refused = client.call("cancel", byRequestId(captured));

        assertThat(ok.resultStatus()).isEqualTo("S");
        assertThat(ok.text("cancelTime")).isNotBlank();
        assertThat(statusOf(cancelled)).isEqualTo("CANCELLED");
        assertThat(refused.resultStatus()).isEqualTo("F");
        assertThat(refused.resultCode()).isEqualTo("CANCEL_WINDOW_EXCEED");
        assertThat(statusOf(captured)).isEqualTo("SUCCESS");
    }

    @Test
    void authorisationCannotBeCancelledAfterSevenDays() {
        String id = newRequestId();
        client.call("pay", cardPayRequest(id, "5000", "MANUAL"));

        client.post("/sandbox/control/clock/advance?seconds=" + (6 * 24 * 3600), null);
        assertThat(client.call("inquiryPayment", byRequestId(id)).text("paymentStatus")).isEqualTo("SUCCESS");
        client.post("/sandbox/control/clock/advance?seconds=" + (24 * 3600 + 1), null);
        SandboxHttpClient.ApiResponse cancel = client.call("cancel", byRequestId(id));

        assertThat(cancel.resultCode()).isEqualTo("CANCEL_WINDOW_EXCEED");
    }

    @Test
    void declinedCardAmountFailsSynchronously() {
        String id = newRequestId();

        SandboxHttpClient.ApiResponse pay = client.call("pay", cardPayRequest(id, "10051", "AUTOMATIC"));

        assertThat(pay.resultStatus()).isEqualTo("F");
        assertThat(pay.resultCode()).isEqualTo("DO_NOT_HONOR");
        assertThat(statusOf(id)).isEqualTo("FAIL");
    }

    @Test
    void threeDsAmountNeedsTheBuyerToFinish() {
        String id = newRequestId();

        SandboxHttpClient.ApiResponse pay = client.call("pay", cardPayRequest(id, "10052", "AUTOMATIC"));

        assertThat(pay.resultStatus()).isEqualTo("U");
        assertThat(pay.resultCode()).isEqualTo("PAYMENT_IN_PROCESS");
        assertThat(pay.text("normalUrl")).contains("/sandbox/checkout/");
        client.post("/sandbox/buyer/" + pay.text("paymentId") + "/pay", null);
        assertThat(statusOf(id)).isEqualTo("SUCCESS");
        await().atMost(Duration.ofSeconds(5)).until(() -> merchant.forPayment(pay.text("paymentId")).size() == 2);
    }

    @Test
    void scriptedCardFailureAndThreeDsThenPay() {
        client.post("/sandbox/control/script", Json.object().put("paymentMethodType", "CARD")
                .put("amountValue", "777").put("outcome", "FAIL"));
        client.post("/sandbox/control/script", Json.object().put("paymentMethodType", "CARD")
                .put("amountValue", "888").put("outcome", "PENDING_THEN_PAY").put("afterMs", 50));
        String failing = newRequestId();
        String challenged = newRequestId();

        SandboxHttpClient.ApiResponse fail = client.call("pay", cardPayRequest(failing, "777", "AUTOMATIC"));
        SandboxHttpClient.ApiResponse threeDs = client.call("pay", cardPayRequest(challenged, "888", "AUTOMATIC"));

        assertThat(fail.resultStatus()).isEqualTo("F");
        assertThat(threeDs.resultStatus()).isEqualTo("U");
        await().atMost(Duration.ofSeconds(5)).until(() -> "SUCCESS".equals(statusOf(challenged)));
    }

    @Test
    void refundOfCapturedCardPayment() {
        String id = newRequestId();
        String paymentId = client.call("pay", cardPayRequest(id, "5000", "AUTOMATIC")).text("paymentId");
        ObjectNode refund = Json.object().put("refundRequestId", "RF-" + id).put("paymentId", paymentId);
        refund.set("refundAmount", Json.amount("USD", "2000"));

        SandboxHttpClient.ApiResponse first = client.call("refund", refund);
        SandboxHttpClient.ApiResponse again = client.call("refund", refund);
        refund.set("refundAmount", Json.amount("USD", "2001"));
        SandboxHttpClient.ApiResponse inconsistent = client.call("refund", refund);

        assertThat(first.resultStatus()).isEqualTo("S");
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(inconsistent.resultCode()).isEqualTo("REPEAT_REQ_INCONSISTENT");
    }
}
