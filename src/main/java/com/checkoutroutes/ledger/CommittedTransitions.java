package com.checkoutroutes.ledger;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Tells listeners of each state change of an attempt once its transaction committed (never one that rolled back):
 * how the ledger gauges follow the ledger within moments without counting it again.
 */
@Component
public class CommittedTransitions {

    private static final Logger LOG = LoggerFactory.getLogger(CommittedTransitions.class);

    private final List<BiConsumer<PaymentState, PaymentState>> listeners = new CopyOnWriteArrayList<>();

    /** {@code listener} gets (from, to); from is null for a new attempt. Called on the committing thread. */
    public void subscribe(BiConsumer<PaymentState, PaymentState> listener) {
        listeners.add(listener);
    }

    void changed(PaymentState from, PaymentState to) {
        if (listeners.isEmpty()) {
            return;
        }
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    tell(from, to);
                }
            });
        } else {
            tell(from, to);
        }
    }

    /**
     * A listener that throws is logged, not passed on: after the commit it would come out of the commit itself, and
     * the group commit would take a committed batch for a failed one (and run its writes again).
     */
    private void tell(PaymentState from, PaymentState to) {
        for (BiConsumer<PaymentState, PaymentState> listener : listeners) {
            try {
                listener.accept(from, to);
            } catch (RuntimeException e) {
                LOG.warn("a listener of the ledger's committed state changes failed on {} -> {}", from, to, e);
            }
        }
    }
}
