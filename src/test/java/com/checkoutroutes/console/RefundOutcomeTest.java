package com.checkoutroutes.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.checkoutroutes.cardcapture.CardAuthorisations;
import com.checkoutroutes.console.ActionLog.Outcome;
import com.checkoutroutes.console.ConsoleActions.Result;
import com.checkoutroutes.console.ConsoleActions.Target;
import com.checkoutroutes.continuation.HttpChannelQueue;
import com.checkoutroutes.continuation.HttpChannels;
import com.checkoutroutes.deadletter.DeadLetterArchive;
import com.checkoutroutes.deadletter.DeadLetterRedrives;
import com.checkoutroutes.ledger.PaymentLedger;
import com.checkoutroutes.ledger.Refund;
import com.checkoutroutes.ledger.RefundState;
import com.checkoutroutes.refunds.Refunds;
import com.checkoutroutes.results.DuplicatePaymentCanceller;
import com.checkoutroutes.results.PaymentInquiries;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the console's Refund tells the operator (and the audit log keeps), as give back does: DONE once Antom took
 * the refund; FAILED, saying so, while Antom has not confirmed it or when it refused it.
 */
class RefundOutcomeTest {

    private static final OffsetDateTime AT = OffsetDateTime.of(2026, 12, 4, 10, 0, 0, 0, ZoneOffset.UTC);

    private final Refunds refunds = mock(Refunds.class);
    private final ConsoleActions actions = new ConsoleActions(mock(ActionLog.class), mock(PaymentLedger.class),
            mock(PaymentInquiries.class), mock(CardAuthorisations.class), mock(DeadLetterArchive.class),
            mock(DeadLetterRedrives.class), refunds, mock(DuplicatePaymentCanceller.class),
            mock(HttpChannelQueue.class), mock(HttpChannels.class), java.time.Clock.systemUTC());

    @ParameterizedTest
    @CsvSource({"ACCEPTED, DONE, ACCEPTED", "REFUNDED, DONE, REFUNDED", "UNKNOWN, FAILED, not confirmed",
            "REQUESTED, FAILED, not confirmed", "FAILED, FAILED, outside this service"})
    void theOutcomeSaysWhetherAntomTookTheRefund(RefundState state, Outcome outcome, String says) {
        when(refunds.request(eq("ORD-1"), any(), eq("returned"), eq("alice"))).thenReturn(refund(state));

        Result result = actions.perform(ConsoleAction.REFUND, new Target("ORD-1", null, null), "alice", "returned");

        assertThat(result.outcome()).as(result.detail()).isEqualTo(outcome);
        assertThat(result.detail()).startsWith("refund RR-1 of 1250 USD").contains(says);
    }

    @Test
    void aRefundWithoutAReasonIsRefused() {
        Result result = actions.perform(ConsoleAction.REFUND, new Target("ORD-1", null, null), "alice", " ");
        assertThat(result.outcome()).isEqualTo(Outcome.REFUSED);
    }

    private static Refund refund(RefundState state) {
        return new Refund("RR-1", "PRID-1", "ORD-1", "console", 1250, "USD", state, null,
                state == RefundState.FAILED ? "REFUND_WINDOW_EXCEED" : null, null, "returned", "alice", 1, 0, null,
                null, null, AT, AT);
    }
}
