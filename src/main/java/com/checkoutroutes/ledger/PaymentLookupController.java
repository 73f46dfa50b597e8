package com.checkoutroutes.ledger;

import com.checkoutroutes.ledger.PaymentLedger.StateChange;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** For operators: an order's attempts with their state history, and the attempts in a given state. */
@RestController
public class PaymentLookupController {

    private final PaymentLedger ledger;

    public PaymentLookupController(PaymentLedger ledger) {
        this.ledger = ledger;
    }

    public record AttemptView(String paymentRequestId, int attempt, String state, String paymentId,
            String paymentMethodType, String amount, String currency, String terminalType, String resultCode,
            String resultMessage, boolean flagged, String flagReason, String expiresAt,
            @com.fasterxml.jackson.annotation.JsonRawValue String lastChannelMessage,
            List<StateChange> history) {
    }

    @GetMapping("${checkout.http.payments-path}/{orderId}")
    public ResponseEntity<List<AttemptView>> order(@PathVariable String orderId) {
        List<AttemptView> attempts = ledger.attemptsOf(orderId).stream().map(this::view).toList();
        return attempts.isEmpty() ? ResponseEntity.notFound().build() : ResponseEntity.ok(attempts);
    }

    @GetMapping("${checkout.http.payments-path}")
    public List<AttemptView> inState(@RequestParam PaymentState state,
            @RequestParam(defaultValue = "100") int limit) {
        return ledger.inState(state, Math.min(limit, 1000)).stream().map(this::view).toList();
    }

    private AttemptView view(PaymentAttempt a) {
        return new AttemptView(a.paymentRequestId(), a.attemptNo(), a.state().name(), a.paymentId(),
                a.paymentMethodType(), String.valueOf(a.amountValue()), a.currency(), a.terminalType(), a.resultCode(),
                a.resultMessage(), a.flagged(), a.flagReason(),
                a.expiresAt() == null ? null : a.expiresAt().toString(), a.continuationJson(),
                ledger.history(a.paymentRequestId()));
    }
}
