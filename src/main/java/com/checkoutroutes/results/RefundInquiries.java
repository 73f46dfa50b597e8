package com.checkoutroutes.results;

import com.alipay.global.api.model.ResultStatusType;
import com.alipay.global.api.model.ams.Amount;
import com.alipay.global.api.model.ams.TransactionStatusType;
import com.alipay.global.api.response.ams.pay.AlipayInquiryRefundResponse;
import com.checkoutroutes.gateway.AntomRefundCalls;
import com.checkoutroutes.gateway.CallOutcome;
import com.checkoutroutes.ledger.Refund;
import com.checkoutroutes.ledger.RefundLedger;
import com.checkoutroutes.ledger.RefundState;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Asks Antom about one refund ({@code inquiryRefund}) and applies a final answer exactly as {@code notifyRefund}
 * would have been applied ({@link RefundResults}). Used by the janitor for refunds left requested, unknown or
 * accepted.
 */
@Component
public class RefundInquiries {

    /** How Antom says it has no such refund (it never reached Antom). */
    private static final Set<String> NOT_FOUND = Set.of("ORDER_NOT_EXIST", "REFUND_NOT_EXIST");

    private final RefundLedger refunds;
    private final AntomRefundCalls calls;
    private final RefundResults results;

    RefundInquiries(RefundLedger refunds, AntomRefundCalls calls, RefundResults results) {
        this.refunds = refunds;
        this.calls = calls;
        this.results = results;
    }

    /** What one inquiry found. */
    public sealed interface Inquiry {
        /** Antom said how the refund ended; {@code changedTo} is its new state, if it moved. */
        record Answered(Optional<RefundState> changedTo) implements Inquiry {
        }

        /** Antom has no such refund: it never arrived, and the stored request can be sent again. */
        record NotFound() implements Inquiry {
        }

        /** Antom could not be asked, or the refund is still processing (or its status is UNKNOWN). */
        record NoAnswer() implements Inquiry {
        }
    }

    public Inquiry inquire(Refund refund) {
        CallOutcome<AlipayInquiryRefundResponse> outcome = calls.inquire(refund.refundRequestId(), refund.refundId());
        if (!(outcome instanceof CallOutcome.Answered<AlipayInquiryRefundResponse> answered)) {
            return new Inquiry.NoAnswer();
        }
        if (answered.status() == ResultStatusType.F && NOT_FOUND.contains(answered.code())) {
            return new Inquiry.NotFound();
        }
        AlipayInquiryRefundResponse response = answered.response();
        // SDK trap: Antom's refundStatus UNKNOWN has no TransactionStatusType and arrives as null
        TransactionStatusType status = response.getRefundStatus();
        if (answered.status() != ResultStatusType.S
                || (status != TransactionStatusType.SUCCESS && status != TransactionStatusType.FAIL)) {
            return new Inquiry.NoAnswer();
        }
        Amount amount = response.getRefundAmount();
        RefundState before = refund.state();
        results.apply(refund, RefundResults.refundResult(refund, status == TransactionStatusType.SUCCESS,
                response.getRefundId(), status == TransactionStatusType.SUCCESS ? "SUCCESS" : "REFUND_FAILED",
                status.name().toLowerCase(), amount == null ? null : amount.getCurrency(),
                amount == null ? null : amount.getValue()), "INQUIRY");
        RefundState after = refunds.find(refund.refundRequestId()).orElseThrow().state();
        return new Inquiry.Answered(after != before ? Optional.of(after) : Optional.empty());
    }
}
