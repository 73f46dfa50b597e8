package com.checkoutroutes.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

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
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The janitor's pay sent again, and an order cancelled while it was on its way. */
class JanitorResendTest {

    private final Clock clock = Clock.fixed(java.time.Instant.parse("2026-12-04T12:00:00Z"), ZoneOffset.UTC);
    private final PaymentLedger ledger = mock(PaymentLedger.class);
    private final PaymentInquiries inquiries = mock(PaymentInquiries.class);
    private final AntomCancels cancels = mock(AntomCancels.class);
    private final PaymentResender payments = mock(PaymentResender.class);
    private final Janitor janitor = new Janitor(ledger, inquiries, cancels, mock(AntomCaptures.class),
            mock(RefundLedger.class), mock(RefundInquiries.class), mock(AntomRefunds.class), payments,
            mock(CaptureClaims.class), mock(UnmatchedNotifications.class), new JanitorSettings(10, 2, 0, new JanitorSettings.FirstCheck(Duration.ZERO,
                    Duration.ZERO, Duration.ZERO, Duration.ZERO), List.of(Duration.ofMinutes(1)), Duration.ZERO),
            clock, mock(com.checkoutroutes.ledger.OrderCancellations.class));

    private final PaymentAttempt unknown = PaymentAttempt.builder().paymentRequestId("PRID-1").orderId("ORD-1")
            .attemptNo(1).integration(PaymentAttempt.Integration.API).state(PaymentState.UNKNOWN).version(2)
            .expiresAt(OffsetDateTime.now(clock).plusMinutes(10)).build();

    @AfterEach
    void stop() {
        janitor.stop();
    }

    /**
     * The order was cancelled while the janitor's pay was on its way (its cancel found nothing at Antom yet): once the
     * pay is answered, the payment it made is cancelled too, where it would have stayed open with a link to pay.
     */
    @Test
    void aCancellationAskedWhileThePayWasSentAgainCancelsWhatItMade() {
        when(inquiries.inquire(unknown)).thenReturn(new Inquiry.NotFound());
        when(ledger.maySendAgain(unknown)).thenReturn(true);
        when(cancels.wasAsked(unknown)).thenReturn(true); // asked while the pay was on its way
        when(payments.resend(eq(unknown), anyString())).thenReturn(PaymentState.PENDING);
        PaymentAttempt pending = unknown.toBuilder().state(PaymentState.PENDING).version(4).build();
        when(ledger.find("PRID-1")).thenReturn(Optional.of(pending));
        when(cancels.cancel(pending, "CANCELLED_DURING_RESEND")).thenReturn(true);

        assertThat(janitor.check(unknown, OffsetDateTime.now(clock))).contains(PaymentState.CANCELLED);
        verify(cancels).cancel(pending, "CANCELLED_DURING_RESEND");
    }

    @Test
    void withoutACancellationThePaySentAgainStands() {
        when(inquiries.inquire(unknown)).thenReturn(new Inquiry.NotFound());
        when(ledger.maySendAgain(unknown)).thenReturn(true);
        when(cancels.wasAsked(unknown)).thenReturn(false);
        when(payments.resend(eq(unknown), anyString())).thenReturn(PaymentState.PENDING);

        assertThat(janitor.check(unknown, OffsetDateTime.now(clock))).contains(PaymentState.PENDING);
        verify(cancels, never()).cancel(any(), anyString());
    }

    /**
     * Past its expiry, a payment Antom gave a paymentId (its buyer has the link) that an inquiry does not find is
     * cancelled at Antom before it is closed, not closed on that one answer: a later payment would be refused.
     */
    @Test
    void anExpiredPaymentAntomAnsweredIsCancelledNotJustClosedWhenAnInquiryMissesIt() {
        PaymentAttempt pending = unknown.toBuilder().state(PaymentState.PENDING).paymentId("PAY-1")
                .expiresAt(OffsetDateTime.now(clock).minusHours(1)).build();
        when(inquiries.inquire(pending)).thenReturn(new Inquiry.NotFound());
        when(cancels.cancelIfStill(pending, AntomCancels.EXPIRY_CANCEL, PaymentState.EXPIRED, true)).thenReturn(true);

        assertThat(janitor.check(pending, OffsetDateTime.now(clock))).contains(PaymentState.EXPIRED);
        verify(cancels).cancelIfStill(pending, AntomCancels.EXPIRY_CANCEL, PaymentState.EXPIRED, true);
        verify(inquiries, never()).closeAsRead(any(), any(), anyString());
    }

    /**
     * Its order was cancelled (the attempt was stored as the cancellation came, and neither saw the other), though no
     * cancel was asked for this attempt: the pay is not sent again, which would give the buyer a link to pay it.
     */
    @Test
    void aPayOfAnOrderCancelledIsNotSentAgain() {
        when(inquiries.inquire(unknown)).thenReturn(new Inquiry.NotFound());
        when(ledger.maySendAgain(unknown)).thenReturn(false); // untouchedByCancellation: false

        assertThat(janitor.check(unknown, OffsetDateTime.now(clock))).isEmpty();
        verify(payments, never()).resend(any(), anyString());
    }
}
