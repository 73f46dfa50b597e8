package com.checkoutroutes.cardcapture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.checkoutroutes.cardcapture.AuthorisationGuard.Policy;
import com.checkoutroutes.cardcapture.CardCaptureSettings.Capture;
import com.checkoutroutes.cardcapture.CardCaptureSettings.Guard;
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentLedger;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.results.AntomCancels;
import com.checkoutroutes.results.PaymentInquiries;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The guard's CAPTURE policy captures an ageing authorisation the order keeps, and cancels one that is a second
 * payment of its order (being given back) instead of taking the buyer's money twice; a flagged one it leaves to an
 * operator.
 */
class GuardOfASecondPaymentTest {

    private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");

    @Test
    void theOrdersOwnIsCapturedAndASecondPaymentCancelled() {
        PaymentLedger ledger = mock(PaymentLedger.class);
        CardAuthorisations cards = mock(CardAuthorisations.class);
        AntomCancels cancels = mock(AntomCancels.class);
        OffsetDateTime sixDaysAgo = OffsetDateTime.ofInstant(NOW, ZoneOffset.UTC).minusDays(6);
        PaymentAttempt own = authorised("PRID-1", 1, sixDaysAgo);
        PaymentAttempt second = authorised("PRID-2", 2, sixDaysAgo.plusMinutes(3));
        when(ledger.authorisedBefore(any(), any(), anyInt())).thenReturn(List.of(own, second));
        when(ledger.attemptsOf("ORD-1")).thenReturn(List.of(own, second));
        when(cards.captureForGuard(own)).thenReturn(PaymentState.CAPTURED);
        when(cancels.cancel(second, "DUPLICATE_PAYMENT_CANCELLED")).thenReturn(true);
        AuthorisationGuard guard = new AuthorisationGuard(ledger, cards, cancels, mock(PaymentInquiries.class),
                Clock.fixed(NOW, ZoneOffset.UTC), new CardCaptureSettings(new Capture("ORDER_SHIPPED"),
                        new Guard("0 0 * * * ?", Duration.ofDays(5), Policy.CAPTURE)));

        var report = guard.run();

        assertThat(report.detail()).contains("PRID-1:captured->CAPTURED", "PRID-2:second payment cancelled");
        verify(cards, never()).captureForGuard(second);
    }

    /** A flagged authorisation (a cancel Antom did not do, say) is left to an operator, not captured. */
    @Test
    void aFlaggedAuthorisationIsAlertedNotCaptured() {
        PaymentLedger ledger = mock(PaymentLedger.class);
        CardAuthorisations cards = mock(CardAuthorisations.class);
        OffsetDateTime sixDaysAgo = OffsetDateTime.ofInstant(NOW, ZoneOffset.UTC).minusDays(6);
        PaymentAttempt cancelNotDone = authorised("PRID-1", 1, sixDaysAgo).toBuilder().flagged(true)
                .flagReason("CANCEL_NOT_DONE: ORDER_CANCELLED").build();
        when(ledger.authorisedBefore(any(), any(), anyInt())).thenReturn(List.of(cancelNotDone));
        when(ledger.attemptsOf("ORD-1")).thenReturn(List.of(cancelNotDone));
        AuthorisationGuard guard = new AuthorisationGuard(ledger, cards, mock(AntomCancels.class),
                mock(PaymentInquiries.class), Clock.fixed(NOW, ZoneOffset.UTC), new CardCaptureSettings(
                        new Capture("ORDER_SHIPPED"), new Guard("0 0 * * * ?", Duration.ofDays(5), Policy.CAPTURE)));

        var report = guard.run();

        assertThat(report.detail()).contains("PRID-1:alerted");
        verify(cards, never()).captureForGuard(any());
    }

    private static PaymentAttempt authorised(String prid, int attemptNo, OffsetDateTime paidAt) {
        return PaymentAttempt.builder().paymentRequestId(prid).orderId("ORD-1").attemptNo(attemptNo)
                .paymentMethodType("CARD").captureMode("MANUAL").amountValue(1250).currency("USD")
                .state(PaymentState.AUTHORISED).paidAt(paidAt).build();
    }
}
