package com.checkoutroutes.results;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.checkoutroutes.ledger.NotificationInbox;
import com.checkoutroutes.ledger.OrderCancellations;
import com.checkoutroutes.ledger.Outbox;
import com.checkoutroutes.ledger.OutboxMessage;
import com.checkoutroutes.ledger.OutboxSettings;
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentEvents;
import com.checkoutroutes.ledger.PaymentLedger;
import com.checkoutroutes.ledger.PaymentState;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A second payment left to an operator while its order's own payment could still be cancelled
 * (DUPLICATE_NOT_GIVEN_BACK) is queued to the duplicate canceller again once that own payment is cancelled, in the
 * cancel's transaction: the canceller then keeps it as the order's own, its flags withdrawn
 * (DuplicatePaymentCancellerTest). It stayed flagged, its capture refused and its order held, until an operator came.
 */
class OwnPaymentCancelledTest {

    private final PaymentLedger ledger = mock(PaymentLedger.class);
    private final Outbox outbox = mock(Outbox.class);
    private final OutboxSettings settings = mock(OutboxSettings.class);
    private final ResultApplier results;

    OwnPaymentCancelledTest() {
        when(settings.duplicateCancelDestination()).thenReturn("direct:cancel-duplicate-payment");
        results = new ResultApplier(ledger, mock(NotificationInbox.class), mock(PaymentEvents.class),
                new ObjectMapper(), mock(RefundResults.class), settings, mock(OrderCancellations.class), outbox);
    }

    @Test
    void aSecondPaymentNotGivenBackIsQueuedAgainOnceTheOrdersOwnIsCancelled() {
        PaymentAttempt own = paid("PRID-A", 1, null);
        PaymentAttempt notGivenBack = paid("PRID-B", 2, "DUPLICATE_PAYMENT: order ORD-1 was already paid | "
                + "DUPLICATE_NOT_GIVEN_BACK: the order's own payment PRID-A has a cancel that may still reach Antom");
        PaymentAttempt cancelled = own.toBuilder().state(PaymentState.CANCELLED).build();
        when(ledger.attemptsOf("ORD-1")).thenReturn(List.of(cancelled, notGivenBack, paid("PRID-C", 3, null)));

        results.rematchAfter(own, cancelled);

        verify(outbox).append(new OutboxMessage("direct:cancel-duplicate-payment", "ORD-1", "PRID-B"));
        verify(outbox, never()).append(new OutboxMessage("direct:cancel-duplicate-payment", "ORD-1", "PRID-C"));
    }

    @Test
    void nothingIsQueuedForAChangeThatCancelsNoPaidPayment() {
        PaymentAttempt pending = paid("PRID-A", 1, null).toBuilder().state(PaymentState.PENDING).build();

        results.rematchAfter(pending, pending.toBuilder().state(PaymentState.CANCELLED).build());

        verify(outbox, never()).append(any());
    }

    private static PaymentAttempt paid(String prid, int attemptNo, String flagReason) {
        return PaymentAttempt.builder().paymentRequestId(prid).orderId("ORD-1").attemptNo(attemptNo)
                .paymentMethodType("ALIPAY_CN").amountValue(1250).currency("USD").state(PaymentState.SUCCEEDED)
                .flagged(flagReason != null).flagReason(flagReason).build();
    }
}
