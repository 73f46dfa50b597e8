package com.checkoutroutes.results;

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
import com.checkoutroutes.ledger.RefundLedger;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/** What is left on a second payment whose give-back failed for good: a note, and a flag an operator sees. */
class DuplicatePaymentCancellerTest {

    private final PaymentLedger ledger = mock(PaymentLedger.class);
    private final DuplicatePaymentCanceller canceller = new DuplicatePaymentCanceller(ledger, mock(AntomCancels.class),
            mock(RefundLedger.class));

    @Test
    void aCancelThatFailedForGoodIsNotedAndFlagged() {
        when(ledger.find("PRID-1")).thenReturn(Optional.of(mock(PaymentAttempt.class)));

        canceller.notDone("PRID-1", new IllegalStateException("concurrent update of PRID-1 " + "x".repeat(2_000)));

        ArgumentCaptor<String> flag = ArgumentCaptor.forClass(String.class);
        verify(ledger).note(eq("PRID-1"), eq("CANCEL_NOT_DONE"), anyString(), flag.capture());
        assertThat(flag.getValue()).startsWith("CANCEL_NOT_DONE: giving back the second payment failed: "
                + "java.lang.IllegalStateException: concurrent update of PRID-1").hasSizeLessThanOrEqualTo(512);
    }

    @Test
    void aRecordOfNoKnownAttemptIsOnlyLogged() {
        when(ledger.find("PRID-2")).thenReturn(Optional.empty());

        canceller.notDone("PRID-2", new IllegalStateException("boom"));

        verify(ledger, never()).note(any(), any(), any(), any());
    }
}
