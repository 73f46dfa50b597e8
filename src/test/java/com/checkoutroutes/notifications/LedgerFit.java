package com.checkoutroutes.notifications;

import com.checkoutroutes.results.AntomResult;
import java.util.Map;
import java.util.Set;

/**
 * The fuzz tests' oracle, written from the schema rather than from NotificationReader: what an accepted notification
 * must be for the ledger to store it (column sizes, no NUL, which PostgreSQL text cannot hold) and to read it (a
 * result it acts on is S or F and names a payment).
 */
final class LedgerFit {

    private static final Set<String> ACTED_ON = Set.of("PAYMENT_RESULT", "PAYMENT_PENDING", "CAPTURE_RESULT",
            "REFUND_RESULT");

    private LedgerFit() {
    }

    /** Null if the notification fits, else what does not. */
    static String problem(AntomResult n) {
        if (n.notifyType() == null) {
            return "no notifyType";
        }
        Map<String, Integer> limits = new java.util.HashMap<>(Map.of("notifyType", 32, "paymentRequestId", 64,
                "paymentId", 64, "captureRequestId", 64, "captureId", 64, "resultCode", 64, "resultMessage", 512,
                "dedupeKey", 300,
                // an amount mismatch is noted with both values in flag_reason (512)
                "amountValue", 200, "currency", 200));
        limits.putAll(Map.of("refundRequestId", 64, "refundId", 64));
        Map<String, String> values = new java.util.HashMap<>();
        values.put("notifyType", n.notifyType());
        values.put("paymentRequestId", n.paymentRequestId());
        values.put("paymentId", n.paymentId());
        values.put("captureRequestId", n.captureRequestId());
        values.put("captureId", n.captureId());
        values.put("resultCode", n.resultCode());
        values.put("resultMessage", n.resultMessage());
        values.put("dedupeKey", n.dedupeKey());
        values.put("amountValue", n.amountValue());
        values.put("currency", n.currency());
        values.put("refundRequestId", n.refundRequestId());
        values.put("refundId", n.refundId());
        for (Map.Entry<String, String> v : values.entrySet()) {
            if (v.getValue() != null && (v.getValue().length() > limits.get(v.getKey()) || v.getValue().indexOf('\0') >= 0)) {
                return v.getKey() + " does not fit its column";
            }
        }
        if (ACTED_ON.contains(n.notifyType())) {
            if (!"S".equals(n.resultStatus()) && !"F".equals(n.resultStatus())) {
                return "resultStatus " + n.resultStatus() + " is not a result";
            }
            if (n.isRefund()) {
                if (n.refundRequestId() == null && n.refundId() == null) {
                    return "names no refund";
                }
                if (!"SUCCESS".equals(n.refundStatus()) && !"FAIL".equals(n.refundStatus())) {
                    return "refundStatus " + n.refundStatus() + " is not a refund's result";
                }
            } else if (n.paymentId() == null && (n.isCapture() || n.paymentRequestId() == null)) {
                return "names no payment";
            }
        }
        return null;
    }
}
