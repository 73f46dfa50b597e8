package com.checkoutroutes.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * The transitions a payment goes through after it is created (buyer paid, failed, pending, expired, captured,
 * refunded) and the notifications each one sends. Callers hold the {@link SandboxPayments} lock. Each transition is saved
 * before its notification is queued: a merchant never hears of a state the sandbox could forget in a kill.
 */
public final class PaymentLifecycle {

    private final SandboxPayments payments;
    private final SandboxClock clock;
    private final NotificationSender notifications;

    public PaymentLifecycle(SandboxPayments payments, SandboxClock clock, NotificationSender notifications) {
        this.payments = payments;
        this.clock = clock;
        this.notifications = notifications;
    }

    /** The buyer paid (or the card was authorised). AUTOMATIC cards are captured at once, with notifyCapture. */
    public boolean paid(SandboxPayment payment) {
        if (!payment.status.isOpen()) {
            return false;
        }
        Instant now = clock.now();
        payment.status = PaymentStatus.SUCCESS;
        payment.paymentResult = ApiResult.SUCCESS;
        payment.paymentTime = now;
        boolean autoCapture = payment.isCard() && !payment.manualCapture;
        if (autoCapture) {
            payment.capture = new SandboxPayment.Capture("AUTO_" + payment.paymentRequestId,
                    payments.newId("1940108001", now), payment.currency, payment.value, now, true);
        }
        payments.save(payment);
        notifyPayment(payment, "PAYMENT_RESULT", ApiResult.SUCCESS);
        if (autoCapture) {
            notifyCapture(payment, ApiResult.SUCCESS);
        }
        return true;
    }

    public boolean failed(SandboxPayment payment, ApiResult result, boolean notify) {
        if (!payment.status.isOpen()) {
            return false;
        }
        payment.status = PaymentStatus.FAIL;
        payment.paymentResult = result;
        payments.save(payment);
        if (notify) {
            notifyPayment(payment, "PAYMENT_RESULT", result);
        }
        return true;
    }

    /** The buyer submitted the payment; the method has not confirmed it yet (and it no longer expires). */
    public boolean pending(SandboxPayment payment) {
        if (payment.status != PaymentStatus.PROCESSING) {
            return false;
        }
        payment.status = PaymentStatus.PENDING;
        payments.save(payment);
        notifyPayment(payment, "PAYMENT_PENDING", ApiResult.s("SUCCESS", "payment pending"));
        return true;
    }

    /** Closes every unpaid payment whose expiry time has passed, as Antom does (PAYMENT_RESULT F). */
    public void closeExpired() {
        synchronized (payments) {
            Instant now = clock.now();
            if (!payments.anyExpiryPassed(now)) {
                return;
            }
            Instant next = null;
            for (SandboxPayment payment : payments.all()) {
                if (payment.status != PaymentStatus.PROCESSING) {
                    continue;
                }
                if (now.isAfter(payment.expiryTime)) {
                    failed(payment, ApiResult.ORDER_IS_CLOSED, true);
                } else if (next == null || payment.expiryTime.isBefore(next)) {
                    next = payment.expiryTime;
                }
            }
            payments.nextExpiry(next);
        }
    }

    public void notifyCapture(SandboxPayment payment, ApiResult result) {
        SandboxPayment.Capture capture = payment.capture;
        ObjectNode body = Json.object();
        body.put("notifyType", "CAPTURE_RESULT");
        body.set("result", result.toJson());
        body.put("captureRequestId", capture.captureRequestId());
        body.put("paymentId", payment.paymentId);
        body.put("captureId", capture.captureId());
        body.set("captureAmount", Json.amount(capture.currency(), capture.value()));
        body.put("captureTime", SandboxClock.format(capture.time()));
        body.put("acquirerReferenceNo", "ARN" + capture.captureId().substring(8));
        notifications.send(payment.notifyUrl, payment.paymentRequestId, body);
    }

    /** notifyRefund: the refund reached its final state (here at once: SUCCESS), sent to the refund's notify URL. */
    public void notifyRefund(SandboxPayment payment, SandboxPayment.Refund refund, String notifyUrl) {
        ObjectNode body = Json.object();
        body.put("notifyType", "REFUND_RESULT");
        body.set("result", ApiResult.SUCCESS.toJson());
        body.put("refundStatus", "SUCCESS");
        body.put("refundRequestId", refund.refundRequestId());
        body.put("refundId", refund.refundId());
        body.put("paymentId", payment.paymentId);
        body.set("refundAmount", Json.amount(refund.currency(), refund.value()));
        body.put("refundTime", SandboxClock.format(refund.time()));
        notifications.send(notifyUrl, payment.paymentRequestId, body);
    }

    private void notifyPayment(SandboxPayment payment, String notifyType, ApiResult result) {
        ObjectNode body = Json.object();
        body.put("notifyType", notifyType);
        body.set("result", result.toJson());
        body.put("paymentRequestId", payment.paymentRequestId);
        body.put("paymentId", payment.paymentId);
        body.set("paymentAmount", payment.amountJson());
        body.put("paymentCreateTime", SandboxClock.format(payment.createTime));
        if (payment.paymentTime != null) {
            body.put("paymentTime", SandboxClock.format(payment.paymentTime));
        }
        body.put("paymentMethodType", payment.method.type());
        notifications.send(payment.notifyUrl, payment.paymentRequestId, body);
    }
}
