package com.checkoutroutes.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Refunds as the docs describe them: per-method rules (no refunds, no partial refunds, a refund window), the total
 * never above the payment, notifyRefund (REFUND_RESULT) to refundNotifyUrl, and inquiryRefund.
 */
class SandboxRefundTest extends SandboxTestSupport {

    private static String paid(String id, String method, String currency, String value) {
        String paymentId = client.call("pay", payRequest(id, method, currency, value, "WEB")).text("paymentId");
        client.post("/sandbox/buyer/" + paymentId + "/pay", null);
        return paymentId;
    }

    private static SandboxHttpClient.ApiResponse refund(String refundRequestId, String paymentId, String currency,
            String value) {
        ObjectNode request = Json.object().put("refundRequestId", refundRequestId).put("paymentId", paymentId)
                .put("refundNotifyUrl", merchant.url());
        request.set("refundAmount", Json.amount(currency, value));
        return client.call("refund", request);
    }

    @Test
    void partialRefundsUpToThePaymentThenMoreIsRefused() {
        String paymentId = paid(newRequestId(), "GCASH", "PHP", "1000");

        SandboxHttpClient.ApiResponse first = refund("RF-1-" + paymentId, paymentId, "PHP", "400");
        SandboxHttpClient.ApiResponse second = refund("RF-2-" + paymentId, paymentId, "PHP", "600");
        SandboxHttpClient.ApiResponse third = refund("RF-3-" + paymentId, paymentId, "PHP", "1");

        assertThat(first.resultStatus()).isEqualTo("S");
        assertThat(first.text("refundId")).isNotBlank();
        assertThat(first.text("refundAmount.value")).isEqualTo("400");
        assertThat(second.resultStatus()).isEqualTo("S");
        assertThat(third.resultStatus()).isEqualTo("F");
        assertThat(third.resultCode()).isEqualTo("REFUND_AMOUNT_EXCEED");
    }

    @Test
    void eachMethodsRulesAreApplied() {
        String fpx = paid(newRequestId(), "ONLINEBANKING_FPX", "MYR", "5000");
        String dana = paid(newRequestId(), "DANA", "IDR", "500000");
        String authorised = client.call("pay", cardPayRequest(newRequestId(), "3000", "MANUAL")).text("paymentId");

        assertThat(refund("RF-fpx", fpx, "MYR", "5000").resultCode()).isEqualTo("REFUND_NOT_SUPPORTED");
        assertThat(refund("RF-dana-part", dana, "IDR", "100").resultCode()).isEqualTo("PARTIAL_REFUND_NOT_SUPPORTED");
        assertThat(refund("RF-dana-full", dana, "IDR", "500000").resultStatus()).isEqualTo("S");
        assertThat(refund("RF-auth", authorised, "USD", "3000").resultCode()).isEqualTo("ORDER_STATUS_INVALID");
    }

    @Test
    void aRefundAfterTheMethodsWindowIsRefused() {
        String paymentId = paid(newRequestId(), "ALIPAY_CN", "USD", "1250");
        sandbox.advanceClock(Duration.ofDays(366));

        SandboxHttpClient.ApiResponse late = refund("RF-late-" + paymentId, paymentId, "USD", "1250");

        assertThat(late.resultStatus()).isEqualTo("F");
        assertThat(late.resultCode()).isEqualTo("REFUND_WINDOW_EXCEED");
    }

    @Test
    void aRefundIsNotifiedSignedAsRefundResult() {
        String id = newRequestId();
        String paymentId = paid(id, "ALIPAY_HK", "HKD", "8800");

        String refundId = refund("RF-n-" + paymentId, paymentId, "HKD", "800").text("refundId");

        List<MerchantNotifyEndpoint.Received> notified = await().atMost(Duration.ofSeconds(5)).until(
                () -> merchant.forPayment(paymentId).stream()
                        .filter(r -> "REFUND_RESULT".equals(r.notifyType())).toList(), l -> !l.isEmpty());
        MerchantNotifyEndpoint.Received refund = notified.get(0);
        assertThat(refund.signatureAccepted()).isTrue();
        assertThat(Json.text(refund.json(), "refundStatus")).isEqualTo("SUCCESS");
        assertThat(Json.text(refund.json(), "result.resultStatus")).isEqualTo("S");
        assertThat(Json.text(refund.json(), "refundRequestId")).isEqualTo("RF-n-" + paymentId);
        assertThat(Json.text(refund.json(), "refundId")).isEqualTo(refundId);
        assertThat(Json.text(refund.json(), "refundAmount.value")).isEqualTo("800");
        assertThat(sandbox.notifications(id)).anySatisfy(a -> assertThat(a.notifyType()).isEqualTo("REFUND_RESULT"));
    }

    @Test
    void inquiryRefundFindsARefundByEitherIdAndNotOneThatWasNeverMade() {
        String paymentId = paid(newRequestId(), "KAKAOPAY", "KRW", "15000");
        String refundId = refund("RF-q-" + paymentId, paymentId, "KRW", "5000").text("refundId");

        SandboxHttpClient.ApiResponse byRequestId = client.call("inquiryRefund",
                Json.object().put("refundRequestId", "RF-q-" + paymentId));
        SandboxHttpClient.ApiResponse byRefundId = client.call("inquiryRefund", Json.object().put("refundId", refundId));
        SandboxHttpClient.ApiResponse unknown = client.call("inquiryRefund",
                Json.object().put("refundRequestId", "RF-never"));

        assertThat(byRequestId.resultStatus()).isEqualTo("S");
        assertThat(byRequestId.text("refundStatus")).isEqualTo("SUCCESS");
        assertThat(byRequestId.text("refundId")).isEqualTo(refundId);
        assertThat(byRequestId.text("refundAmount.value")).isEqualTo("5000");
        assertThat(byRefundId.text("refundRequestId")).isEqualTo("RF-q-" + paymentId);
        assertThat(unknown.resultStatus()).isEqualTo("F");
        assertThat(unknown.resultCode()).isEqualTo("ORDER_NOT_EXIST");
    }
}
