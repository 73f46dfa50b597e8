package com.checkoutroutes.results;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Antom reports amounts as strings of minor units: the same number is the same amount however it is written. */
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

    private static AntomResult paid(String value, String currency) {
        return new AntomResult(AntomResult.PAYMENT_RESULT, "S", "SUCCESS", "success", "PR-1", "P-1", null, null,
                currency, value, null, null, null);
    }
}
