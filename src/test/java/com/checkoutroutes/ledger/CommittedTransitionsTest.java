package com.checkoutroutes.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionSynchronizationUtils;

/**
 * Listeners hear a state change once its transaction committed; one that throws is not passed on out of the commit
 * (the group commit would take the committed batch for a failed one), and the others still hear it.
 */
class CommittedTransitionsTest {

    @AfterEach
    void clear() {
        TransactionSynchronizationManager.clearSynchronization();
    }

    @Test
    void aListenerThatThrowsAfterTheCommitLeavesTheCommitAndTheOthersAlone() {
        CommittedTransitions transitions = new CommittedTransitions();
        List<String> heard = new ArrayList<>();
        transitions.subscribe((from, to) -> {
            throw new IllegalStateException("a gauge that broke");
        });
        transitions.subscribe((from, to) -> heard.add(from + "->" + to));
        TransactionSynchronizationManager.initSynchronization();

        transitions.changed(PaymentState.PENDING, PaymentState.SUCCEEDED);
        assertThat(heard).as("nothing before the commit").isEmpty();

        assertThatCode(TransactionSynchronizationUtils::triggerAfterCommit).doesNotThrowAnyException();
        assertThat(heard).containsExactly("PENDING->SUCCEEDED");
    }
}
