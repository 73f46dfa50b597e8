package com.checkoutroutes.notifications;

import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.testsupport.AntomNotifier;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Makes notifications about one payment the way Antom, a forger or a broken proxy would: bodies, signatures and
 * headers, each correct unless a case says otherwise.
 */
final class NotificationForge {

    /** What goes on the wire: method, exact bytes, exact headers. */
    record Request(String method, byte[] body, Map<String, String> headers) {
    }

    final AntomNotifier antom;
    final String path;
    final String clientId;
    final String paymentRequestId;
    final String paymentId;
    final String currency;
    final long amount;
    /** For a paid payment: the notification (bytes and headers) that paid it. */
    Request applied;

    NotificationForge(AntomNotifier antom, String path, String clientId, String paymentRequestId, String paymentId,
            String currency, long amount) {
        this.antom = antom;
        this.path = path;
        this.clientId = clientId;
        this.paymentRequestId = paymentRequestId;
        this.paymentId = paymentId;
        this.currency = currency;
        this.amount = amount;
    }

    static NotificationForge about(AntomNotifier antom, String path, String clientId, PaymentAttempt attempt) {
        return new NotificationForge(antom, path, clientId, attempt.paymentRequestId(), attempt.paymentId(),
                attempt.currency(), attempt.amountValue());
    }

    /** The notifyPayment that would succeed this payment. */
    String success() {
        return result("S", "SUCCESS");
    }

    String result(String status, String code) {
        return AntomNotifier.paymentResult("PAYMENT_RESULT", status, code, paymentRequestId, paymentId, currency, amount);
    }

    /** A notifyCapture for this payment, as Antom's docs show it. */
    String capture(String captureRequestId) {
        return "{\"notifyType\":\"CAPTURE_RESULT\",\"result\":{\"resultCode\":\"SUCCESS\",\"resultStatus\":\"S\","
                + "\"resultMessage\":\"success\"},\"captureRequestId\":\"" + captureRequestId + "\",\"paymentId\":\""
                + paymentId + "\",\"captureId\":\"" + paymentId + "-cap\",\"captureAmount\":{\"currency\":\"" + currency
                + "\",\"value\":\"" + amount + "\"},\"captureTime\":\"2026-11-22T10:02:00+08:00\"}";
    }

    /** A notifyRefund naming this payment, as Antom's docs show it. */
    String refund(String refundRequestId, String refundStatus) {
        return "{\"notifyType\":\"REFUND_RESULT\",\"result\":{\"resultCode\":\"SUCCESS\",\"resultStatus\":\"S\","
                + "\"resultMessage\":\"success\"},\"refundStatus\":\"" + refundStatus + "\",\"refundRequestId\":\""
                + refundRequestId + "\",\"refundId\":\"" + paymentId + "-ref\",\"paymentId\":\"" + paymentId
                + "\",\"refundAmount\":{\"currency\":\"" + currency + "\",\"value\":\"" + amount
                + "\"},\"refundTime\":\"2026-11-22T10:05:00+08:00\"}";
    }

    /** A notifyDispute naming this payment, as Antom's docs list its fields (no notifyType, no result). */
    String dispute(String disputeNotificationType) {
        return "{\"paymentRequestId\":\"" + paymentRequestId + "\",\"disputeId\":\"DSP-1\",\"paymentId\":\""
                + paymentId + "\",\"disputeTime\":\"2026-11-22T10:05:00+08:00\",\"disputeAmount\":{\"currency\":\""
                + currency + "\",\"value\":\"" + amount + "\"},\"disputeNotificationType\":\""
                + disputeNotificationType + "\"}";
    }

    /** The success body with one JSON fragment replaced (a field's value, type or presence). */
    String successWith(String fragment, String replacement) {
        String body = success();
        if (!body.contains(fragment)) {
            throw new IllegalArgumentException(fragment + " is not in " + body);
        }
        return body.replace(fragment, replacement);
    }

    /** The success body with an extra field before the closing brace. */
    String successPlus(String name, String jsonValue) {
        String body = success();
        return body.substring(0, body.length() - 1) + ",\"" + name + "\":" + jsonValue + "}";
    }

    String time() {
        return String.valueOf(System.currentTimeMillis());
    }

    /** Signed by Antom's key over exactly this text, as Antom does. */
    Request signed(String body) {
        return signed(body.getBytes(StandardCharsets.UTF_8));
    }

    /** Signed over the text our verifier sees in these bytes, so nothing but the bytes themselves can refuse it. */
    Request signed(byte[] body) {
        String time = time();
        String text = new String(body, StandardCharsets.UTF_8);
        return post(body, antom.headers(time, antom.sign(text, time, AntomNotifier.ANTOM_PRIVATE_KEY)));
    }

    /** Signed by Antom's key with this request-time, whatever it says: only the time itself can refuse it. */
    Request signedAt(String body, String time) {
        return post(bytes(body), antom.headers(time, antom.sign(body, time, AntomNotifier.ANTOM_PRIVATE_KEY)));
    }

    /** Signed over {@code signedBody} but carrying {@code sentBody}: a replay with the body altered. */
    Request signedOver(String signedBody, String sentBody) {
        String time = time();
        return post(sentBody.getBytes(StandardCharsets.UTF_8),
                antom.headers(time, antom.sign(signedBody, time, AntomNotifier.ANTOM_PRIVATE_KEY)));
    }

    /** A signature over something other than this request (another method, path, client-id or key). */
    Request signedAs(String method, String signedPath, String signedClientId, String key, String body) {
        String time = time();
        return post(bytes(body), antom.headers(time, antom.sign(method, signedPath, signedClientId, body, time, key)));
    }

    /** Signed correctly, then one header changed ({@code null} removes it). */
    Request signedWithHeader(String body, String header, String value) {
        Request request = signed(body);
        Map<String, String> headers = new LinkedHashMap<>(request.headers());
        if (value == null) {
            headers.remove(header);
        } else {
            headers.put(header, value);
        }
        return post(request.body(), headers);
    }

    Request post(byte[] body, Map<String, String> headers) {
        return new Request("POST", body, headers);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
