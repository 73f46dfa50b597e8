package com.checkoutroutes.gateway;

import com.alipay.global.api.model.ams.Amount;
import com.alipay.global.api.request.ams.pay.AlipayInquiryRefundRequest;
import com.alipay.global.api.request.ams.pay.AlipayRefundRequest;
import com.alipay.global.api.response.ams.pay.AlipayInquiryRefundResponse;
import com.alipay.global.api.response.ams.pay.AlipayRefundResponse;

/**
 * Antom's refund APIs through the SDK's request classes: {@code refund} ({@code /v1/payments/refund}, idempotent on
 * refundRequestId and amount) and {@code inquiryRefund}. Both go through {@link AntomGateway}'s retries. Traps of SDK
 * 2.0.45: {@code inquiryRefund}'s {@code refundStatus} is read into {@code TransactionStatusType}, which has no
 * UNKNOWN, so Antom's "UNKNOWN" arrives as null (fastjson maps unknown enum values to null), and its answer class has
 * no {@code refundResultCode}, which Antom sends on a FAIL; {@code refund}'s S means the refund was accepted, and its
 * final word comes by {@code notifyRefund} or {@code inquiryRefund}.
 */
public class AntomRefundCalls {

    /** Antom's limit on refundReason. */
    private static final int MAX_REASON = 256;

    private final AntomGateway gateway;
    private final String notifyUrl;

    public AntomRefundCalls(AntomGateway gateway, AntomSettings settings) {
        this.gateway = gateway;
        // notifyRefund comes to the same endpoint as the payment notifications
        this.notifyUrl = settings.notifyUrl();
    }

    /** Asks Antom to refund {@code value} minor units of {@code currency} of the payment {@code paymentId}. */
    public CallOutcome<AlipayRefundResponse> refund(String refundRequestId, String paymentId, String currency,
            long value, String reason) {
        AlipayRefundRequest request = new AlipayRefundRequest();
        request.setRefundRequestId(refundRequestId);
        request.setPaymentId(paymentId);
        Amount amount = new Amount();
        amount.setCurrency(currency);
        amount.setValue(String.valueOf(value));
        request.setRefundAmount(amount);
        // optional for Antom: one some methods would refuse (Chinese characters, say) is kept in the ledger only,
        // where a refused refund would end FAILED for its reason's sake
        if (reason != null && !reason.isBlank() && AntomText.fitsEveryMethod(reason)) {
            request.setRefundReason(AntomText.cut(reason, MAX_REASON));
        }
        request.setRefundNotifyUrl(notifyUrl);
        return gateway.call("refund", refundRequestId, request);
    }

    /** Asks Antom what became of a refund; its refundId wins over the refundRequestId when both are known. */
    public CallOutcome<AlipayInquiryRefundResponse> inquire(String refundRequestId, String refundId) {
        AlipayInquiryRefundRequest request = new AlipayInquiryRefundRequest();
        request.setRefundRequestId(refundRequestId);
        request.setRefundId(refundId);
        return gateway.call("inquiryRefund", refundRequestId, request);
    }
}
