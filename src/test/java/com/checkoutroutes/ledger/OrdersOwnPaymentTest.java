package com.checkoutroutes.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which of an order's attempts is the payment it keeps: the one paid first; any other paid one is given back. */
class OrdersOwnPaymentTest {

    private static final OffsetDateTime T = OffsetDateTime.of(2026, 12, 4, 10, 0, 0, 0, ZoneOffset.UTC);

    @Test
    void thePaymentPaidFirstWhateverItsAttemptNumber() {
        PaymentAttempt later = attempt(1, PaymentState.CAPTURED, T.plusSeconds(30));
        PaymentAttempt first = attempt(2, PaymentState.AUTHORISED, T);
        PaymentAttempt open = attempt(3, PaymentState.PENDING, null);

        assertThat(PaymentAttempt.ordersOwnPayment(List.of(later, first, open))).contains(first);
        List<PaymentAttempt> ofOrder = List.of(later, first, open);
        assertThat(ofOrder).filteredOn(a -> a.isSecondPaymentAmong(ofOrder)).containsExactly(later);
    }

    @Test
    void onePaidBeforePaidAtWasRecordedCountsAsFirstAndTiesGoToTheLowerAttempt() {
        PaymentAttempt recorded = attempt(1, PaymentState.SUCCEEDED, T);
        PaymentAttempt unrecorded = attempt(2, PaymentState.SUCCEEDED, null);
        assertThat(PaymentAttempt.ordersOwnPayment(List.of(recorded, unrecorded))).contains(unrecorded);

        PaymentAttempt same = attempt(3, PaymentState.SUCCEEDED, T);
        assertThat(PaymentAttempt.ordersOwnPayment(List.of(same, recorded))).contains(recorded);
    }

    @Test
    void noneWhenNothingIsPaid() {
        assertThat(PaymentAttempt.ordersOwnPayment(List.of(attempt(1, PaymentState.PENDING, null),
                attempt(2, PaymentState.CANCELLED, T)))).isEmpty();
    }

    private static PaymentAttempt attempt(int attemptNo, PaymentState state, OffsetDateTime paidAt) {
        return PaymentAttempt.builder().paymentRequestId("PRID-" + attemptNo).orderId("ORD-1").attemptNo(attemptNo)
                .state(state).paidAt(paidAt).build();
    }
}
