package com.checkoutroutes.results;

import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.startsWith;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentLedger;
import com.checkoutroutes.ledger.PaymentLedger.StateChange;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.ledger.RefundLedger;
import com.checkoutroutes.ledger.RefundRules;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionTemplate;

/** A refund made outside this service is flagged once per refund, by the name every path gives it. */
class RefundResultsTest {

    private final PaymentLedger payments = mock(PaymentLedger.class);
    private final RefundResults results = new RefundResults(mock(RefundLedger.class), payments,
            mock(TransactionTemplate.class));
    {
        // what the ledger noted is read from its history, as stubbed in each test
        when(payments.noted(org.mockito.ArgumentMatchers.any(), org.mockito.ArgumentMatchers.any(),
                org.mockito.ArgumentMatchers.any())).thenCallRealMethod();
    }
    private final PaymentAttempt payment = PaymentAttempt.builder().paymentRequestId("PRID-1").orderId("ORD-1")
            .state(PaymentState.SUCCEEDED).amountValue(1250).currency("USD").build();

    /**
     * A notifyRefund naming the refund by Antom's refundId only is named by it, as an inquiry and the report name it:
     * a second outside refund is flagged too, and the first is not flagged again once an operator cleared it.
     */
    @Test
    void aNotificationWithOnlyTheRefundIdNamesTheRefundByIt() {
        String flagged = "refund R-1 (500 USD) made outside this service";
        when(payments.history("PRID-1")).thenReturn(List.of(new StateChange(PaymentState.SUCCEEDED,
                PaymentState.SUCCEEDED, RefundRules.REFUND_NOT_OURS, flagged, OffsetDateTime.now())));

        results.flagRefundNotOurs(payment, refund(null, "R-2"));
        verify(payments).note(eq("PRID-1"), eq(RefundRules.REFUND_NOT_OURS), startsWith("refund R-2 "),
                startsWith(RefundRules.REFUND_NOT_OURS + ": refund R-2 "));

        results.flagRefundNotOurs(payment, refund(null, "R-1"));
        verify(payments, never()).note(eq("PRID-1"), anyString(), startsWith("refund R-1 "), anyString());
    }

    private static AntomResult refund(String refundRequestId, String refundId) {
        return new AntomResult(AntomResult.REFUND_RESULT, "S", "SUCCESS", "success", "PRID-1", "PAY-1", null, null,
                "USD", "500", refundRequestId, refundId, "SUCCESS", null, null);
    }
}
