package com.checkoutroutes.orderintake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.alipay.global.api.request.ams.pay.AlipayPayRequest;
import com.checkoutroutes.continuation.ChannelMessages;
import com.checkoutroutes.gateway.AntomGateway;
import com.checkoutroutes.gateway.CallOutcome;
import com.checkoutroutes.ledger.GroupCommit;
import com.checkoutroutes.ledger.OrderConsults;
import com.checkoutroutes.ledger.Outbox;
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentEvents;
import com.checkoutroutes.ledger.PaymentLedger;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.results.AntomCancels;
import com.checkoutroutes.results.PaymentInquiries;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The janitor's resend of an UNKNOWN attempt whose move back to REQUESTED committed though its commit's answer was
 * lost: the group commit runs the move again, finds the attempt moved, and the stored request is still sent (it used
 * to wait for the janitor's next look, a minute later).
 */
class PaymentResendTest {

    private final PaymentLedger ledger = mock(PaymentLedger.class);
    private final GroupCommit groupCommit = mock(GroupCommit.class);
    private final PaymentRequests requests = mock(PaymentRequests.class);
    private final AntomGateway gateway = mock(AntomGateway.class);
    private final PaymentOutcomes outcomes = mock(PaymentOutcomes.class);
    private final PaymentStarter starter = new PaymentStarter(ledger, groupCommit, requests, gateway, outcomes,
            mock(ChannelMessages.class), mock(Outbox.class), mock(OrderConsults.class),
            mock(TransactionTemplate.class), Clock.systemUTC(), mock(OrderIntakeSettings.class),
            mock(PaymentEvents.class),
            mock(AntomCancels.class), mock(PaymentInquiries.class));

    private final PaymentAttempt unknown = PaymentAttempt.builder().paymentRequestId("PR-1").orderId("ORD-1")
            .attemptNo(1).paymentMethodType("ALIPAY_HK").amountValue(1250).currency("HKD")
            .state(PaymentState.UNKNOWN).build();

    @Test
    void aResendWhoseMoveBackCommittedUnseenIsStillSent() {
        PaymentAttempt requested = unknown.toBuilder().state(PaymentState.REQUESTED).version(1).build();
        when(groupCommit.execute(any())).thenReturn(Optional.empty());
        when(ledger.find("PR-1")).thenReturn(Optional.of(requested));
        doReturn(new AlipayPayRequest()).when(requests).storedRequest(requested);
        doReturn(new CallOutcome.Unknown<>("timeout", 3)).when(gateway).call(any(), eq("PR-1"), any());
        when(outcomes.record(eq(requested), any())).thenReturn(requested);

        assertThat(starter.resend(unknown, "ORDER_NOT_EXIST")).isEqualTo(PaymentState.REQUESTED);

        verify(gateway).call(any(), eq("PR-1"), any());
    }

    @Test
    void aResendOfAnAttemptThatMovedElsewhereSendsNothing() {
        when(groupCommit.execute(any())).thenReturn(Optional.empty());
        when(ledger.find("PR-1")).thenReturn(Optional.of(unknown.toBuilder().state(PaymentState.SUCCEEDED).build()));

        assertThat(starter.resend(unknown, "ORDER_NOT_EXIST")).isEqualTo(PaymentState.SUCCEEDED);

        verify(gateway, never()).call(any(), any(), any());
    }
}
