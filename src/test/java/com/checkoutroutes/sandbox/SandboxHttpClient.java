package com.checkoutroutes.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.checkoutroutes.signature.AntomSignature;
import com.checkoutroutes.signature.RsaKeys;
import com.checkoutroutes.signature.SignatureHeader;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Duration;

/** A plain HTTP merchant for the sandbox: signs requests with the merchant key, checks every signed answer. */
final class SandboxHttpClient {

    static final String KEYS = "config/sandbox-keys/";
    static final PrivateKey MERCHANT_PRIVATE = RsaKeys.privateKey(KEYS + "merchant-private.pem", "merchant");
    static final PublicKey ANTOM_PUBLIC = RsaKeys.publicKey(KEYS + "antom-public.pem", "antom");

    /** A signed API answer: HTTP status, parsed body, and the raw response for header checks. */
    record ApiResponse(int status, JsonNode body, HttpResponse<String> raw) {
        String resultStatus() {
            return Json.text(body, "result.resultStatus");
        }

        String resultCode() {
            return Json.text(body, "result.resultCode");
        }

        String text(String path) {
            return Json.text(body, path);
        }
    }

    private final String baseUrl;
    private final String clientId;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    SandboxHttpClient(String baseUrl, String clientId) {
        this.baseUrl = baseUrl;
        this.clientId = clientId;
    }

    ApiResponse call(String api, Object body) {
        return call(api, Json.write(Json.valueToTree(body)), null, Duration.ofSeconds(10));
    }

    /** Sends {@code sentBody}; signs {@code signedBody} instead when given (to forge tampering). */
    ApiResponse call(String api, String sentBody, String signedBody, Duration timeout) {
        String path = "/ams/api/v1/payments/" + api;
        String requestTime = String.valueOf(System.currentTimeMillis());
        String signature = AntomSignature.sign(AntomSignature.content("POST", path, clientId, requestTime,
                signedBody == null ? sentBody : signedBody), MERCHANT_PRIVATE);
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(timeout)
                .header("Content-Type", "application/json; charset=UTF-8")
                .header("client-id", clientId)
                .header("request-time", requestTime)
                .header("signature", SignatureHeader.format(1, signature))
                .POST(HttpRequest.BodyPublishers.ofString(sentBody))
                .build();
        HttpResponse<String> response = send(request);
        if (response.statusCode() != 200) {
            return new ApiResponse(response.statusCode(), Json.parseOrNull(response.body()), response);
        }
        assertSignedByAntom(response, path);
        return new ApiResponse(200, Json.parse(response.body()), response);
    }

    /** Every 200 answer must carry a valid Antom signature over the request path. */
    static void assertSignedByAntom(HttpResponse<String> response, String path) {
        String responseTime = response.headers().firstValue("response-time").orElse(null);
        String clientId = response.headers().firstValue("client-id").orElse(null);
        String signatureHeader = response.headers().firstValue("signature").orElse(null);
        assertThat(responseTime).as("response-time header").isNotBlank();
        assertThat(signatureHeader).as("signature header").startsWith("algorithm=RSA256,keyVersion=1,signature=");
        String signature = SignatureHeader.signatureOf(signatureHeader).orElseThrow();
        assertThat(AntomSignature.verify(AntomSignature.content("POST", path, clientId, responseTime,
                response.body()), signature, ANTOM_PUBLIC)).as("response signature").isTrue();
    }

    JsonNode get(String path) {
        return control("GET", path, null, 200);
    }

    JsonNode post(String path, Object body) {
        return control("POST", path, body, 200);
    }

    JsonNode delete(String path) {
        return control("DELETE", path, null, 200);
    }

    JsonNode control(String method, String path, Object body, int expectedStatus) {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : Json.write(Json.valueToTree(body)));
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).method(method, publisher)
                .timeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> response = send(request);
        assertThat(response.statusCode()).as(method + " " + path + " -> " + response.body()).isEqualTo(expectedStatus);
        return response.body().isEmpty() ? Json.object() : Json.parse(response.body());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
