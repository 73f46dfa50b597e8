package com.checkoutroutes.results;

import com.checkoutroutes.ledger.PaymentState;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A result learnt from Antom, by notification (notifyPayment / notifyCapture / notifyRefund) or by inquiry
 * (inquiryPayment): the parts the ledger acts on. A refund's result names its refund ({@code refundRequestId},
 * {@code refundId}) and says how it ended in {@code refundStatus} (SUCCESS or FAIL). A notifyDispute names its
 * dispute ({@code disputeId}) and what happened to it ({@code disputeNotificationType}).
 */
public record AntomResult(
        String notifyType,
        String resultStatus,
        String resultCode,
        String resultMessage,
        String paymentRequestId,
        String paymentId,
        String captureRequestId,
        String captureId,
        String currency,
        String amountValue,
        String refundRequestId,
        String refundId,
        String refundStatus,
        String disputeId,
        String disputeNotificationType) {

    /** A value in minor units as Antom writes it; long enough for any amount, short enough to parse cheaply. */
    private static final Pattern MINOR_UNITS = Pattern.compile("\\d{1,40}");

    public static final String PAYMENT_RESULT = "PAYMENT_RESULT";
    public static final String PAYMENT_PENDING = "PAYMENT_PENDING";
    public static final String CAPTURE_RESULT = "CAPTURE_RESULT";
    public static final String REFUND_RESULT = "REFUND_RESULT";
    /**
     * A notifyDispute's type, whatever notifyType its body has: Antom's docs list none for it, only its
     * disputeNotificationType (DISPUTE_CREATED, DISPUTE_JUDGED, ...).
     */
    public static final String DISPUTE = "DISPUTE";

    public static AntomResult from(JsonNode body) {
        String type = text(body, "notifyType");
        String disputeType = isActedOn(type) ? null : text(body, "disputeNotificationType");
        if (disputeType != null) {
            type = DISPUTE;
        }
        JsonNode amount = body.path(amountField(type));
        return new AntomResult(type, text(body.path("result"), "resultStatus"),
                text(body.path("result"), "resultCode"), text(body.path("result"), "resultMessage"),
                text(body, "paymentRequestId"), text(body, "paymentId"), text(body, "captureRequestId"),
                text(body, "captureId"), text(amount, "currency"), text(amount, "value"),
                text(body, "refundRequestId"), text(body, "refundId"), text(body, "refundStatus"),
                disputeType == null ? null : text(body, "disputeId"), disputeType);
    }

    /** A notifyType this service acts on (a payment's, a capture's or a refund's result). */
    public static boolean isActedOn(String notifyType) {
        return PAYMENT_RESULT.equals(notifyType) || PAYMENT_PENDING.equals(notifyType)
                || CAPTURE_RESULT.equals(notifyType) || REFUND_RESULT.equals(notifyType);
    }

    /** The field holding the amount a notification of this type reports. */
    public static String amountField(String notifyType) {
        if (CAPTURE_RESULT.equals(notifyType)) {
            return "captureAmount";
        }
        return REFUND_RESULT.equals(notifyType) ? "refundAmount" : "paymentAmount";
    }

    /** Same content, same key: a resend of this notification is recognised whatever its request-time. */
    public String dedupeKey() {
        if (isDispute()) {
            // each step of a dispute is a notification of its own (created, then judged: one subject, one result)
            return notifyType + "|" + disputeId + "|" + disputeNotificationType + "|" + paymentRequestId + "/"
                    + paymentId;
        }
        if (isRefund()) {
            return notifyType + "|" + refundRequestId + "/" + refundId + "|" + refundStatus + "|" + resultCode;
        }
        String subject = CAPTURE_RESULT.equals(notifyType) ? captureRequestId + "/" + paymentId
                : (paymentRequestId != null ? paymentRequestId : "") + "/" + paymentId;
        return notifyType + "|" + subject + "|" + resultStatus + "|" + resultCode;
    }

    /** What kind of payment result this is; null for a refund's and for a notifyType this service does not act on. */
    public PaymentState.Reported kind() {
        if (notifyType == null) {
            return null;
        }
        return switch (notifyType) {
            case PAYMENT_RESULT -> PaymentState.Reported.PAYMENT_RESULT;
            case PAYMENT_PENDING -> PaymentState.Reported.PAYMENT_PENDING;
            case CAPTURE_RESULT -> PaymentState.Reported.CAPTURE_RESULT;
            default -> null;
        };
    }

    public boolean isCapture() {
        return CAPTURE_RESULT.equals(notifyType);
    }

    public boolean isRefund() {
        return REFUND_RESULT.equals(notifyType);
    }

    /** A notifyDispute: a chargeback or a step of one (Antom sends it to the Dashboard's notification URL). */
    public boolean isDispute() {
        return disputeNotificationType != null;
    }

    public boolean succeeded() {
        return "S".equals(resultStatus);
    }

    /** A refund's result: its refundStatus, which notifyRefund always carries (SUCCESS or FAIL). */
    public boolean refundSucceeded() {
        return "SUCCESS".equals(refundStatus);
    }

    /**
     * Whether this result reports an amount other than {@code value} minor units of {@code currency}; false when it
     * reports none. Antom's value is a string of minor units: "0100" is 100, and anything not digits differs.
     */
    public boolean amountDiffersFrom(long value, String currency) {
        if (amountValue == null && this.currency == null) {
            return false;
        }
        return !Objects.equals(this.currency, currency) || amountValue == null
                || !MINOR_UNITS.matcher(amountValue).matches() || new BigInteger(amountValue).compareTo(
                        BigInteger.valueOf(value)) != 0;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
