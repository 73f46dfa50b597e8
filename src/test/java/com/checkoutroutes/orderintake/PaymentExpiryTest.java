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

    /**
     * A payment session's expiry bounds when the buyer may start to pay: a Konbini slip issued in it stays payable
     * for the method's 7 days, and the attempt keeps that window (the janitor cancels nothing before it).
     */
    @Test
    void aSessionKeepsItsMethodsLongerWindow() {
        String orderId = newOrderId();
        Map<String, Object> order = order(orderId);
        order.put("integration", "SDK");
        order.put("paymentMethodType", "KONBINI");
        order.put("channel", Map.of("terminalType", "APP", "osType", "ANDROID"));
        order.put("amount", Map.of("currency", "JPY", "value", "1250"));
        publish(order);

        PaymentAttempt attempt = await().atMost(Duration.ofSeconds(20))
                .until(() -> onlyAttempt(orderId), a -> a.state() == PaymentState.PENDING);

        String sessionExpiry = awaitChannelMessage("APP", orderId).path("sdkSession").path("expiresAt").asText();
        assertThat(OffsetDateTime.parse(sessionExpiry)).as("the session's own expiry").isBefore(
                OffsetDateTime.now(clock).plusDays(1));
        assertThat(attempt.expiresAt()).isAfter(OffsetDateTime.now(clock).plusDays(6));
    }

    /** A card's payment session abandoned by its buyer expires with the session, not after the card's 7 days. */
    @Test
    void aCardSessionExpiresWithItsSession() {
        String orderId = newOrderId();
        Map<String, Object> order = cardOrder(orderId, null);
        order.put("integration", "SDK");
        order.put("channel", Map.of("terminalType", "APP", "osType", "ANDROID"));
        publish(order);

        PaymentAttempt attempt = await().atMost(Duration.ofSeconds(20))
                .until(() -> onlyAttempt(orderId), a -> a.state() == PaymentState.PENDING);

        String sessionExpiry = awaitChannelMessage("APP", orderId).path("sdkSession").path("expiresAt").asText();
        assertThat(attempt.expiresAt().toInstant()).isEqualTo(OffsetDateTime.parse(sessionExpiry).toInstant());
        assertThat(attempt.expiresAt()).isBefore(OffsetDateTime.now(clock).plusDays(1));
    }
}
