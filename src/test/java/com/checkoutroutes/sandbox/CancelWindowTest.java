package com.checkoutroutes.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

/** Cancel windows for non-card methods: until 00:15 (UTC+8) on T+1; never for Indonesia-based methods. */
class CancelWindowTest extends SandboxTestSupport {

    /**
     * Seconds from the sandbox's now to the end of the payment's window: 00:15 UTC+8 on the day after it was created
     * (its own day, not today's: midnight UTC+8 may have passed since).
     */
    private static long secondsUntilWindowEnd(String paymentRequestId) {
        OffsetDateTime created = OffsetDateTime.ofInstant(SandboxClock.parse(inquire(paymentRequestId)
                .text("paymentCreateTime")), SandboxClock.ANTOM_ZONE);
        OffsetDateTime end = created.toLocalDate().plusDays(1).atTime(LocalTime.of(0, 15))
                .atOffset(SandboxClock.ANTOM_ZONE);
        return Duration.between(sandbox.clock().now(), end.toInstant()).getSeconds();
    }

    @Test
    void paidWalletPaymentCanBeCancelledUntilQuarterPastMidnightNextDay() {
        String id = newRequestId();
        String paymentId = client.call("pay", payRequest(id, "ALIPAY_CN", "USD", "1000", "WEB")).text("paymentId");
        client.post("/sandbox/buyer/" + paymentId + "/pay", null);

        client.post("/sandbox/control/clock/advance?seconds=" + (secondsUntilWindowEnd(id) - 30), null);
        SandboxHttpClient.ApiResponse cancel = client.call("cancel", byPaymentId(paymentId));
        SandboxHttpClient.ApiResponse repeat = client.call("cancel", byPaymentId(paymentId));

        assertThat(cancel.resultStatus()).isEqualTo("S");
        assertThat(cancel.text("cancelTime")).isNotBlank();
        assertThat(repeat.body()).isEqualTo(cancel.body());
        SandboxHttpClient.ApiResponse inquiry = inquire(id);
        assertThat(inquiry.text("paymentStatus")).isEqualTo("CANCELLED");
        assertThat(inquiry.body().path("transactions").get(0).path("transactionType").asText()).isEqualTo("CANCEL");
    }

    @Test
    void walletPaymentCannotBeCancelledAfterTheWindow() {
        String id = newRequestId();
        String paymentId = client.call("pay", payRequest(id, "ALIPAY_CN", "USD", "1000", "WEB")).text("paymentId");
        client.post("/sandbox/buyer/" + paymentId + "/pay", null);

        client.post("/sandbox/control/clock/advance?seconds=" + (secondsUntilWindowEnd(id) + 60), null);
        SandboxHttpClient.ApiResponse cancel = client.call("cancel", byPaymentId(paymentId));

        assertThat(cancel.resultStatus()).isEqualTo("F");
        assertThat(cancel.resultCode()).isEqualTo("CANCEL_WINDOW_EXCEED");
        assertThat(statusOf(id)).isEqualTo("SUCCESS");
    }

    @Test
    void unpaidPaymentCanBeCancelledAndThenNotPaid() {
        String id = newRequestId();
        String paymentId = client.call("pay", payRequest(id, "GCASH", "PHP", "1000", "WEB")).text("paymentId");

        SandboxHttpClient.ApiResponse cancel = client.call("cancel", byRequestId(id));

        assertThat(cancel.resultStatus()).isEqualTo("S");
        assertThat(statusOf(id)).isEqualTo("CANCELLED");
        client.control("POST", "/sandbox/buyer/" + paymentId + "/pay", null, 409);
    }

    @Test
    void indonesiaBasedMethodCannotBeCancelled() {
        String id = newRequestId();
        client.call("pay", payRequest(id, "DANA", "IDR", "5000000", "WEB"));

        SandboxHttpClient.ApiResponse cancel = client.call("cancel", byRequestId(id));

        assertThat(cancel.resultStatus()).isEqualTo("F");
        assertThat(cancel.resultCode()).isEqualTo("CANCEL_WINDOW_EXCEED");
    }

    @Test
    void cancelOfUnknownPaymentIsOrderNotExist() {
        assertThat(client.call("cancel", byRequestId(newRequestId())).resultCode()).isEqualTo("ORDER_NOT_EXIST");
    }
}
