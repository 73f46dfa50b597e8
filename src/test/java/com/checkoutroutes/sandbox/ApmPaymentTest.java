package com.checkoutroutes.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Wallet / bank-redirect payments through the HTTP interface. */
class ApmPaymentTest extends SandboxTestSupport {

    @Test
    void payAnswersInProcessWithPaymentIdAndCreateTime() {
        String id = newRequestId();

        SandboxHttpClient.ApiResponse pay = client.call("pay", payRequest(id, "ALIPAY_HK", "HKD", "1000", "WEB"));

        assertThat(pay.resultStatus()).isEqualTo("U");
        assertThat(pay.resultCode()).isEqualTo("PAYMENT_IN_PROCESS");
        assertThat(pay.text("paymentId")).matches("[0-9]{35}");
        assertThat(pay.text("paymentRequestId")).isEqualTo(id);
        assertThat(pay.text("paymentAmount.value")).isEqualTo("1000");
        assertThat(pay.text("paymentCreateTime")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+08:00");
        assertThat(statusOf(id)).isEqualTo("PROCESSING");
    }

    @Test
    void samePaymentRequestIdReturnsTheSameAnswerAndChangedParamsAreInconsistent() {
        String id = newRequestId();
        SandboxHttpClient.ApiResponse first = client.call("pay", payRequest(id, "GCASH", "PHP", "1000", "WEB"));

        SandboxHttpClient.ApiResponse again = client.call("pay", payRequest(id, "GCASH", "PHP", "1000", "WEB"));
        SandboxHttpClient.ApiResponse otherAmount = client.call("pay", payRequest(id, "GCASH", "PHP", "1001", "WEB"));
        SandboxHttpClient.ApiResponse otherMethod = client.call("pay", payRequest(id, "TNG", "USD", "1000", "WEB"));

        assertThat(again.body()).isEqualTo(first.body());
        assertThat(otherAmount.resultStatus()).isEqualTo("F");
        assertThat(otherAmount.resultCode()).isEqualTo("REPEAT_REQ_INCONSISTENT");
        assertThat(otherMethod.resultCode()).isEqualTo("REPEAT_REQ_INCONSISTENT");
        assertThat(client.get("/sandbox/control/payments").path("payments")).hasSize(1);
    }

    @Test
    void webContinuationHasNormalUrlAndQrCode() {
        SandboxHttpClient.ApiResponse pay = client.call("pay",
                payRequest(newRequestId(), "ALIPAY_HK", "HKD", "1000", "WEB"));

        assertThat(pay.text("normalUrl")).isEqualTo(sandbox.baseUrl() + "/sandbox/checkout/" + pay.text("paymentId"));
        JsonNode form = pay.body().path("orderCodeForm");
        assertThat(form.path("codeDetails")).hasSize(4);
        assertThat(form.path("codeDetails").get(0).path("displayType").asText()).isEqualTo("TEXT");
        assertThat(OffsetDateTime.parse(form.path("expireTime").asText())).isNotNull();
        assertThat(pay.body().has("applinkUrl")).isFalse();
        assertThat(pay.body().has("schemeUrl")).isFalse();
    }

    @Test
    void wapContinuationHasAppLinksOnlyWhenTheMethodHasAnApp() {
        SandboxHttpClient.ApiResponse wallet = client.call("pay",
                payRequest(newRequestId(), "GCASH", "PHP", "1000", "WAP"));
        SandboxHttpClient.ApiResponse bank = client.call("pay",
                payRequest(newRequestId(), "IDEAL", "EUR", "1000", "WAP"));

        assertThat(wallet.text("normalUrl")).isNotBlank();
        assertThat(wallet.text("applinkUrl")).isNotBlank();
        assertThat(wallet.text("schemeUrl")).startsWith("gcash://");
        assertThat(wallet.body().has("orderCodeForm")).isFalse();
        assertThat(bank.text("normalUrl")).isNotBlank();
        assertThat(bank.body().has("applinkUrl")).isFalse();
        assertThat(bank.body().has("schemeUrl")).isFalse();
    }

    @Test
    void appContinuationHasAppLinkSchemeNormalUrlAndAppIdentifier() {
        SandboxHttpClient.ApiResponse pay = client.call("pay",
                payRequest(newRequestId(), "ALIPAY_HK", "HKD", "1000", "APP"));

        assertThat(pay.text("applinkUrl")).isNotBlank();
        assertThat(pay.text("schemeUrl")).startsWith("alipayhk://");
        assertThat(pay.text("normalUrl")).contains("/sandbox/checkout/");
        assertThat(pay.text("appIdentifier")).isEqualTo("hk.alipay.wallet");
    }

    @Test
    void unpaidPaymentExpiresAfter14MinutesWithAFailNotification() {
        String id = newRequestId();
        client.call("pay", payRequest(id, "GCASH", "PHP", "1000", "WEB"));

        client.post("/sandbox/control/clock/advance?seconds=" + (13 * 60), null);
        assertThat(statusOf(id)).isEqualTo("PROCESSING");
        client.post("/sandbox/control/clock/advance?seconds=" + (60 + 1), null);

        SandboxHttpClient.ApiResponse inquiry = inquire(id);
        assertThat(inquiry.text("paymentStatus")).isEqualTo("FAIL");
        assertThat(inquiry.text("paymentResultCode")).isEqualTo("ORDER_IS_CLOSED");
        await().atMost(Duration.ofSeconds(5)).until(() -> !merchant.received(id).isEmpty());
        JsonNode notification = merchant.received(id).get(0).json();
        assertThat(Json.text(notification, "notifyType")).isEqualTo("PAYMENT_RESULT");
        assertThat(Json.text(notification, "result.resultStatus")).isEqualTo("F");
        assertThat(Json.text(notification, "result.resultCode")).isEqualTo("ORDER_IS_CLOSED");
    }

    @Test
    void requestedPaymentExpiryTimeOverridesTheDefault() {
        String id = newRequestId();
        ObjectNode request = payRequest(id, "GCASH", "PHP", "1000", "WEB");
        request.put("paymentExpiryTime", SandboxClock.format(sandbox.clock().now().plusSeconds(120)));
        client.call("pay", request);

        client.post("/sandbox/control/clock/advance?seconds=121", null);

        assertThat(statusOf(id)).isEqualTo("FAIL");
    }

    /** The sweep skips its scan until the earliest expiry; a later payment that expires sooner must move it. */
    @Test
    void aLaterPaymentWithAnEarlierExpiryStillExpiresOnTime() {
        String longLived = newRequestId();
        client.call("pay", payRequest(longLived, "GCASH", "PHP", "1000", "WEB"));
        client.post("/sandbox/control/clock/advance?seconds=60", null);
        String shortLived = newRequestId();
        ObjectNode request = payRequest(shortLived, "GCASH", "PHP", "1000", "WEB");
        request.put("paymentExpiryTime", SandboxClock.format(sandbox.clock().now().plusSeconds(120)));
        client.call("pay", request);

        client.post("/sandbox/control/clock/advance?seconds=121", null);

        assertThat(statusOf(shortLived)).isEqualTo("FAIL");
        assertThat(statusOf(longLived)).isEqualTo("PROCESSING");
    }

    @Test
    void gcashExpiryBeyond14MinutesIsRejected() {
        ObjectNode request = payRequest(newRequestId(), "GCASH", "PHP", "1000", "WEB");
        request.put("paymentExpiryTime", SandboxClock.format(sandbox.clock().now().plusSeconds(30 * 60)));

        SandboxHttpClient.ApiResponse pay = client.call("pay", request);

        assertThat(pay.resultStatus()).isEqualTo("F");
        assertThat(pay.resultCode()).isEqualTo("PARAM_ILLEGAL");
    }

    @Test
    void cardExpiresAfterSevenDaysWhenThreeDsIsNeverCompleted() {
        String id = newRequestId();
        client.call("pay", cardPayRequest(id, "10052", "AUTOMATIC"));

        client.post("/sandbox/control/clock/advance?seconds=" + (6 * 24 * 3600), null);
        assertThat(statusOf(id)).isEqualTo("PROCESSING");
        client.post("/sandbox/control/clock/advance?seconds=" + (24 * 3600 + 1), null);

        assertThat(statusOf(id)).isEqualTo("FAIL");
    }

    @Test
    void buyerPaysOnTheCheckoutPage() {
        String id = newRequestId();
        SandboxHttpClient.ApiResponse pay = client.call("pay", payRequest(id, "KAKAOPAY", "KRW", "15000", "WEB"));
        String paymentId = pay.text("paymentId");
        var page = client.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(pay.text("normalUrl"))).GET().build());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Pay", "Fail", "Cancel", paymentId);

        JsonNode answer = client.post("/sandbox/buyer/" + paymentId + "/pay", null);

        assertThat(answer.path("paymentStatus").asText()).isEqualTo("SUCCESS");
        SandboxHttpClient.ApiResponse inquiry = inquire(id);
        assertThat(inquiry.text("paymentStatus")).isEqualTo("SUCCESS");
        assertThat(inquiry.text("paymentTime")).isNotBlank();
        await().atMost(Duration.ofSeconds(5)).until(() -> merchant.received(id).size() == 1);
        assertThat(merchant.received(id).get(0).notifyType()).isEqualTo("PAYMENT_RESULT");
    }

    @Test
    void buyerFailsByPaymentRequestId() {
        String id = newRequestId();
        client.call("pay", payRequest(id, "TRUEMONEY", "THB", "1000", "APP"));

        JsonNode answer = client.post("/sandbox/buyer/by-request/" + id + "/fail", null);

        assertThat(answer.path("paymentStatus").asText()).isEqualTo("FAIL");
        assertThat(inquire(id).text("paymentResultCode")).isEqualTo("USER_BALANCE_NOT_ENOUGH");
        await().atMost(Duration.ofSeconds(5)).until(() -> merchant.received(id).size() == 1);
        assertThat(Json.text(merchant.received(id).get(0).json(), "result.resultStatus")).isEqualTo("F");
        // a finished payment cannot be paid any more
        client.control("POST", "/sandbox/buyer/by-request/" + id + "/pay", null, 409);
    }

    @Test
    void buyerAbandonsAndThePaymentStaysProcessingUntilExpiry() {
        String id = newRequestId();
        client.call("pay", payRequest(id, "TNG", "MYR", "1000", "WEB"));

        JsonNode answer = client.post("/sandbox/buyer/by-request/" + id + "/abandon", null);

        assertThat(answer.path("paymentStatus").asText()).isEqualTo("PROCESSING");
        assertThat(statusOf(id)).isEqualTo("PROCESSING");
        assertThat(merchant.received(id)).isEmpty();
        client.post("/sandbox/control/clock/advance?seconds=" + (15 * 60), null);
        assertThat(statusOf(id)).isEqualTo("FAIL");
    }

    @Test
    void scriptedOutcomeByMethodPaysWithoutABuyer() {
        client.post("/sandbox/control/script", Json.object().put("paymentMethodType", "GCASH").put("outcome", "PAY")
                .put("afterMs", 50));
        String id = newRequestId();

        client.call("pay", payRequest(id, "GCASH", "PHP", "1000", "WEB"));

        await().atMost(Duration.ofSeconds(5)).until(() -> "SUCCESS".equals(statusOf(id)));
        await().atMost(Duration.ofSeconds(5)).until(() -> merchant.received(id).size() == 1);
    }

    @Test
    void scriptedOutcomeByAmountFails() {
        client.post("/sandbox/control/script", Json.object().put("amountValue", "4242").put("outcome", "FAIL"));
        String failing = newRequestId();
        String other = newRequestId();

        client.call("pay", payRequest(failing, "ALIPAY_CN", "USD", "4242", "WEB"));
        client.call("pay", payRequest(other, "ALIPAY_CN", "USD", "4243", "WEB"));

        await().atMost(Duration.ofSeconds(5)).until(() -> "FAIL".equals(statusOf(failing)));
        assertThat(statusOf(other)).isEqualTo("PROCESSING");
    }

    @Test
    void pendingThenPaySendsPaymentPendingThenPaymentResult() {
        client.post("/sandbox/control/script", Json.object().put("paymentMethodType", "DANA")
                .put("outcome", "PENDING_THEN_PAY").put("afterMs", 100));
        String id = newRequestId();

        client.call("pay", payRequest(id, "DANA", "IDR", "5000000", "WAP"));

        await().atMost(Duration.ofSeconds(5)).until(() -> merchant.received(id).size() == 2);
        List<String> types = new ArrayList<>();
        merchant.received(id).forEach(r -> types.add(r.notifyType()));
        assertThat(types).containsExactly("PAYMENT_PENDING", "PAYMENT_RESULT");
        assertThat(statusOf(id)).isEqualTo("SUCCESS");
    }

    @Test
    void magicAmountsPayAndFailAutomatically() {
        String pays = newRequestId();
        String fails = newRequestId();

        client.call("pay", payRequest(pays, "GCASH", "PHP", "10061", "WEB"));
        client.call("pay", payRequest(fails, "GCASH", "PHP", "10062", "WEB"));

        await().atMost(Duration.ofSeconds(5)).until(() -> "SUCCESS".equals(statusOf(pays)));
        await().atMost(Duration.ofSeconds(5)).until(() -> "FAIL".equals(statusOf(fails)));
    }

    @Test
    void createPaymentSessionThenBuyerPays() {
        String id = newRequestId();
        ObjectNode request = payRequest(id, "ONLINEBANKING_FPX", "MYR", "4200", "WEB");
        request.remove("env"); // the doc's session sample has no env
        request.put("productScene", "CHECKOUT_PAYMENT");

        SandboxHttpClient.ApiResponse session = client.call("createPaymentSession", request);
        SandboxHttpClient.ApiResponse again = client.call("createPaymentSession", request);

        assertThat(session.resultStatus()).isEqualTo("S");
        assertThat(session.text("paymentSessionData")).isNotBlank();
        assertThat(session.text("paymentSessionId")).isNotBlank();
        assertThat(OffsetDateTime.parse(session.text("paymentSessionExpiryTime"))).isNotNull();
        assertThat(again.body()).isEqualTo(session.body());
        assertThat(statusOf(id)).isEqualTo("PROCESSING");

        client.post("/sandbox/buyer/by-request/" + id + "/pay", null);

        assertThat(statusOf(id)).isEqualTo("SUCCESS");
        await().atMost(Duration.ofSeconds(5)).until(() -> merchant.received(id).size() == 1);
    }

    @Test
    void inquiryByPaymentIdWinsAndUnknownIsOrderNotExist() {
        String id = newRequestId();
        String paymentId = client.call("pay", payRequest(id, "GCASH", "PHP", "1000", "WEB")).text("paymentId");

        SandboxHttpClient.ApiResponse both = client.call("inquiryPayment",
                Json.object().put("paymentId", paymentId).put("paymentRequestId", "someone-else"));
        SandboxHttpClient.ApiResponse unknown = client.call("inquiryPayment", byRequestId("nope-" + id));

        assertThat(both.resultStatus()).isEqualTo("S");
        assertThat(both.text("paymentRequestId")).isEqualTo(id);
        assertThat(unknown.resultStatus()).isEqualTo("F");
        assertThat(unknown.resultCode()).isEqualTo("ORDER_NOT_EXIST");
    }

    @Test
    void consultListsMethodsFilteredByCurrencyAndAllowedMethods() {
        ObjectNode request = Json.object().put("productCode", "CASHIER_PAYMENT");
        request.set("paymentAmount", Json.amount("PHP", "1000"));

        SandboxHttpClient.ApiResponse all = client.call("consult", request);
        request.putArray("allowedPaymentMethods").add("GCASH").add("DANA");
        SandboxHttpClient.ApiResponse some = client.call("consult", request);

        assertThat(all.resultStatus()).isEqualTo("S");
        assertThat(all.body().path("paymentOptions").size()).isGreaterThanOrEqualTo(8);
        assertThat(some.body().path("paymentOptions")).hasSize(2);
        JsonNode gcash = some.body().path("paymentOptions").get(0);
        JsonNode dana = some.body().path("paymentOptions").get(1);
        assertThat(gcash.path("paymentMethodType").asText()).isEqualTo("GCASH");
        assertThat(gcash.path("enabled").asBoolean()).isTrue();
        assertThat(dana.path("enabled").asBoolean()).isFalse();
        JsonNode card = all.body().findParents("paymentMethodType").stream()
                .filter(o -> o.path("paymentMethodType").asText().equals("CARD")).findFirst().orElseThrow();
        assertThat(card.path("paymentOptionDetail").path("supportCardBrands")).isNotEmpty();
    }

    @Test
    void missingRequiredFieldsAreParamIllegal() {
        ObjectNode request = payRequest(newRequestId(), "GCASH", "PHP", "1000", "WEB");
        request.remove("paymentAmount");

        SandboxHttpClient.ApiResponse response = client.call("pay", request);

        assertThat(response.resultStatus()).isEqualTo("F");
        assertThat(response.resultCode()).isEqualTo("PARAM_ILLEGAL");
    }
}
