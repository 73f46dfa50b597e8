package com.checkoutroutes.testsupport;

import com.alipay.global.api.tools.SignatureTool;
import com.checkoutroutes.signature.JdkBase64ForSdk;
import com.checkoutroutes.signature.RsaKeys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Plays Antom sending a notification, signed with the SDK's own {@code SignatureTool} and the sandbox's Antom key,
 * so the endpoint is proven against the SDK's scheme, not only against our signer.
 */
public final class AntomNotifier {

    public static final String ANTOM_PRIVATE_KEY = "config/sandbox-keys/antom-private.pem";
    public static final String MERCHANT_PRIVATE_KEY = "config/sandbox-keys/merchant-private.pem";

    private final HttpClient http = HttpClient.newHttpClient();
    private final String url;
    private final String path;
    private final String clientId;

    public AntomNotifier(int port, String path, String clientId) {
        JdkBase64ForSdk.install();
        this.url = "http://127.0.0.1:" + port + path;
        this.path = path;
        this.clientId = clientId;
    }

    public record Answer(int status, String body) {
    }

    public String sign(String body, String requestTime, String privateKeyFile) {
        return sign("POST", path, clientId, body, requestTime, privateKeyFile);
    }

    /** A signature over any method, path and client-id: how a signature meant for something else is made. */
    public String sign(String method, String signedPath, String signedClientId, String body, String requestTime,
            String privateKeyFile) {
        try {
            String key = RsaKeys.base64Body(RsaKeys.readKeyText(privateKeyFile, "test key"));
            return "algorithm=RSA256,keyVersion=1,signature="
                    + SignatureTool.sign(method, signedPath, signedClientId, requestTime, body, key);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends {@code body} signed as Antom would. */
    public Answer send(String body) {
        String time = String.valueOf(System.currentTimeMillis());
        return send(body, headers(time, sign(body, time, ANTOM_PRIVATE_KEY)));
    }

    public Map<String, String> headers(String requestTime, String signature) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("client-id", clientId);
        headers.put("request-time", requestTime);
        headers.put("signature", signature);
        return headers;
    }

    public Answer send(String body, Map<String, String> headers) {
        return send("POST", body.getBytes(java.nio.charset.StandardCharsets.UTF_8), headers);
    }

    /** Sends exactly these bytes (any encoding, any method) with exactly these headers. */
    public Answer send(String method, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json; charset=UTF-8")
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A notifyPayment body as Antom's docs show it. */
    public static String paymentResult(String notifyType, String status, String code, String paymentRequestId,
            String paymentId, String currency, long value) {
        return "{\"notifyType\":\"" + notifyType + "\",\"result\":{\"resultCode\":\"" + code
                + "\",\"resultStatus\":\"" + status + "\",\"resultMessage\":\"" + code.toLowerCase()
                + "\"},\"paymentRequestId\":\"" + paymentRequestId + "\",\"paymentId\":\"" + paymentId
                + "\",\"paymentAmount\":{\"currency\":\"" + currency + "\",\"value\":\"" + value
                + "\"},\"paymentCreateTime\":\"2026-11-22T10:00:00+08:00\",\"paymentTime\":\"2026-11-22T10:01:00+08:00\"}";
    }

    /** A notifyCapture body as Antom's docs show it, for the whole amount of a payment. */
    public static String captureResult(String paymentId, String captureRequestId, boolean succeeded, String currency,
            long value) {
        return "{\"notifyType\":\"CAPTURE_RESULT\",\"result\":{\"resultCode\":\""
                + (succeeded ? "SUCCESS\",\"resultStatus\":\"S" : "PROCESS_FAIL\",\"resultStatus\":\"F")
                + "\",\"resultMessage\":\"m\"},\"captureRequestId\":\"" + captureRequestId
                + "\",\"paymentId\":\"" + paymentId + "\",\"captureId\":\"c-" + captureRequestId
                + "\",\"captureAmount\":{\"currency\":\"" + currency + "\",\"value\":\"" + value
                + "\"},\"captureTime\":\"2026-12-04T10:00:00+08:00\"}";
    }

    /** A notifyRefund body as Antom's docs show it ({@code refundStatus} SUCCESS or FAIL). */
    public static String refundResult(String refundRequestId, String refundId, String paymentId, String refundStatus,
            String currency, long value) {
        return "{\"notifyType\":\"REFUND_RESULT\",\"result\":{\"resultCode\":\"SUCCESS\",\"resultStatus\":\"S\","
                + "\"resultMessage\":\"success\"},\"refundStatus\":\"" + refundStatus + "\",\"refundRequestId\":\""
                + refundRequestId + "\",\"refundId\":\"" + refundId + "\",\"paymentId\":\"" + paymentId
                + "\",\"refundAmount\":{\"currency\":\"" + currency + "\",\"value\":\"" + value + "\"},"
                + "\"refundTime\":\"2026-11-22T10:05:00+08:00\"}";
    }
}
