package com.checkoutroutes.results;

import com.alipay.global.api.model.ResultStatusType;
import com.alipay.global.api.model.ams.Amount;
import com.alipay.global.api.request.ams.pay.AlipayCaptureRequest;
import com.alipay.global.api.response.ams.pay.AlipayCaptureResponse;
import com.checkoutroutes.gateway.AntomGateway;
import com.checkoutroutes.gateway.CallOutcome;
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentEvents;
import com.checkoutroutes.ledger.PaymentLedger;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.ledger.Transition;
import java.time.Clock;
import java.time.OffsetDateTime;
import org.springframework.stereotype.Component;

/**
 * Sends an attempt's stored capture to Antom ({@code capture}: its captureRequestId and the full amount, so a resend
 * after a crash, a lost answer or a capture Antom never received is the identical request) and records the answer:
 * S CAPTURED, F CAPTURE_FAILED, no answer left CAPTURE_REQUESTED for {@code notifyCapture} or the janitor's inquiry.
 * Used when a shipment captures and when the janitor finds that Antom lists no capture.
 */
@Component
public class AntomCaptures {

    private final PaymentLedger ledger;
    private final AntomGateway gateway;
    private final PaymentEvents events;
    private final Clock clock;

    AntomCaptures(PaymentLedger ledger, AntomGateway gateway, PaymentEvents events, Clock clock) {
        this.ledger = ledger;
        this.gateway = gateway;
        this.events = events;
        this.clock = clock;
    }

    /** Sends the capture stored on a CAPTURE_REQUESTED attempt; returns the attempt's state after Antom's answer. */
    public PaymentState send(PaymentAttempt attempt) {
        AlipayCaptureRequest request = new AlipayCaptureRequest();
        request.setCaptureRequestId(attempt.captureRequestId());
        request.setPaymentId(attempt.paymentId());
        Amount amount = new Amount();
        amount.setCurrency(attempt.currency());
        amount.setValue(String.valueOf(attempt.amountValue()));
        request.setCaptureAmount(amount);
        request.setIsLastCapture(Boolean.TRUE);
        String prid = attempt.paymentRequestId();
        CallOutcome<AlipayCaptureResponse> outcome = gateway.call("capture", attempt.captureRequestId(), request);
        if (outcome instanceof CallOutcome.Answered<AlipayCaptureResponse> answered
                && answered.status() != ResultStatusType.U) {
            PaymentState target = answered.status() == ResultStatusType.S ? PaymentState.CAPTURED
                    : PaymentState.CAPTURE_FAILED;
            String cause = target == PaymentState.CAPTURED ? "CAPTURED" : "CAPTURE_FAILED";
            PaymentAttempt after = ledger.apply(prid, current -> {
                boolean asked = current.state() == PaymentState.CAPTURE_REQUESTED
                        && attempt.captureRequestId().equals(current.captureRequestId());
                // a success is the money taken, whatever the ledger heard since (a failure answered to the janitor's
                // resend of the same capture, another capture requested), as a notified one is (ResultApplier)
                boolean taken = target == PaymentState.CAPTURED && current.state() != target
                        && current.state().canMoveTo(target);
                if (!asked && !taken) {
                    // the answer to a capture the attempt has moved past (a notification told it first, or another
                    // capture was requested since): a failure says nothing about the attempt as it is
                    return Transition.to(current.state(), cause);
                }
                // the capture answered is the one on record (a later one's failure, notified, is then stale)
                return Transition.to(target, cause).captureRequestId(attempt.captureRequestId())
                        .captureId(answered.response().getCaptureId())
                        .result(answered.code(), answered.message()).confirmed()
                        .detail(answered.code() + " " + answered.message())
                        .emit(events.stateChanged(current, current.state(), target, cause, current.paymentId(),
                                answered.code(), answered.message()));
            }).attempt();
            if (after.state() != target) {
                String detail = answered.code() + " to capture " + attempt.captureRequestId() + " while "
                        + after.state() + " (capture " + after.captureRequestId() + "): kept";
                // money taken on an attempt the ledger closed unpaid (cancelled, failed): flagged for an operator,
                // as the same success notified is (ResultApplier's CONFLICTING_RESULT)
                boolean contradicts = target == PaymentState.CAPTURED && !after.state().isPaid()
                        && after.state().isFinal();
                ledger.note(prid, "STALE_CAPTURE_ANSWER", detail, contradicts
                        ? PaymentAttempt.CONFLICTING_RESULT + ": " + detail : null);
            }
            return after.state();
        }
        // unknown: Antom's notifyCapture or the janitor's inquiry will tell
        String reason = outcome instanceof CallOutcome.Unknown<?> unknown ? unknown.reason()
                : ((CallOutcome.Answered<?>) outcome).code();
        ledger.note(prid, "CAPTURE_RESULT_UNKNOWN", reason, null);
        ledger.scheduleCheck(prid, OffsetDateTime.now(clock), false);
        return PaymentState.CAPTURE_REQUESTED;
    }
}
