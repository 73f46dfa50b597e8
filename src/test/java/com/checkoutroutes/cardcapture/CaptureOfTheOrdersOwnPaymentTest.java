package com.checkoutroutes.cardcapture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentEvents;
import com.checkoutroutes.ledger.PaymentLedger;
import com.checkoutroutes.ledger.PaymentLedger.TransitionResult;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.ledger.Transition;
import com.checkoutroutes.results.AntomCancels;
import com.checkoutroutes.results.AntomCaptures;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * An order whose attempt 2 was authorised before attempt 1: attempt 1 is the second payment, being given back, and a
 * shipment captures attempt 2, the payment the order keeps (the one a refund or the console's give-back treats as
 * the order's own), not the lowest attempt number.
 */
class CaptureOfTheOrdersOwnPaymentTest {

    private static final OffsetDateTime PAID = OffsetDateTime.of(2026, 12, 4, 10, 0, 0, 0, ZoneOffset.UTC);

    @Test
    void aShipmentCapturesThePaymentPaidFirst() {
        PaymentLedger ledger = mock(PaymentLedger.class);
        AntomCaptures captures = mock(AntomCaptures.class);
        PaymentAttempt secondPaid = authorised("PRID-1", 1, PAID.plusSeconds(30));
        PaymentAttempt firstPaid = authorised("PRID-2", 2, PAID);
        when(ledger.attemptsOf("ORD-1")).thenReturn(List.of(secondPaid, firstPaid));
        PaymentAttempt requested = firstPaid.toBuilder().state(PaymentState.CAPTURE_REQUESTED).build();
        when(ledger.apply(eq("PRID-2"), any(Function.class))).thenReturn(new TransitionResult(requested, true));
        when(captures.send(requested)).thenReturn(PaymentState.CAPTURED);

        PaymentState after = new CardAuthorisations(ledger, captures, mock(AntomCancels.class), mock(PaymentEvents.class),
                mock(com.checkoutroutes.results.PaymentInquiries.class), mock(com.checkoutroutes.results.CaptureClaims.class),
                java.time.Clock.systemUTC(), mock(com.checkoutroutes.ledger.OrderCancellations.class))
                .capture(new OrderEvent("E-1", "ORDER_SHIPPED", "ORD-1", null));

        assertThat(after).isEqualTo(PaymentState.CAPTURED);
        verify(ledger, never()).apply(eq("PRID-1"), any(Transition.class));
        verify(ledger, never()).apply(eq("PRID-1"), any(Function.class));
        verify(ledger, never()).note(eq("PRID-1"), anyString(), any(), any());
    }

    private static PaymentAttempt authorised(String prid, int attemptNo, OffsetDateTime paidAt) {
        return PaymentAttempt.builder().paymentRequestId(prid).orderId("ORD-1").attemptNo(attemptNo)
                .paymentMethodType("CARD").captureMode("MANUAL").amountValue(1250).currency("USD")
                .state(PaymentState.AUTHORISED).paidAt(paidAt).build();
    }
}
