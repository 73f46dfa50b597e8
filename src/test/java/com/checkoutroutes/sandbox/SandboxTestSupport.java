package com.checkoutroutes.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** One sandbox (port 0, fast resend clock) and one merchant notify endpoint per test class; reset per test. */
abstract class SandboxTestSupport {

    static final double TEST_TIME_SCALE = 0.0005;

    @TempDir
    static Path reportDir;

    static SandboxServer sandbox;
    static SandboxHttpClient client;
    static MerchantNotifyEndpoint merchant;

    @BeforeAll
    static void startSandbox() {
        SandboxSettings settings = SandboxSettings.defaults().withPort(0).withTimeScale(TEST_TIME_SCALE)
                .withReportDir(reportDir);
        sandbox = new SandboxServer(settings).start();
        client = new SandboxHttpClient(sandbox.baseUrl(), settings.clientId());
        merchant = new MerchantNotifyEndpoint();
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.stop();
        merchant.close();
    }

    @BeforeEach
    void resetSandbox() {
        client.post("/sandbox/control/reset", null);
        merchant.clear();
    }

    static String newRequestId() {
        return "PR-" + UUID.randomUUID();
    }

    /** A CASHIER_PAYMENT pay request as our app sends it. */
    static ObjectNode payRequest(String paymentRequestId, String method, String currency, String value,
                                 String terminalType) {
        ObjectNode request = Json.object();
        request.put("productCode", "CASHIER_PAYMENT");
        request.put("paymentRequestId", paymentRequestId);
        ObjectNode order = request.putObject("order");
        order.put("referenceOrderId", "ORDER-" + paymentRequestId);
        order.put("orderDescription", "Sandbox test order");
        order.set("orderAmount", Json.amount(currency, value));
        request.set("paymentAmount", Json.amount(currency, value));
        request.putObject("paymentMethod").put("paymentMethodType", method);
        request.putObject("env").put("terminalType", terminalType);
        request.put("paymentRedirectUrl", "https://shop.example/return");
        request.put("paymentNotifyUrl", merchant.url());
        return request;
    }

    static ObjectNode cardPayRequest(String paymentRequestId, String value, String captureMode) {
        ObjectNode request = payRequest(paymentRequestId, "CARD", "USD", value, "WEB");
        ObjectNode factor = request.putObject("paymentFactor");
        factor.put("captureMode", captureMode);
        if ("MANUAL".equals(captureMode)) {
            factor.put("isAuthorization", true);
        }
        return request;
    }

    static ObjectNode byPaymentId(String paymentId) {
        return Json.object().put("paymentId", paymentId);
    }

    static ObjectNode byRequestId(String paymentRequestId) {
        return Json.object().put("paymentRequestId", paymentRequestId);
    }

    static SandboxHttpClient.ApiResponse inquire(String paymentRequestId) {
        return client.call("inquiryPayment", byRequestId(paymentRequestId));
    }

    static String statusOf(String paymentRequestId) {
        return inquire(paymentRequestId).text("paymentStatus");
    }
}
