package com.checkoutroutes.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What may be refunded of one payment: captured money only, never more in total than was captured. */
class RefundRulesTest {

    private static PaymentAttempt payment(PaymentState state) {
        return PaymentAttempt.builder().paymentRequestId("prid").orderId("ORD-1").attemptNo(1).amountValue(1250)
                .currency("USD").state(state).build();
    }

    private static Refund refund(long amount, RefundState state) {
        return new Refund("REF" + amount + state, "prid", "ORD-1", "k" + amount + state, amount, "USD", state, null,
                null, null, null, "test", 0, 0, null, null, null, null, null);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # state           | refusal, or the amount a full refund gets
            CREATED           | NOT_PAID
            REQUESTED         | NOT_PAID
            PENDING           | NOT_PAID
            UNKNOWN           | NOT_PAID
            SUCCEEDED         | 1250
            AUTHORISED        | NOT_CAPTURED
            CAPTURE_REQUESTED | CAPTURE_IN_PROGRESS
            CAPTURED          | 1250
            CAPTURE_FAILED    | NOT_CAPTURED
            FAILED            | NOT_PAID
            EXPIRED           | NOT_PAID
            CANCELLED         | NOT_PAID
            """)
    void onlyCapturedMoneyIsRefunded(PaymentState state, String expected) {
        if (expected.matches("[0-9]+")) {
            assertThat(RefundRules.amountOf(payment(state), List.of(), null, false))
                    .isEqualTo(Long.parseLong(expected));
        } else {
            assertThatThrownBy(() -> RefundRules.amountOf(payment(state), List.of(), null, false))
                    .isInstanceOfSatisfying(RefundRefusedException.class, e -> assertThat(e.code()).isEqualTo(expected));
        }
    }

    @Test
    void aPaymentRefundedOutsideThisServiceIsRefundedNoMoreUntilAnOperatorClearsItsFlag() {
        PaymentAttempt flagged = payment(PaymentState.SUCCEEDED).toBuilder().flagged(true)
                .flagReason("REFUND_NOT_OURS: refund R-1 made outside this service").build();

        assertThatThrownBy(() -> RefundRules.refuseWhileRefundedOutside(flagged,
                List.of("ORDER_RECEIVED", "PAYMENT_RESULT", "REFUND_NOT_OURS")))
                .isInstanceOfSatisfying(RefundRefusedException.class,
                        e -> assertThat(e.code()).isEqualTo("REFUNDED_OUTSIDE"));
        assertThatThrownBy(() -> RefundRules.refuseWhileRefundedOutside(flagged,
                List.of("REFUND_NOT_OURS", "FLAG_CLEARED", "AMOUNT_MISMATCH", "REFUND_NOT_OURS")))
                .as("a second refund outside, after the first was cleared").isInstanceOf(RefundRefusedException.class);
        assertThatCode(() -> RefundRules.refuseWhileRefundedOutside(flagged,
                List.of("REFUND_NOT_OURS", "FLAG_CLEARED", "AMOUNT_MISMATCH")))
                .as("flagged since for another reason").doesNotThrowAnyException();
        assertThatCode(() -> RefundRules.refuseWhileRefundedOutside(payment(PaymentState.SUCCEEDED),
                List.of("REFUND_NOT_OURS"))).as("not flagged").doesNotThrowAnyException();
    }

    @Test
    void noRefundWhileADisputeIsNotCleared() {
        PaymentAttempt flagged = payment(PaymentState.SUCCEEDED).toBuilder().flagged(true)
                .flagReason("DISPUTED: dispute D-1 DISPUTE_CREATED").build();

        assertThatThrownBy(() -> RefundRules.refuseWhileDisputed(flagged, List.of("PAYMENT_RESULT", "DISPUTED")))
                .isInstanceOfSatisfying(RefundRefusedException.class, e -> assertThat(e.code()).isEqualTo("DISPUTED"));
        assertThatCode(() -> RefundRules.refuseWhileDisputed(flagged, List.of("DISPUTED", "FLAG_CLEARED",
                "DISPUTE_NOTIFIED"))).as("cleared; a step that needs nothing since").doesNotThrowAnyException();
        assertThatThrownBy(() -> RefundRules.refuseWhileDisputed(flagged, List.of("DISPUTED", "FLAG_CLEARED",
                "DISPUTED"))).as("judged after the first step was cleared").isInstanceOf(RefundRefusedException.class);
        assertThatCode(() -> RefundRules.refuseWhileDisputed(payment(PaymentState.SUCCEEDED), List.of("DISPUTED")))
                .as("not flagged").doesNotThrowAnyException();
    }

    @Test
    void refundsNeverTotalMoreThanWasCaptured() {
        PaymentAttempt captured = payment(PaymentState.CAPTURED);
        List<Refund> earlier = List.of(refund(500, RefundState.REFUNDED), refund(300, RefundState.UNKNOWN),
                refund(400, RefundState.FAILED));

        assertThat(RefundRules.refundable(captured, earlier)).isEqualTo(450);
        assertThat(RefundRules.amountOf(captured, earlier, new RefundAmount("USD", 450), false)).isEqualTo(450);
        assertThat(RefundRules.amountOf(captured, earlier, null, false)).as("in full: what is left").isEqualTo(450);
        assertThatThrownBy(() -> RefundRules.amountOf(captured, earlier, new RefundAmount("USD", 451), false))
                .isInstanceOfSatisfying(RefundRefusedException.class, e -> {
                    assertThat(e.code()).isEqualTo("REFUND_AMOUNT_EXCEED");
                    assertThat(e.reason()).contains("450 is left");
                });
    }

    @Test
    void nothingLeftOtherCurrenciesAndEmptyAmountsAreRefused() {
        PaymentAttempt paid = payment(PaymentState.SUCCEEDED);
        List<Refund> all = List.of(refund(1250, RefundState.REQUESTED));

        assertThatThrownBy(() -> RefundRules.amountOf(paid, all, null, false)).isInstanceOfSatisfying(
                RefundRefusedException.class, e -> assertThat(e.code()).isEqualTo("NOTHING_TO_REFUND"));
        assertThatThrownBy(() -> RefundRules.amountOf(paid, all, new RefundAmount("USD", 1), false))
                .isInstanceOfSatisfying(RefundRefusedException.class,
                        e -> assertThat(e.code()).isEqualTo("REFUND_AMOUNT_EXCEED"));
        assertThatThrownBy(() -> RefundRules.amountOf(paid, List.of(), new RefundAmount("EUR", 100), false))
                .isInstanceOfSatisfying(RefundRefusedException.class,
                        e -> assertThat(e.code()).isEqualTo("CURRENCY_MISMATCH"));
        assertThatThrownBy(() -> RefundRules.amountOf(paid, List.of(), new RefundAmount("USD", 0), false))
                .isInstanceOfSatisfying(RefundRefusedException.class,
                        e -> assertThat(e.code()).isEqualTo("INVALID_AMOUNT"));
    }

    /** A cancel of a paid payment gives it all back; a captured card's it cannot (Antom cancels nothing after). */
    @Test
    void nothingOfAPaidPaymentWhoseCancelMayBeOnItsWayIsRefundedUnlessCaptured() {
        assertThatThrownBy(() -> RefundRules.amountOf(payment(PaymentState.SUCCEEDED), List.of(),
                new RefundAmount("USD", 100), true)).isInstanceOfSatisfying(RefundRefusedException.class,
                        e -> assertThat(e.code()).isEqualTo("CANCEL_IN_PROGRESS"));
        assertThat(RefundRules.amountOf(payment(PaymentState.CAPTURED), List.of(), new RefundAmount("USD", 100),
                true)).isEqualTo(100);
    }
}
