package com.checkoutroutes.results;

import com.alipay.global.api.model.ResultStatusType;
import com.alipay.global.api.model.ams.Amount;
import com.alipay.global.api.response.ams.pay.AlipayRefundResponse;
import com.checkoutroutes.gateway.AntomRefundCalls;
import com.checkoutroutes.gateway.AntomSettings;
import com.checkoutroutes.gateway.CallOutcome;
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentLedger;
import com.checkoutroutes.ledger.Refund;
import com.checkoutroutes.ledger.RefundChange;
import com.checkoutroutes.ledger.RefundLedger;
import com.checkoutroutes.ledger.RefundRefusedException;
import com.checkoutroutes.ledger.RefundRules;
import com.checkoutroutes.ledger.RefundState;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Refunds at Antom: sends a stored refund ({@code refund}, its refundRequestId and amount as stored, so a resend after
 * a crash or a lost answer is the identical request) and applies the answer through {@link RefundResults}: S
 * ACCEPTED (the final result comes by notifyRefund or inquiryRefund), F FAILED with Antom's reason, no answer
 * UNKNOWN for the janitor's {@code inquiryRefund}. Also the refund in full that replaces a cancel Antom refuses.
 */
@Component
public class AntomRefunds {

    private final RefundLedger refunds;
    private final PaymentLedger payments;
    private final AntomRefundCalls calls;
    private final RefundResults results;
    private final TransactionTemplate tx;

    private final AntomSettings antom;
    private final Clock clock;

    AntomRefunds(RefundLedger refunds, PaymentLedger payments, AntomRefundCalls calls, RefundResults results,
            TransactionTemplate tx, AntomSettings antom, Clock clock) {
        this.refunds = refunds;
        this.payments = payments;
        this.calls = calls;
        this.results = results;
        this.tx = tx;
        this.antom = antom;
        this.clock = clock;
    }

    /**
     * Fails, code {@code DISPUTED}, a refund Antom does not have whose payment a dispute reached meanwhile: the
     * chargeback may give the buyer the money back, and this refund on top would give it twice (a new refund is
     * refused then, {@code RefundRules}). Only once no send of it may still be on its way (nothing happened to it for
     * as long as a capture's send is held) and it is as read; empty otherwise, and it is not sent again.
     */
    public Optional<Refund> withholdWhileDisputed(Refund asRead) {
        return refunds.applyIfQuietSince(asRead, OffsetDateTime.now(clock).minus(CaptureClaims.hold(antom)),
                RefundChange.to(RefundState.FAILED, "REFUND_WITHHELD")
                        .result(RefundRules.DISPUTED, "Antom has no such refund and its payment is disputed: not sent")
                        .detail("its payment is flagged " + RefundRules.DISPUTED));
    }

    /**
     * Refunds all that is left to refund of a paid attempt (a cancel refused, a captured payment, a duplicate), once
     * per {@code requestKey}. Empty when nothing is left; a refusal by the rules is noted on the payment and flags it.
     */
    public Optional<Refund> refundInFull(PaymentAttempt payment, String requestKey, String reason,
            String requestedBy) {
        RefundLedger.Opened opened;
        try {
            opened = refunds.open(payment.paymentRequestId(), requestKey, null, reason, requestedBy);
        } catch (RefundRefusedException refused) {
            if (!"NOTHING_TO_REFUND".equals(refused.code())) {
                payments.note(payment.paymentRequestId(), "REFUND_REFUSED", refused.getMessage(),
                        "REFUND_REFUSED: " + refused.getMessage());
            }
            return Optional.empty();
        }
        return Optional.of(sendIfNew(opened));
    }

    /**
     * Sends a refund {@link RefundLedger#open} just stored, or one a crash left REQUESTED (noted first, so that the
     * janitor sees a send may be on its way); else it stays as it is. One left REQUESTED whose payment a dispute
     * reached meanwhile is not sent: the janitor asks Antom about it, and withholds it if Antom never got it.
     */
    public Refund sendIfNew(RefundLedger.Opened opened) {
        Refund refund = opened.refund();
        if (opened.created()) {
            return send(refund);
        }
        if (refund.state() != RefundState.REQUESTED) {
            return refund;
        }
        return refunds.claimResend(refund, "its request read again: sent again").map(this::send)
                .orElseGet(() -> refunds.find(refund.refundRequestId()).orElseThrow());
    }

    /** Sends the stored refund to Antom and applies the answer; a final refund is left alone. */
    public Refund send(Refund refund) {
        if (refund.state().isFinal()) {
            return refund;
        }
        String id = refund.refundRequestId();
        PaymentAttempt payment = payments.find(refund.paymentRequestId()).orElseThrow();
        CallOutcome<AlipayRefundResponse> outcome = calls.refund(id, payment.paymentId(), refund.currency(),
                refund.amountValue(), refund.reason());
        if (outcome instanceof CallOutcome.Answered<AlipayRefundResponse> answered
                && answered.status() != ResultStatusType.U) {
            AlipayRefundResponse response = answered.response();
            Amount amount = response.getRefundAmount();
            results.applyAnswer(refund, RefundResults.refundResult(refund, answered.status() == ResultStatusType.S,
                    response.getRefundId(), answered.code(), answered.message(),
                    amount == null ? null : amount.getCurrency(), amount == null ? null : amount.getValue()),
                    "REFUND_ANSWERED");
        } else {
            // Antom may or may not have refunded: notifyRefund or the janitor's inquiryRefund will tell
            String why = outcome instanceof CallOutcome.Unknown<?> unknown ? unknown.reason()
                    : "U " + ((CallOutcome.Answered<?>) outcome).code();
            tx.executeWithoutResult(status -> {
                // a notification may have told the result meanwhile: only a refund still REQUESTED becomes UNKNOWN
                if (refunds.lock(id).orElseThrow().state() == RefundState.REQUESTED) {
                    refunds.apply(id, RefundChange.to(RefundState.UNKNOWN, "REFUND_RESULT_UNKNOWN").detail(why));
                } else {
                    refunds.note(id, "REFUND_RESULT_UNKNOWN", why);
                }
            });
        }
        return refunds.find(id).orElseThrow();
    }
}
