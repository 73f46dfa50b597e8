package com.checkoutroutes.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.checkoutroutes.cardcapture.CardAuthorisations;
import com.checkoutroutes.console.ActionLog.Outcome;
import com.checkoutroutes.console.ConsoleActions.Result;
import com.checkoutroutes.console.ConsoleActions.Target;
import com.checkoutroutes.continuation.HttpChannelQueue;
import com.checkoutroutes.continuation.HttpChannels;
import com.checkoutroutes.deadletter.DeadLetterArchive;
import com.checkoutroutes.deadletter.DeadLetterRedrives;
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentLedger;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.ledger.Refund;
import com.checkoutroutes.ledger.RefundState;
import com.checkoutroutes.refunds.Refunds;
import com.checkoutroutes.results.DuplicatePaymentCanceller;
import com.checkoutroutes.results.PaymentInquiries;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What "give back" tells the operator when the second payment is refunded rather than cancelled (captured, or past
 * its cancel window): DONE only once Antom accepted the refund; FAILED, saying so, while it has not answered or when
 * it refused; and never a second refund of the same payment.
 */
class GiveBackOutcomeTest {

    private static final OffsetDateTime PAID = OffsetDateTime.of(2026, 12, 4, 10, 0, 0, 0, ZoneOffset.UTC);

    private final PaymentLedger ledger = mock(PaymentLedger.class);
    private final DuplicatePaymentCanceller duplicates = mock(DuplicatePaymentCanceller.class);
    private final ConsoleActions actions = new ConsoleActions(mock(ActionLog.class), ledger,
            mock(PaymentInquiries.class), mock(CardAuthorisations.class), mock(DeadLetterArchive.class),
            mock(DeadLetterRedrives.class), mock(Refunds.class), duplicates, mock(HttpChannelQueue.class),
            mock(HttpChannels.class), java.time.Clock.systemUTC());

    private final PaymentAttempt own = captured("PRID-1", 1, PAID);
    private final PaymentAttempt second = captured("PRID-2", 2, PAID.plusSeconds(5));

    @BeforeEach
    void anOrderPaidTwice() {
        when(ledger.attemptsOf("ORD-1")).thenReturn(List.of(own, second));
        when(ledger.find("PRID-1")).thenReturn(Optional.of(own));
        when(ledger.find("PRID-2")).thenReturn(Optional.of(second));
    }

    @Test
    void aRefundAntomAcceptedIsDone() {
        when(duplicates.refundOf("PRID-2")).thenReturn(Optional.empty(), Optional.of(refund(RefundState.ACCEPTED)));

        Result result = giveBack(second);

        assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.DONE);
        assertThat(result.detail()).contains("ACCEPTED");
        verify(duplicates).giveBack(second);
    }

    @Test
    void aRefundAntomRefusedIsFailedAndNotMadeAgain() {
        when(duplicates.refundOf("PRID-2")).thenReturn(Optional.empty(), Optional.of(refund(RefundState.FAILED)));

        Result result = giveBack(second);

        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.detail()).contains("FAILED REFUND_WINDOW_EXCEED", "outside this service");
        assertThat(actions.secondPayments(List.of(own, second))).as("no button any more").isEmpty();
        Result again = giveBack(second);
        assertThat(again.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(again.detail()).startsWith("ALREADY_REFUNDED: ").contains("FAILED");
    }

    @Test
    void aRefundAntomHasNotConfirmedIsFailedUntilItDoes() {
        when(duplicates.refundOf("PRID-2")).thenReturn(Optional.empty(), Optional.of(refund(RefundState.UNKNOWN)));

        Result result = giveBack(second);

        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.detail()).contains("UNKNOWN", "not confirmed");
    }

    @Test
    void theOrdersOwnPaymentAndOneBeingCapturedAreRefused() {
        when(duplicates.refundOf("PRID-2")).thenReturn(Optional.empty());
        assertThat(actions.secondPayments(List.of(own, second))).containsExactly("PRID-2");

        assertThat(giveBack(own).detail()).startsWith("ORDERS_OWN_PAYMENT: ");
        PaymentAttempt capturing = second.toBuilder().state(PaymentState.CAPTURE_REQUESTED).build();
        when(ledger.find("PRID-2")).thenReturn(Optional.of(capturing));
        assertThat(giveBack(capturing).detail()).startsWith("CAPTURE_IN_PROGRESS: ");
        verify(duplicates, never()).giveBack(capturing);
    }

    private Result giveBack(PaymentAttempt attempt) {
        return actions.perform(ConsoleAction.GIVE_BACK, new Target(null, attempt.paymentRequestId(), null), "alice",
                "paid twice");
    }

    private static PaymentAttempt captured(String prid, int attemptNo, OffsetDateTime paidAt) {
        return PaymentAttempt.builder().paymentRequestId(prid).orderId("ORD-1").attemptNo(attemptNo)
                .paymentMethodType("CARD").amountValue(1250).currency("USD").state(PaymentState.CAPTURED)
                .paidAt(paidAt).build();
    }

    private static Refund refund(RefundState state) {
        return new Refund("RR-1", "PRID-2", "ORD-1", "DUPLICATE_PAYMENT", 1250, "USD", state, null,
                state == RefundState.FAILED ? "REFUND_WINDOW_EXCEED" : null, null, "duplicate", "checkout-routes", 1,
                0, null, null, null, PAID, PAID);
    }
}
