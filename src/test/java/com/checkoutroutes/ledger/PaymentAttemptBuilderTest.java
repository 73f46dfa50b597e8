package com.checkoutroutes.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.checkoutroutes.ledger.PaymentAttempt.Integration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** {@link PaymentAttempt} built by name: every value lands in its own field, and copies keep them all. */
class PaymentAttemptBuilderTest {

    private static OffsetDateTime at(int minute) {
        return OffsetDateTime.of(2025, 1, 2, 3, minute, 0, 0, ZoneOffset.UTC);
    }

    /** Every field set, each to a value no other field has. */
    private static PaymentAttempt everyField() {
        return PaymentAttempt.builder()
                .paymentRequestId("prid").orderId("order").attemptNo(2).integration(Integration.SDK)
                .paymentMethodType("CARD").amountValue(1234).currency("EUR").captureMode("MANUAL")
                .terminalType("WEB").osType("IOS").state(PaymentState.CAPTURE_REQUESTED).paymentId("pid")
                .resultCode("code").resultMessage("message").expiresAt(at(1)).requestJson("{request}")
                .continuationJson("{continuation}").flagged(true).flagReason("reason").version(7)
                .createdAt(at(2)).updatedAt(at(3)).captureRequestId("crid").captureId("cid").checkCount(4)
                .nextCheckAt(at(4)).confirmedAt(at(5)).paidAt(at(6))
                .build();
    }

    @Test
    void eachValueLandsInItsOwnField() {
        assertThat(everyField()).isEqualTo(new PaymentAttempt("prid", "order", 2, Integration.SDK, "CARD", 1234,
                "EUR", "MANUAL", "WEB", "IOS", PaymentState.CAPTURE_REQUESTED, "pid", "code", "message", at(1),
                "{request}", "{continuation}", true, "reason", 7, at(2), at(3), "crid", "cid", 4, at(4), at(5), at(6)));
    }

    @Test
    void aCopyKeepsEveryFieldItDoesNotChange() {
        PaymentAttempt attempt = everyField();
        assertThat(attempt.toBuilder().build()).isEqualTo(attempt);
        assertThat(attempt.toBuilder().state(PaymentState.CAPTURED).build())
                .usingRecursiveComparison().ignoringFields("state").isEqualTo(attempt);
    }

    @Test
    void anOpenedAttemptTakesItsTermsFromNewAttempt() {
        NewAttempt terms = new NewAttempt("prid", "order", 2, Integration.API, "GCASH", 500, "PHP", "AUTOMATIC",
                "APP", "ANDROID", at(9), "{request}");
        PaymentAttempt attempt = PaymentAttempt.builder().terms(terms).state(PaymentState.REQUESTED).build();
        assertThat(attempt).isEqualTo(new PaymentAttempt("prid", "order", 2, Integration.API, "GCASH", 500, "PHP",
                "AUTOMATIC", "APP", "ANDROID", PaymentState.REQUESTED, null, null, null, at(9), "{request}", null,
                false, null, 0, null, null, null, null, 0, null, null, null));
    }
}
