package com.checkoutroutes.shipment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentLedger;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.ledger.RefundLedger;
import com.checkoutroutes.results.PaymentInquiries;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code checkout.shipment.confirmation-freshness: 0} asks Antom before every shipment, and ships on its answer. */
class ConfirmationFreshnessTest {

    private static final Instant NOW = Instant.parse("2026-12-04T10:00:00.123Z");

    private final PaymentLedger ledger = mock(PaymentLedger.class);
    private final PaymentInquiries inquiries = mock(PaymentInquiries.class);

    @Test
    void withNoFreshnessAPaymentAntomJustConfirmedShips() {
        PaymentAttempt paid = PaymentAttempt.builder().paymentRequestId("PRID-1").orderId("ORD-1").attemptNo(1)
                .paymentMethodType("ALIPAY_CN").amountValue(1250).currency("USD").state(PaymentState.SUCCEEDED)
                .confirmedAt(OffsetDateTime.ofInstant(NOW, ZoneOffset.UTC).minusSeconds(1)).build();
        PaymentAttempt confirmedNow = paid.toBuilder().confirmedAt(OffsetDateTime.ofInstant(NOW, ZoneOffset.UTC))
                .build();
        when(ledger.attemptsOf("ORD-1")).thenReturn(List.of(paid), List.of(confirmedNow));
        when(inquiries.confirm(paid)).thenReturn(com.checkoutroutes.results.PaymentInquiries.Confirmation.CONFIRMED);
        ShipmentChecks checks = new ShipmentChecks(ledger, mock(RefundLedger.class), inquiries, new ObjectMapper(),
                Clock.fixed(NOW, ZoneOffset.UTC), new SimpleMeterRegistry(), new ShipmentSettings(Duration.ZERO),
                mock(com.checkoutroutes.ledger.OrderCancellations.class));

        ShipmentDecision decision = checks.decide("ORD-1", null);

        assertThat(decision.decision()).as(String.valueOf(decision.reasons())).isEqualTo(ShipmentDecision.SHIP);
    }
}
