package com.checkoutroutes.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every link the sandbox hands out leads somewhere: each answers 200, and each page links on to the checkout page,
 * which returns the buyer to the merchant's paymentRedirectUrl after paying or cancelling.
 */
class BuyerPagesTest extends SandboxTestSupport {

    private static final Pattern CONTINUE = Pattern.compile("id=\"continue\" href=\"([^\"]+)\"");
    private static final String SHOP = "https://shop.example/return";

    @Test
    void theWebQrCodeAndItsImagesLeadToTheCheckoutPage() {
        SandboxHttpClient.ApiResponse pay = client.call("pay", payRequest(newRequestId(), "ALIPAY_CN", "USD", "1250", "WEB"));
        String checkout = sandbox.baseUrl() + "/sandbox/checkout/" + pay.text("paymentId");
        List<String> codes = new ArrayList<>();
        pay.body().path("orderCodeForm").path("codeDetails").forEach(d -> codes.add(d.path("codeValue").asText()));
        assertThat(codes).hasSize(4);

        HttpResponse<String> scanned = get(codes.get(0));
        assertThat(scanned.statusCode()).isEqualTo(200);
        assertThat(continueLink(scanned)).isEqualTo(checkout);
        for (String image : codes.subList(1, codes.size())) {
            HttpResponse<String> svg = get(image);
            assertThat(svg.statusCode()).as(image).isEqualTo(200);
            assertThat(svg.headers().firstValue("Content-Type").orElse("")).startsWith("image/svg+xml");
        }
        assertThat(get(checkout).statusCode()).isEqualTo(200);
    }

    @Test
    void theAppLinkLandingPageSaysWhatAPhoneWouldOpenAndContinuesInTheBrowser() {
        SandboxHttpClient.ApiResponse pay = client.call("pay", payRequest(newRequestId(), "GCASH", "PHP", "1000", "APP"));

        HttpResponse<String> landing = get(pay.text("applinkUrl"));

        assertThat(landing.statusCode()).isEqualTo(200);
        assertThat(landing.body()).contains("GCASH app", "com.globe.gcash.android");
        assertThat(continueLink(landing)).isEqualTo(pay.text("normalUrl"));
        assertThat(get(sandbox.baseUrl() + "/sandbox/applink/GCASH?orderCode=https://evil.example/").statusCode())
                .as("only sandbox checkout pages").isEqualTo(404);
    }

    @Test
    void anSdkSessionHasItsOwnPageThatLeadsToTheCheckoutPage() {
        ObjectNode request = payRequest(newRequestId(), "ONLINEBANKING_FPX", "MYR", "4200", "WEB");
        request.put("productScene", "CHECKOUT_PAYMENT");
        SandboxHttpClient.ApiResponse session = client.call("createPaymentSession", request);

        HttpResponse<String> page = get(session.text("normalUrl"));

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains(session.text("paymentSessionId"), "ONLINEBANKING_FPX");
        assertThat(get(continueLink(page)).statusCode()).isEqualTo(200);
    }

    @Test
    void theCheckoutPageReturnsTheBuyerToTheShopAfterPayingOrCancelling() {
        SandboxHttpClient.ApiResponse pay = client.call("pay", payRequest(newRequestId(), "KAKAOPAY", "KRW", "15000", "WEB"));

        HttpResponse<String> page = get(pay.text("normalUrl"));

        assertThat(page.body()).contains("id=\"return-link\" href=\"" + SHOP + "\"", "window.location.assign");
        ObjectNode unsafe = payRequest(newRequestId(), "KAKAOPAY", "KRW", "15000", "WEB");
        unsafe.put("paymentRedirectUrl", "javascript:alert(1)");
        assertThat(get(client.call("pay", unsafe).text("normalUrl")).body()).doesNotContain("id=\"return-link\"");
    }

    @Test
    void consultLogosAnswer() {
        ObjectNode request = com.checkoutroutes.sandbox.Json.object().put("productCode", "CASHIER_PAYMENT");
        request.set("paymentAmount", com.checkoutroutes.sandbox.Json.amount("PHP", "1000"));
        JsonNode options = client.call("consult", request).body().path("paymentOptions");
        assertThat(options).isNotEmpty();
        options.forEach(option -> assertThat(get(option.path("logo").path("logoUrl").asText()).statusCode())
                .as(option.path("paymentMethodType").asText()).isEqualTo(200));
    }

    private static HttpResponse<String> get(String url) {
        return client.send(HttpRequest.newBuilder(URI.create(url)).GET().build());
    }

    private static String continueLink(HttpResponse<String> page) {
        Matcher m = CONTINUE.matcher(page.body());
        assertThat(m.find()).as(page.body()).isTrue();
        return m.group(1).replace("&amp;", "&");
    }
}
