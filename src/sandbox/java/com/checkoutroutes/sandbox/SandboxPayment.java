package com.checkoutroutes.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One payment as the sandbox holds it. Mutable; every read and write happens under the {@link SandboxPayments}
 * lock.
 */
public final class SandboxPayment {

    /** A capture (manual, or the one the sandbox makes itself for AUTOMATIC cards). */
    public record Capture(String captureRequestId, String captureId, String currency, String value, Instant time,
                          boolean automatic) {
    }

    /** A successful refund. */
    public record Refund(String refundRequestId, String refundId, String currency, String value, Instant time) {
    }

    final String paymentRequestId;
    final String paymentId;
    final PaymentMethodProfile method;
    final String currency;
    final String value;
    final String productCode;
    final String terminalType;
    final String notifyUrl;
    final String referenceOrderId;
    final String orderDescription;
    final boolean manualCapture;
    final boolean session;
    final Instant createTime;
    final Instant expiryTime;

    PaymentStatus status = PaymentStatus.PROCESSING;
    ApiResult paymentResult = ApiResult.PAYMENT_IN_PROCESS;
    Instant paymentTime;
    Instant cancelTime;
    String cancelId;
    Capture capture;
    final List<Refund> refunds = new ArrayList<>();
    /**
     * The first answer to pay/createPaymentSession, replayed for idempotent repeats. Kept as text: a JSON tree per
     * payment held a load run's sandbox (tens of thousands of payments, in the driver's JVM) beyond its heap.
     */
    String storedAnswer;
    String paymentSessionId;
    /** The merchant's paymentRedirectUrl: where the checkout page returns the buyer. */
    String redirectUrl;

    SandboxPayment(String paymentRequestId, String paymentId, PaymentMethodProfile method, String currency,
                   String value, String productCode, String terminalType, String notifyUrl, String referenceOrderId,
                   String orderDescription, boolean manualCapture, boolean session, Instant createTime,
                   Instant expiryTime) {
        this.paymentRequestId = paymentRequestId;
        this.paymentId = paymentId;
        this.method = method;
        this.currency = currency;
        this.value = value;
        this.productCode = productCode;
        this.terminalType = terminalType;
        this.notifyUrl = notifyUrl;
        this.referenceOrderId = referenceOrderId;
        this.orderDescription = orderDescription;
        this.manualCapture = manualCapture;
        this.session = session;
        this.createTime = createTime;
        this.expiryTime = expiryTime;
    }

    public String paymentRequestId() {
        return paymentRequestId;
    }

    public String paymentId() {
        return paymentId;
    }

    public PaymentStatus status() {
        return status;
    }

    boolean isCard() {
        return method.isCard();
    }

    /** Card authorisations must be captured (and may be cancelled) within 7 days. */
    Instant authExpiryTime() {
        return isCard() && paymentTime != null ? paymentTime.plus(java.time.Duration.ofDays(7)) : null;
    }

    long refundedMinor() {
        return refunds.stream().mapToLong(r -> Long.parseLong(r.value())).sum();
    }

    ObjectNode amountJson() {
        return Json.amount(currency, value);
    }

    /** The control API's view: everything, including what Antom would not tell a merchant. */
    ObjectNode toControlView() {
        ObjectNode node = Json.object();
        node.put("paymentRequestId", paymentRequestId);
        node.put("paymentId", paymentId);
        node.put("paymentMethodType", method.type());
        node.set("paymentAmount", amountJson());
        node.put("paymentStatus", status.name());
        node.put("paymentResultCode", paymentResult.resultCode());
        node.put("terminalType", terminalType);
        node.put("captureMode", isCard() ? (manualCapture ? "MANUAL" : "AUTOMATIC") : null);
        node.put("session", session);
        node.put("paymentNotifyUrl", notifyUrl);
        node.put("paymentCreateTime", SandboxClock.format(createTime));
        node.put("paymentExpiryTime", SandboxClock.format(expiryTime));
        node.put("paymentTime", SandboxClock.format(paymentTime));
        node.put("authExpiryTime", SandboxClock.format(authExpiryTime()));
        node.put("cancelTime", SandboxClock.format(cancelTime));
        if (capture != null) {
            ObjectNode c = node.putObject("capture");
            c.put("captureRequestId", capture.captureRequestId());
            c.put("captureId", capture.captureId());
            c.set("captureAmount", Json.amount(capture.currency(), capture.value()));
            c.put("captureTime", SandboxClock.format(capture.time()));
            c.put("automatic", capture.automatic());
        }
        var refundArray = node.putArray("refunds");
        for (Refund refund : refunds) {
            ObjectNode r = refundArray.addObject();
            r.put("refundRequestId", refund.refundRequestId());
            r.put("refundId", refund.refundId());
            r.set("refundAmount", Json.amount(refund.currency(), refund.value()));
            r.put("refundTime", SandboxClock.format(refund.time()));
        }
        return node;
    }

    // ---- the journal's form (SandboxJournal): every field, times at full precision -------------------------

    ObjectNode toRecord() {
        ObjectNode node = Json.object();
        node.put("paymentRequestId", paymentRequestId);
        node.put("paymentId", paymentId);
        node.put("paymentMethodType", method.type());
        node.put("currency", currency);
        node.put("value", value);
        node.put("productCode", productCode);
        node.put("terminalType", terminalType);
        node.put("notifyUrl", notifyUrl);
        node.put("referenceOrderId", referenceOrderId);
        node.put("orderDescription", orderDescription);
        node.put("manualCapture", manualCapture);
        node.put("session", session);
        node.put("createTime", instant(createTime));
        node.put("expiryTime", instant(expiryTime));
        node.put("status", status.name());
        node.set("paymentResult", paymentResult.toJson());
        node.put("paymentTime", instant(paymentTime));
        node.put("cancelTime", instant(cancelTime));
        node.put("cancelId", cancelId);
        if (capture != null) {
            node.putObject("capture").put("captureRequestId", capture.captureRequestId())
                    .put("captureId", capture.captureId()).put("currency", capture.currency())
                    .put("value", capture.value()).put("time", instant(capture.time()))
                    .put("automatic", capture.automatic());
        }
        var refundArray = node.putArray("refunds");
        for (Refund refund : refunds) {
            refundArray.addObject().put("refundRequestId", refund.refundRequestId()).put("refundId", refund.refundId())
                    .put("currency", refund.currency()).put("value", refund.value())
                    .put("time", instant(refund.time()));
        }
        node.put("storedAnswer", storedAnswer);
        node.put("paymentSessionId", paymentSessionId);
        node.put("redirectUrl", redirectUrl);
        return node;
    }

    /** The payment a {@link #toRecord()} describes; empty if its method is no longer in the catalog. */
    static Optional<SandboxPayment> fromRecord(JsonNode node, PaymentMethodCatalog catalog) {
        Optional<PaymentMethodProfile> method = catalog.find(Json.text(node, "paymentMethodType"));
        if (method.isEmpty()) {
            return Optional.empty();
        }
        SandboxPayment payment = new SandboxPayment(Json.text(node, "paymentRequestId"), Json.text(node, "paymentId"),
                method.get(), Json.text(node, "currency"), Json.text(node, "value"), Json.text(node, "productCode"),
                Json.text(node, "terminalType"), Json.text(node, "notifyUrl"), Json.text(node, "referenceOrderId"),
                Json.text(node, "orderDescription"), node.path("manualCapture").asBoolean(),
                node.path("session").asBoolean(), instant(node, "createTime"), instant(node, "expiryTime"));
        payment.status = PaymentStatus.valueOf(Json.text(node, "status"));
        JsonNode result = node.path("paymentResult");
        payment.paymentResult = new ApiResult(Json.text(result, "resultStatus"), Json.text(result, "resultCode"),
                Json.text(result, "resultMessage"));
        payment.paymentTime = instant(node, "paymentTime");
        payment.cancelTime = instant(node, "cancelTime");
        payment.cancelId = Json.text(node, "cancelId");
        JsonNode c = node.get("capture");
        if (c != null && c.isObject()) {
            payment.capture = new Capture(Json.text(c, "captureRequestId"), Json.text(c, "captureId"),
                    Json.text(c, "currency"), Json.text(c, "value"), instant(c, "time"), c.path("automatic").asBoolean());
        }
        for (JsonNode r : node.path("refunds")) {
            payment.refunds.add(new Refund(Json.text(r, "refundRequestId"), Json.text(r, "refundId"),
                    Json.text(r, "currency"), Json.text(r, "value"), instant(r, "time")));
        }
        payment.storedAnswer = Json.text(node, "storedAnswer");
        payment.paymentSessionId = Json.text(node, "paymentSessionId");
        payment.redirectUrl = Json.text(node, "redirectUrl");
        return Optional.of(payment);
    }

    private static String instant(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static Instant instant(JsonNode node, String field) {
        String text = Json.text(node, field);
        return text == null ? null : Instant.parse(text);
    }
}
