package com.checkoutroutes.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.testsupport.FlowTestSupport;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * The ledger gauges follow a payment within seconds with no recount at all (both recounts an hour apart, the
 * operator's settled-state recount is 10 minutes): this instance's committed state changes move them.
 */
// inlined: seen by TestEnvironment
@TestPropertySource(properties = {"checkout.test.ledger-refresh=1h", "checkout.metrics.ledger-history-refresh=1h"})
class LedgerGaugesFollowTest extends FlowTestSupport {

    @Autowired
    MeterRegistry meters;

    @Test
    void aPaymentThatSucceedsIsCountedWithinSeconds() {
        double succeeded = gauge("SUCCEEDED");

        PaymentAttempt paid = paidWallet();

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(gauge("SUCCEEDED")).isGreaterThanOrEqualTo(succeeded + 1));
        assertThat(paid.orderId()).isNotBlank();
    }

    private double gauge(String state) {
        return meters.get("checkout.payments").tag("state", state).gauge().value();
    }
}
