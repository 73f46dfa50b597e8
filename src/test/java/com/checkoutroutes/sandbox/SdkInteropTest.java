package com.checkoutroutes.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.alipay.global.api.model.ams.Amount;
import com.alipay.global.api.model.ams.Env;
import com.alipay.global.api.model.ams.Order;
import com.alipay.global.api.model.ams.PaymentMethod;
import com.alipay.global.api.model.ams.TerminalType;
import com.alipay.global.api.model.ams.ProductCodeType;
import com.alipay.global.api.model.ResultStatusType;
import com.alipay.global.api.request.ams.pay.AlipayPayQueryRequest;
import com.alipay.global.api.request.ams.pay.AlipayPayRequest;
import com.alipay.global.api.response.ams.pay.AlipayPayQueryResponse;
import com.alipay.global.api.response.ams.pay.AlipayPayResponse;
import com.alipay.global.api.tools.SignatureTool;
import com.alipay.global.api.tools.WebhookTool;
import com.checkoutroutes.signature.JdkBase64ForSdk;
import com.checkoutroutes.signature.RsaKeys;
import com.checkoutroutes.signature.SignatureHeader;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Interop with the stock Antom SDK 2.0.45: it signs, the sandbox verifies, and the other way round. */
class SdkInteropTest extends SandboxTestSupport {

    private static final String MERCHANT_PRIVATE_BASE64 =
            RsaKeys.base64Body(RsaKeys.readKeyText(SandboxHttpClient.KEYS + "merchant-private.pem", "m"));
    private static final String ANTOM_PUBLIC_BASE64 =
            RsaKeys.base64Body(RsaKeys.readKeyText(SandboxHttpClient.KEYS + "antom-public.pem", "a"));

    private SdkTestClient sdk;

    @BeforeEach
    void sdkClient() {
        JdkBase64ForSdk.install();
        sdk = new SdkTestClient(sandbox.baseUrl(), MERCHANT_PRIVATE_BASE64, ANTOM_PUBLIC_BASE64,
                sandbox.settings().clientId());
    }

    private static AlipayPayRequest sdkPayRequest(String paymentRequestId) {
        AlipayPayRequest request = new AlipayPayRequest();
        request.setProductCode(ProductCodeType.CASHIER_PAYMENT);
        request.setPaymentRequestId(paymentRequestId);
        Amount amount = new Amount();
        amount.setCurrency("HKD");
        amount.setValue("1000");
        Order order = new Order();
        order.setReferenceOrderId("ORDER-" + paymentRequestId);
        order.setOrderDescription("SDK order");
        order.setOrderAmount(amount);
        request.setOrder(order);
        request.setPaymentAmount(amount);
        PaymentMethod method = new PaymentMethod();
        method.setPaymentMethodType("ALIPAY_HK");
        request.setPaymentMethod(method);
        Env env = new Env();
        env.setTerminalType(TerminalType.WEB);
        request.setEnv(env);
        request.setPaymentNotifyUrl(merchant.url());
        request.setPaymentRedirectUrl("https://shop.example/return");
        return request;
    }

    @Test
    void sdkSignedPayIsAcceptedAndTheSdkVerifiesTheSignedAnswer() throws Exception {
        String id = newRequestId();

        AlipayPayResponse response = sdk.execute(sdkPayRequest(id));

        assertThat(response.getResult().getResultStatus()).isEqualTo(ResultStatusType.U);
        assertThat(response.getResult().getResultCode()).isEqualTo("PAYMENT_IN_PROCESS");
        assertThat(response.getPaymentId()).isNotBlank();
        assertThat(response.getNormalUrl()).endsWith("/sandbox/checkout/" + response.getPaymentId());
        // The SANDBOX_ client id made the SDK use the sandbox path; the sandbox saw a valid signature.
        assertThat(sdk.lastRequestPath).isEqualTo("/ams/sandbox/api/v1/payments/pay");
        assertThat(sandbox.requests("pay", id)).singleElement()
                .satisfies(call -> assertThat(call.signatureValid()).isTrue());
        // The SDK skips verification silently when headers are missing: prove they were there and valid.
        assertResponseHeadersVerifyWithSdk(sdk.lastResponse, sdk.lastRequestPath);
    }

    @Test
    void sdkInquiryReadsTheSandboxAnswer() throws Exception {
        String id = newRequestId();
        sdk.execute(sdkPayRequest(id));
        AlipayPayQueryRequest query = new AlipayPayQueryRequest();
        query.setPaymentRequestId(id);

        AlipayPayQueryResponse answer = sdk.execute(query);

        assertThat(answer.getResult().getResultStatus()).isEqualTo(ResultStatusType.S);
        assertThat(answer.getPaymentStatus().name()).isEqualTo("PROCESSING");
        assertResponseHeadersVerifyWithSdk(sdk.lastResponse, sdk.lastRequestPath);
    }

    private void assertResponseHeadersVerifyWithSdk(HttpResponse<String> response, String path) throws Exception {
        String responseTime = response.headers().firstValue("response-time").orElse(null);
        String signatureHeader = response.headers().firstValue("signature").orElse(null);
        assertThat(responseTime).isNotBlank();
        assertThat(signatureHeader).isNotBlank();
        String signature = SignatureHeader.signatureOf(signatureHeader).orElseThrow();
        assertThat(SignatureTool.verify("POST", path, sandbox.settings().clientId(), responseTime, response.body(),
                signature, ANTOM_PUBLIC_BASE64)).isTrue();
        assertThat(SignatureTool.verify("POST", path, sandbox.settings().clientId(), responseTime,
                response.body() + " ", signature, ANTOM_PUBLIC_BASE64)).as("tampered answer").isFalse();
    }

    @Test
    void tamperedBodyIsRejectedWithInvalidSignature() {
        String id = newRequestId();
        String signed = Json.write(payRequest(id, "GCASH", "PHP", "1000", "WEB"));
        String sent = signed.replace("\"1000\"", "\"1\"");

        SandboxHttpClient.ApiResponse response = client.call("pay", sent, signed, Duration.ofSeconds(5));

        assertThat(response.resultStatus()).isEqualTo("F");
        assertThat(response.resultCode()).isEqualTo("INVALID_SIGNATURE");
        assertThat(sandbox.payment(id)).isEmpty();
        assertThat(sandbox.requests("pay", id)).singleElement()
                .satisfies(call -> assertThat(call.signatureValid()).isFalse());
    }

    @Test
    void unknownClientIdIsRejectedWithInvalidClient() {
        SandboxHttpClient stranger = new SandboxHttpClient(sandbox.baseUrl(), "SANDBOX_SOMEONE_ELSE");

        SandboxHttpClient.ApiResponse response = stranger.call("pay", payRequest(newRequestId(), "GCASH", "PHP",
                "1000", "WEB"));

        assertThat(response.resultCode()).isEqualTo("INVALID_CLIENT");
        assertThat(response.resultStatus()).isEqualTo("F");
    }

    @Test
    void webhookToolAcceptsTheSandboxNotification() throws Exception {
        String id = newRequestId();
        SandboxHttpClient.ApiResponse pay = client.call("pay", payRequest(id, "GCASH", "PHP", "1000", "WEB"));
        client.post("/sandbox/buyer/" + pay.text("paymentId") + "/pay", null);

        await().atMost(Duration.ofSeconds(5)).until(() -> !merchant.received(id).isEmpty());

        MerchantNotifyEndpoint.Received notification = merchant.received(id).get(0);
        assertThat(notification.path()).isEqualTo(MerchantNotifyEndpoint.PATH);
        assertThat(WebhookTool.checkSignature(notification.path(), "POST", notification.clientId(),
                notification.requestTime(), notification.signature(), notification.body(), ANTOM_PUBLIC_BASE64))
                .isTrue();
        assertThat(WebhookTool.checkSignature(notification.path(), "POST", notification.clientId(),
                notification.requestTime(), notification.signature(), notification.body().replace("SUCCESS", "FAIL"),
                ANTOM_PUBLIC_BASE64)).as("tampered notification").isFalse();
        assertThat(notification.notifyType()).isEqualTo("PAYMENT_RESULT");
        assertThat(notification.json().path("result").path("resultStatus").asText()).isEqualTo("S");
        assertThat(Json.text(notification.json(), "paymentId")).isEqualTo(pay.text("paymentId"));
    }
}
