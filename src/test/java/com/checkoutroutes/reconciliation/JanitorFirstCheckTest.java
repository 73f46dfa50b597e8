package com.checkoutroutes.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.ledger.RefundState;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which {@code checkout.janitor.first-check.*} delay an attempt or a refund waits before the janitor's first look. */
class JanitorFirstCheckTest {

    private final JanitorSettings.FirstCheck delays = new JanitorSettings.FirstCheck(Duration.ofSeconds(1),
            Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(4));

    @ParameterizedTest(name = "{0}: {1}s")
    @CsvSource({
        "REQUESTED, 3", "PENDING, 1", "UNKNOWN, 2", "CAPTURE_REQUESTED, 4",
        // an automatic capture not yet CAPTURED waits as long as a request
        "SUCCEEDED, 3"})
    void eachStateTheJanitorLooksAtWaitsItsOwnDelay(PaymentState state, long seconds) {
        assertThat(state.isDueForCheck("AUTOMATIC")).isTrue();
        assertThat(delays.of(state.firstCheck())).isEqualTo(Duration.ofSeconds(seconds));
    }

    @ParameterizedTest(name = "refund {0}: {1}s")
    @CsvSource({
        "REQUESTED, 3", "UNKNOWN, 2",
        // accepted by Antom: its notifyRefund usually comes, as a pending payment's notification does
        "ACCEPTED, 1"})
    void eachRefundStateTheJanitorLooksAtWaitsItsOwnDelay(RefundState state, long seconds) {
        assertThat(state.isDueForCheck()).isTrue();
        assertThat(delays.of(state.firstCheck())).isEqualTo(Duration.ofSeconds(seconds));
    }
}
