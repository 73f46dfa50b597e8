package com.checkoutroutes.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.ArgumentMatchers.startsWith;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.alipay.global.api.model.Result;
import com.alipay.global.api.model.ResultStatusType;
import com.alipay.global.api.response.ams.pay.AlipayCaptureResponse;
import com.checkoutroutes.gateway.AntomGateway;
import com.checkoutroutes.gateway.CallOutcome;
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentEvents;
import com.checkoutroutes.ledger.PaymentLedger;
import com.checkoutroutes.ledger.PaymentState;
import java.time.Clock;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The answer to a capture that comes once the attempt has moved on: noted and kept; a success (the money taken) on an
 * attempt the ledger closed unpaid is flagged for an operator, as the same success notified is.
 */
class AntomCapturesTest {

    private final PaymentLedger ledger = mock(PaymentLedger.class);
    private final AntomGateway gateway = mock(AntomGateway.class);
    private final AntomCaptures captures = new AntomCaptures(ledger, gateway, mock(PaymentEvents.class),
            Clock.systemUTC());
    private final PaymentAttempt asSent = PaymentAttempt.builder().paymentRequestId("PRID-1").paymentId("PAY-1")
            .orderId("ORD-1").attemptNo(1).paymentMethodType("CARD").amountValue(1250).currency("USD")
            .captureMode("MANUAL").captureRequestId("CAP-1").state(PaymentState.CAPTURE_REQUESTED).build();

    @Test
    void aSuccessfulCaptureOfAnAttemptClosedMeanwhileIsFlagged() {
        answered(ResultStatusType.S, "SUCCESS");
        movedTo(PaymentState.CANCELLED);

        assertThat(captures.send(asSent)).isEqualTo(PaymentState.CANCELLED);
        verify(ledger).note(eq("PRID-1"), eq("STALE_CAPTURE_ANSWER"), anyString(), startsWith("CONFLICTING_RESULT"));
    }

    @Test
    void aFailedCaptureOfAnAttemptClosedMeanwhileIsOnlyNoted() {
        answered(ResultStatusType.F, "AUTHORIZATION_CANCELLED");
        movedTo(PaymentState.CANCELLED);

        captures.send(asSent);
        verify(ledger).note(eq("PRID-1"), eq("STALE_CAPTURE_ANSWER"), anyString(), isNull());
    }

    @SuppressWarnings("unchecked")
    private void movedTo(PaymentState state) {
        PaymentAttempt moved = asSent.toBuilder().state(state).build();
        when(ledger.apply(eq("PRID-1"), any(Function.class))).thenAnswer(call -> {
            ((Function<PaymentAttempt, ?>) call.getArgument(1)).apply(moved);
            return new PaymentLedger.TransitionResult(moved, false);
        });
    }

    private void answered(ResultStatusType status, String code) {
        AlipayCaptureResponse response = new AlipayCaptureResponse();
        Result result = new Result();
        result.setResultStatus(status);
        result.setResultCode(code);
        response.setResult(result);
        when(gateway.call(eq("capture"), eq("CAP-1"), any())).thenReturn(new CallOutcome.Answered<>(response, 1));
    }
}
