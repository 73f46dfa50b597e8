package com.checkoutroutes.cardcapture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.checkoutroutes.cardcapture.AuthorisationGuard.Policy;
import com.checkoutroutes.cardcapture.CardCaptureSettings.Capture;
import com.checkoutroutes.cardcapture.CardCaptureSettings.Guard;
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentLedger;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.results.AntomCancels;
import com.checkoutroutes.results.PaymentInquiries;
import com.checkoutroutes.scheduling.JobRuns.Report;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * The guard as the scheduled-job template calls it ({@code bean: ... method: run}, a Quartz message without a
 * body): the configured policy is applied. Camel's bean binding once chose an overload taking the body instead, and
 * every scheduled run failed on a null policy for each authorisation, behind a per-attempt warning.
 */
class GuardRouteBindingTest {

    private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");

    @Test
    void theScheduledRunAppliesTheConfiguredPolicy() throws Exception {
        PaymentLedger ledger = mock(PaymentLedger.class);
        CardAuthorisations cards = mock(CardAuthorisations.class);
        PaymentAttempt ageing = PaymentAttempt.builder().paymentRequestId("PRID-1").orderId("ORD-1").attemptNo(1)
                .paymentMethodType("CARD").captureMode("MANUAL").amountValue(1250).currency("USD")
                .state(PaymentState.AUTHORISED).paidAt(OffsetDateTime.ofInstant(NOW, ZoneOffset.UTC).minusDays(6))
                .build();
        when(ledger.authorisedBefore(any(), any(), anyInt())).thenReturn(List.of(ageing));
        when(ledger.attemptsOf("ORD-1")).thenReturn(List.of(ageing));
        when(cards.captureForGuard(ageing)).thenReturn(java.util.Optional.of(PaymentState.CAPTURED));
        AuthorisationGuard guard = new AuthorisationGuard(ledger, cards, mock(AntomCancels.class),
                mock(PaymentInquiries.class), Clock.fixed(NOW, ZoneOffset.UTC), new CardCaptureSettings(
                        new Capture("ORDER_SHIPPED"), new Guard("0 0 * * * ?", Duration.ofDays(5), Policy.CAPTURE)));

        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.getRegistry().bind("guard", guard);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:fire").bean("guard", "run"); // as routes/schedules.yaml's template does
                }
            });
            camel.start();
            Report report = camel.createProducerTemplate().requestBody("direct:fire", null, Report.class);

            assertThat(report.detail()).contains("PRID-1:captured->CAPTURED").doesNotContain("failed");
        }
    }
}
