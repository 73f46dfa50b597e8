package com.checkoutroutes.cardcapture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.mock;
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

/** A full page of authorisations left as they were (alerted, flagged) does not hide the younger ones behind it. */
class AuthorisationGuardPagesTest {

    private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");

    @Test
    void theGuardReadsPastAFullPageOfAuthorisationsItLeavesAsTheyAre() {
        PaymentLedger ledger = mock(PaymentLedger.class);
        CardAuthorisations cards = mock(CardAuthorisations.class);
        OffsetDateTime sixDaysAgo = OffsetDateTime.ofInstant(NOW, ZoneOffset.UTC).minusDays(6);
        List<PaymentAttempt> flagged = IntStream.range(0, AuthorisationGuard.PAGE)
                .mapToObj(i -> authorised("PRID-F" + i, "ORD-F" + i, sixDaysAgo.minusMinutes(10).plusSeconds(i))
                        .toBuilder().flagged(true).flagReason("CANCEL_NOT_DONE: timeout").build())
                .toList();
        PaymentAttempt younger = authorised("PRID-Y", "ORD-Y", sixDaysAgo);
        when(ledger.authorisedBefore(any(), isNull(), anyInt())).thenReturn(flagged);
        when(ledger.authorisedBefore(any(), eq(flagged.get(flagged.size() - 1)), anyInt()))
                .thenReturn(List.of(younger));
        when(ledger.attemptsOf(any())).thenAnswer(call -> List.of(younger));
        when(cards.captureForGuard(younger)).thenReturn(PaymentState.CAPTURED);
        AuthorisationGuard guard = new AuthorisationGuard(ledger, cards, mock(AntomCancels.class),
                mock(PaymentInquiries.class), Clock.fixed(NOW, ZoneOffset.UTC), new CardCaptureSettings(
                        new Capture("ORDER_SHIPPED"), new Guard("0 0 * * * ?", Duration.ofDays(5), Policy.CAPTURE)));

        var report = guard.run();

        verify(cards).captureForGuard(younger);
        assertThat(report.lookedAt()).isEqualTo(AuthorisationGuard.PAGE + 1);
        assertThat(report.detail()).as("the report names the first hundred").endsWith(", and 401 more");
    }

    private static PaymentAttempt authorised(String prid, String orderId, OffsetDateTime paidAt) {
        return PaymentAttempt.builder().paymentRequestId(prid).orderId(orderId).attemptNo(1)
                .paymentMethodType("CARD").captureMode("MANUAL").amountValue(1250).currency("USD")
                .state(PaymentState.AUTHORISED).paidAt(paidAt).build();
    }
}
