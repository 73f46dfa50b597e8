package com.checkoutroutes.orderintake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.testsupport.FlowTestSupport;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An order's paymentExpiryTime reaches Antom in Antom's format, and is the attempt's expiry. */
class PaymentExpiryTest extends FlowTestSupport {

    /** Antom's examples: whole seconds and a numeric offset (2024-01-20T08:51:06+08:00). */
    private static final DateTimeFormatter ANTOM = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx");

    @Test
    void anExpiryWithZAndFractionsIsSentInAntomsFormat() {
        OffsetDateTime expiry = OffsetDateTime.now(clock).plusMinutes(10).withOffsetSameInstant(ZoneOffset.UTC)
                .truncatedTo(ChronoUnit.SECONDS).plusNanos(250_000_000);
        String orderId = newOrderId();
        Map<String, Object> order = order(orderId);
        order.put("paymentExpiryTime", expiry.toString()); // e.g. 2026-12-04T10:00:00.250Z
        publish(order);

        PaymentAttempt attempt = await().atMost(Duration.ofSeconds(20))
                .until(() -> onlyAttempt(orderId), a -> a.state() == PaymentState.PENDING);

        assertThat(expiry.toString()).endsWith(".250Z");
        assertThat(attempt.requestJson()).contains("\"paymentExpiryTime\":\"" + ANTOM.format(expiry) + "\"")
                .doesNotContain(".250Z");
        assertThat(attempt.expiresAt().toInstant()).isEqualTo(expiry.toInstant());
    }
}
