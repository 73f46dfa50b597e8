package com.checkoutroutes.ledger;

import com.checkoutroutes.ledger.PaymentLedger.StateChange;
import com.checkoutroutes.platform.AntomTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * For operators: an order's attempts with their state history and their refunds, then its consults (an order that
 * named no payment method: kind "consult", state CHOOSE_METHOD or FAILED), and the attempts in a given state.
 */
@RestController
public class PaymentLookupController {

    private final PaymentLedger ledger;
    private final RefundLedger refunds;
    private final OrderConsults consults;

    public PaymentLookupController(PaymentLedger ledger, RefundLedger refunds, OrderConsults consults) {
        this.ledger = ledger;
        this.refunds = refunds;
        this.consults = consults;
    }

    public record ConsultView(String kind, int attempt, String state, String resultCode, String resultMessage,
            String consultedAt, @com.fasterxml.jackson.annotation.JsonRawValue String lastChannelMessage) {
    }

    public record AttemptView(String paymentRequestId, int attempt, String state, String paymentId,
            String paymentMethodType, String amount, String currency, String terminalType, String resultCode,
            String resultMessage, boolean flagged, String flagReason, String expiresAt,
            @com.fasterxml.jackson.annotation.JsonRawValue String lastChannelMessage,
            List<StateChange> history, List<RefundView> refunds) {
    }

    public record RefundView(String refundRequestId, String state, String amount, String currency, String refundId,
            String resultCode, String resultMessage, String reason, String requestedBy, String requestedAt,
            List<RefundLedger.Step> history) {
    }

    @GetMapping("${checkout.http.payments-path}/{orderId}")
    public ResponseEntity<List<Object>> order(@PathVariable String orderId) {
        List<Object> records = new ArrayList<>(ledger.attemptsOf(orderId).stream().map(this::view).toList());
        consults.of(orderId).forEach(c -> records.add(new ConsultView("consult", c.attemptNo(), c.outcome(),
                c.resultCode(), c.resultMessage(), AntomTime.format(c.consultedAt()), c.channelMessage())));
        return records.isEmpty() ? ResponseEntity.notFound().build() : ResponseEntity.ok(records);
    }

    /** The most attempts one listing returns. */
    static final int MAX_LIMIT = 1000;

    /** Attempts in a state, at most {@code limit} (1 to {@value #MAX_LIMIT}); anything else is a 400 with a code. */
    @GetMapping("${checkout.http.payments-path}")
    public ResponseEntity<?> inState(@RequestParam(required = false) String state,
            @RequestParam(required = false) String limit) {
        PaymentState wanted;
        try {
            wanted = PaymentState.valueOf(state);
        } catch (IllegalArgumentException | NullPointerException e) {
            return badRequest("INVALID_STATE", "state must be one of " + List.of(PaymentState.values()));
        }
        int count;
        try {
            count = limit == null ? 100 : Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            count = -1;
        }
        if (count < 1 || count > MAX_LIMIT) {
            return badRequest("INVALID_LIMIT", "limit must be a whole number from 1 to " + MAX_LIMIT);
        }
        return ResponseEntity.ok(ledger.inState(wanted, count).stream().map(this::view).toList());
    }

    private static ResponseEntity<Map<String, String>> badRequest(String code, String message) {
        return ResponseEntity.badRequest().body(Map.of("code", code, "message", message));
    }

    private AttemptView view(PaymentAttempt a) {
        return new AttemptView(a.paymentRequestId(), a.attemptNo(), a.state().name(), a.paymentId(),
                a.paymentMethodType(), String.valueOf(a.amountValue()), a.currency(), a.terminalType(), a.resultCode(),
                a.resultMessage(), a.flagged(), a.flagReason(),
                AntomTime.format(a.expiresAt()), a.continuationJson(),
                ledger.history(a.paymentRequestId()), refunds.refundsOf(a.paymentRequestId()).stream()
                        .map(r -> new RefundView(r.refundRequestId(), r.state().name(), String.valueOf(r.amountValue()),
                                r.currency(), r.refundId(), r.resultCode(), r.resultMessage(), r.reason(),
                                r.requestedBy(), AntomTime.format(r.createdAt()),
                                refunds.history(r.refundRequestId())))
                        .toList());
    }
}
