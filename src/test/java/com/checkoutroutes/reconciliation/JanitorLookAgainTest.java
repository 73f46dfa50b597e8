package com.checkoutroutes.reconciliation;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.checkoutroutes.ledger.OrderCancellations;
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentLedger;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.ledger.RefundLedger;
import com.checkoutroutes.results.AntomCancels;
import com.checkoutroutes.results.AntomCaptures;
import com.checkoutroutes.results.AntomRefunds;
import com.checkoutroutes.results.CaptureClaims;
import com.checkoutroutes.results.PaymentInquiries;
import com.checkoutroutes.results.PaymentInquiries.Inquiry;
import com.checkoutroutes.results.PaymentResender;
import com.checkoutroutes.results.RefundInquiries;
import com.checkoutroutes.results.UnmatchedNotifications;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * When the janitor looks again at an attempt a look left as it was: on the backoff (10 min here), but no later than
 * its expiry's cancel is due (its expiry plus the 2 min grace), and only while it is still in the state it read.
 */
class JanitorLookAgainTest {

    private final Clock clock = Clock.fixed(java.time.Instant.parse("2026-12-05T12:00:00Z"), ZoneOffset.UTC);
    private final OffsetDateTime now = OffsetDateTime.now(clock);
    private final PaymentLedger ledger = mock(PaymentLedger.class);
    private final PaymentInquiries inquiries = mock(PaymentInquiries.class);
    private final Janitor janitor = new Janitor(ledger, inquiries, mock(AntomCancels.class), mock(AntomCaptures.class),
            mock(RefundLedger.class), mock(RefundInquiries.class), mock(AntomRefunds.class),
            mock(PaymentResender.class), mock(CaptureClaims.class), mock(UnmatchedNotifications.class),
            new JanitorSettings(10, 1, 0, new JanitorSettings.FirstCheck(Duration.ZERO, Duration.ZERO, Duration.ZERO,
                    Duration.ZERO), List.of(Duration.ofMinutes(10)), Duration.ofMinutes(2)),
            clock, mock(OrderCancellations.class));

    @AfterEach
    void stop() {
        janitor.stop();
    }

    @Test
    void anAttemptExpiringBeforeItsNextLookIsLookedAtWhenItsExpirysCancelIsDue() {
        PaymentAttempt pending = pendingExpiringIn(Duration.ofMinutes(5));
        when(inquiries.inquire(pending)).thenReturn(new Inquiry.NoAnswer());

        janitor.check(pending, now);

        verify(ledger).scheduleCheck(pending, now.plusMinutes(7).plusSeconds(1), true);
    }

    @Test
    void anAttemptExpiringLaterWaitsItsBackoff() {
        PaymentAttempt pending = pendingExpiringIn(Duration.ofMinutes(30));
        when(inquiries.inquire(pending)).thenReturn(new Inquiry.NoAnswer());

        janitor.check(pending, now);

        verify(ledger).scheduleCheck(pending, now.plusMinutes(10), true);
    }

    private PaymentAttempt pendingExpiringIn(Duration left) {
        return PaymentAttempt.builder().paymentRequestId("PRID-1").orderId("ORD-1").attemptNo(1)
                .integration(PaymentAttempt.Integration.API).state(PaymentState.PENDING).version(3)
                .paymentId("PAY-1").expiresAt(now.plus(left)).build();
    }
}
