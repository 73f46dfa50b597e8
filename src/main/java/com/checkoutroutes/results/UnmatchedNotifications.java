package com.checkoutroutes.results;

import com.checkoutroutes.ledger.NotificationInbox;
import com.checkoutroutes.ledger.PaymentLedger;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Notifications kept UNMATCHED that the ledger can place by now: a card's notifyCapture that arrived while the
 * change recording its paymentId was being committed (on another instance, or the janitor's inquiry) is found by
 * neither, and its rematch ({@link ResultApplier#rematch}) saw nothing yet. The janitor places them on its rounds.
 */
@Component
public class UnmatchedNotifications {

    private final NotificationInbox inbox;
    private final PaymentLedger ledger;
    private final ResultApplier results;
    private final TransactionTemplate tx;

    UnmatchedNotifications(NotificationInbox inbox, PaymentLedger ledger, ResultApplier results,
            TransactionTemplate tx) {
        this.inbox = inbox;
        this.ledger = ledger;
        this.results = results;
        this.tx = tx;
    }

    /**
     * How far back the janitor looks: the race it repairs happens at commit time, and it looks every round; a day
     * covers a janitor (or database) down for hours. Older ones stay in the gauge's week for an operator.
     */
    static final Duration LOOK_BACK = Duration.ofDays(1);

    /** The paymentIds with notifications to place, at most {@code limit}. */
    public List<String> placeable(OffsetDateTime now, int limit) {
        return inbox.placeableSince(now.minus(LOOK_BACK), limit);
    }

    /**
     * Applies the payment's UNMATCHED notifications as their arrival would have, once its attempt is locked: a rematch
     * committed meanwhile is seen (its rows resolved), not repeated. How many were applied.
     */
    public int place(String paymentId) {
        Integer placed = tx.execute(status -> ledger.findByPaymentId(paymentId)
                .flatMap(attempt -> ledger.lock(attempt.paymentRequestId()))
                .map(attempt -> results.rematch(paymentId)).orElse(0));
        return placed == null ? 0 : placed;
    }
}
