package com.checkoutroutes.sandbox;

import com.alipay.global.api.BaseAlipayClient;
import com.alipay.global.api.exception.AlipayApiException;
import com.alipay.global.api.net.HttpRpcResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * The SDK's own client over java.net.http: the SDK signs requests and checks response signatures; we only move
 * bytes. The last raw response is kept so tests can prove the signature headers really were there (the SDK
 * silently skips verification when they are missing).
 */
final class SdkTestClient extends BaseAlipayClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    volatile HttpResponse<String> lastResponse;
    volatile String lastRequestPath;

    SdkTestClient(String gatewayUrl, String merchantPrivateKey, String antomPublicKey, String clientId) {
        super(gatewayUrl, merchantPrivateKey, antomPublicKey, clientId);
    }

    @Override
    public Map<String, String> buildCustomHeader() {
        return Map.of();
    }

    @Override
    public HttpRpcResult sendRequest(String requestUrl, String httpMethod, Map<String, String> header,
                                     String reqBody) throws AlipayApiException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(requestUrl)).timeout(Duration.ofSeconds(10))
                .method(httpMethod, HttpRequest.BodyPublishers.ofString(reqBody));
        header.forEach(builder::header);
        try {
            HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            lastResponse = response;
            lastRequestPath = URI.create(requestUrl).getRawPath();
            HttpRpcResult result = new HttpRpcResult();
            result.setRspCode(response.statusCode());
            result.setRspBody(response.body());
            result.setResponseTime(response.headers().firstValue("response-time").orElse(null));
            result.setRspSign(signatureValue(response.headers().firstValue("signature").orElse(null)));
            return result;
        } catch (Exception e) {
            throw new AlipayApiException(e);
        }
    }

    /** Same parsing as the SDK's DefaultHttpRPC: the third comma-separated part, after '='. */
    private static String signatureValue(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String[] parts = header.split(",");
        if (parts.length < 3) {
            return null;
        }
        String[] item = parts[2].split("=");
        return item.length == 2 ? item[1] : null;
    }
}
