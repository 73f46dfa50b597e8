package com.checkoutroutes.results;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Antom reports amounts as strings of minor units: the same number is the same amount however it is written. And a
 * notification's key, by which a resend is recognised.
 */
class AntomResultTest {

    @Test
    void theSameMinorUnitsAreTheSameAmountWithLeadingZeros() {
        assertThat(paid("100", "EUR").amountDiffersFrom(100, "EUR")).isFalse();
        assertThat(paid("0100", "EUR").amountDiffersFrom(100, "EUR")).isFalse();
        assertThat(paid("0", "JPY").amountDiffersFrom(0, "JPY")).isFalse();
    }

    @Test
    void anotherNumberCurrencyOrSomethingNotDigitsDiffers() {
        assertThat(paid("99", "EUR").amountDiffersFrom(100, "EUR")).isTrue();
        assertThat(paid("100", "USD").amountDiffersFrom(100, "EUR")).isTrue();
        assertThat(paid("1e2", "EUR").amountDiffersFrom(100, "EUR")).isTrue();
        assertThat(paid("100.00", "EUR").amountDiffersFrom(100, "EUR")).isTrue();
        assertThat(paid("-100", "EUR").amountDiffersFrom(100, "EUR")).isTrue();
        assertThat(paid(" 100", "EUR").amountDiffersFrom(100, "EUR")).isTrue();
        assertThat(paid("9".repeat(41), "EUR").amountDiffersFrom(100, "EUR")).isTrue();
        assertThat(paid(null, "EUR").amountDiffersFrom(100, "EUR")).isTrue();
        assertThat(paid("100", null).amountDiffersFrom(100, "EUR")).isTrue();
    }

    @Test
    void aResultWithoutAnAmountDiffersFromNone() {
        assertThat(paid(null, null).amountDiffersFrom(100, "EUR")).isFalse();
    }

    /**
     * A dispute's steps are notifications of their own (one payment, no result to tell them apart); a notifyType in
     * its body that this service acts on makes it that result, not a dispute.
     */
    @Test
    void eachStepOfADisputeHasItsOwnKey() throws Exception {
        AntomResult created = dispute("{\"disputeNotificationType\":\"DISPUTE_CREATED\",");
        AntomResult judged = dispute("{\"disputeNotificationType\":\"DISPUTE_JUDGED\",");
        assertThat(created.isDispute()).isTrue();
        assertThat(created.notifyType()).isEqualTo(AntomResult.DISPUTE);
        assertThat(created.disputeId()).isEqualTo("DSP-1");
        assertThat(created.dedupeKey()).isNotEqualTo(judged.dedupeKey());
        assertThat(dispute("{\"notifyType\":\"DISPUTE_NOTIFY\",\"disputeNotificationType\":\"DISPUTE_CREATED\",")
                .dedupeKey()).isEqualTo(created.dedupeKey());

        AntomResult payment = dispute("{\"notifyType\":\"PAYMENT_RESULT\",\"disputeNotificationType\":\"X\",");
        assertThat(payment.isDispute()).isFalse();
        assertThat(payment.kind()).isNotNull();
    }

    private static AntomResult dispute(String opening) throws Exception {
        return AntomResult.from(new com.fasterxml.jackson.databind.ObjectMapper().readTree(opening
                + "\"disputeId\":\"DSP-1\",\"paymentRequestId\":\"PR-1\",\"paymentId\":\"P-1\"}"));
    }

    private static AntomResult paid(String value, String currency) {
        return new AntomResult(AntomResult.PAYMENT_RESULT, "S", "SUCCESS", "success", "PR-1", "P-1", null, null,
                currency, value, null, null, null, null, null);
    }
}
