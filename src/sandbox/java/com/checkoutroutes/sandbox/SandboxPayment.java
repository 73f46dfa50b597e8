package com.checkoutroutes.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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
}
