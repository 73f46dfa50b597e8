package com.checkoutroutes.cardcapture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
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
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The guard's CAPTURE policy, on plain mocks: it captures an ageing authorisation the order keeps, cancels one that is
 * a second payment of its order (being given back) instead of taking the buyer's money twice, leaves a flagged one to
 * an operator, and reads past a full page of those it leaves as they are. CardFlowsTest runs each policy through the
 * sandbox.
 */
class AuthorisationGuardTest {

    private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");
    private static final OffsetDateTime SIX_DAYS_AGO = OffsetDateTime.ofInstant(NOW, ZoneOffset.UTC).minusDays(6);

    private final PaymentLedger ledger = mock(PaymentLedger.class);
    private final CardAuthorisations cards = mock(CardAuthorisations.class);
    private final AntomCancels cancels = mock(AntomCancels.class);
    private final PaymentInquiries inquiries = mock(PaymentInquiries.class);
    private final AuthorisationGuard guard = new AuthorisationGuard(ledger, cards, cancels,
            inquiries, Clock.fixed(NOW, ZoneOffset.UTC), new CardCaptureSettings(
                    new Capture("ORDER_SHIPPED"), new Guard("0 0 * * * ?", Duration.ofDays(5), Policy.CAPTURE)));

    @Test
    void theOrdersOwnIsCapturedAndASecondPaymentCancelled() {
        PaymentAttempt own = authorised("PRID-1", "ORD-1", 1, SIX_DAYS_AGO);
        PaymentAttempt second = authorised("PRID-2", "ORD-1", 2, SIX_DAYS_AGO.plusMinutes(3));
        when(ledger.authorisedBefore(any(), any(), anyInt())).thenReturn(List.of(own, second));
        when(ledger.attemptsOf("ORD-1")).thenReturn(List.of(own, second));
        when(cards.captureForGuard(own)).thenReturn(java.util.Optional.of(PaymentState.CAPTURED));
        when(cancels.cancelIfUnchanged(second, "DUPLICATE_PAYMENT_CANCELLED")).thenReturn(true);

        var report = guard.run();

        assertThat(report.detail()).contains("PRID-1:captured->CAPTURED", "PRID-2:second payment cancelled");
        verify(cards, never()).captureForGuard(second);
    }

    /** A flagged authorisation (a cancel Antom did not do, say) is left to an operator, not captured. */
    @Test
    void aFlaggedAuthorisationIsAlertedNotCaptured() {
        PaymentAttempt cancelNotDone = flagged(authorised("PRID-1", "ORD-1", 1, SIX_DAYS_AGO));
        when(ledger.authorisedBefore(any(), any(), anyInt())).thenReturn(List.of(cancelNotDone));
        when(ledger.attemptsOf("ORD-1")).thenReturn(List.of(cancelNotDone));

        var report = guard.run();

        assertThat(report.detail()).contains("PRID-1:alerted");
        verify(cards, never()).captureForGuard(any());
    }

    /** A full page of authorisations left as they were (alerted, flagged) does not hide the younger ones behind it. */
    @Test
    void theGuardReadsPastAFullPageOfAuthorisationsItLeavesAsTheyAre() {
        List<PaymentAttempt> leftAsTheyAre = IntStream.range(0, AuthorisationGuard.PAGE)
                .mapToObj(i -> flagged(authorised("PRID-F" + i, "ORD-F" + i, 1,
                        SIX_DAYS_AGO.minusMinutes(10).plusSeconds(i))))
                .toList();
        PaymentAttempt younger = authorised("PRID-Y", "ORD-Y", 1, SIX_DAYS_AGO);
        when(ledger.authorisedBefore(any(), isNull(), anyInt())).thenReturn(leftAsTheyAre);
        when(ledger.authorisedBefore(any(), eq(leftAsTheyAre.get(leftAsTheyAre.size() - 1)), anyInt()))
                .thenReturn(List.of(younger));
        when(ledger.attemptsOf(any())).thenAnswer(call -> List.of(younger));
        when(cards.captureForGuard(younger)).thenReturn(java.util.Optional.of(PaymentState.CAPTURED));

        var report = guard.run();

        verify(cards).captureForGuard(younger);
        assertThat(report.lookedAt()).isEqualTo(AuthorisationGuard.PAGE + 1);
        assertThat(report.detail()).as("the report names the first hundred").endsWith(", and 401 more");
    }

    /**
     * A capture that failed leaves the authorisation at Antom, which releases it after 7 days: the guard then asks
     * Antom and closes it (CANCELLED, flagged), as it does an authorisation never captured; nothing else looks at it.
     */
    @Test
    void anAuthorisationWhoseCaptureFailedIsClosedOnceAntomReleasedIt() {
        PaymentAttempt failed = authorised("PRID-F", "ORD-F", 1, SIX_DAYS_AGO.minusDays(2)).toBuilder()
                .state(PaymentState.CAPTURE_FAILED).build();
        when(ledger.paidBefore(eq(PaymentState.CAPTURE_FAILED), any(), isNull(), anyInt())).thenReturn(List.of(failed));
        when(inquiries.inquire(failed)).thenReturn(new PaymentInquiries.Inquiry.Answered(java.util.Optional.empty()));
        when(inquiries.release(eq(failed), any())).thenReturn(java.util.Optional.of(PaymentState.CANCELLED));

        var report = guard.run();

        assertThat(report.detail()).contains("PRID-F:->CANCELLED");
        verify(ledger).paidBefore(eq(PaymentState.CAPTURE_FAILED),
                eq(OffsetDateTime.ofInstant(NOW, ZoneOffset.UTC).minusDays(7)), isNull(), anyInt());
        verify(cards, never()).captureForGuard(any());
    }

    private static PaymentAttempt authorised(String prid, String orderId, int attemptNo, OffsetDateTime paidAt) {
        return PaymentAttempt.builder().paymentRequestId(prid).orderId(orderId).attemptNo(attemptNo)
                .paymentMethodType("CARD").captureMode("MANUAL").amountValue(1250).currency("USD")
                .state(PaymentState.AUTHORISED).paidAt(paidAt).build();
    }

    private static PaymentAttempt flagged(PaymentAttempt attempt) {
        return attempt.toBuilder().flagged(true).flagReason("CANCEL_NOT_DONE: ORDER_CANCELLED").build();
    }
}
