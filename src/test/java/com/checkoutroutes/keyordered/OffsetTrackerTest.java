package com.checkoutroutes.keyordered;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The commit position of one partition: never past the lowest record not yet finished. */
class OffsetTrackerTest {

    private final OffsetTracker tracker = new OffsetTracker();

    @Test
    void nothingIsDueBeforeARecordWasHandedOver() {
        assertThat(tracker.due()).isEmpty();
    }

    @Test
    void recordsFinishingOutOfOrderAreHeldUntilTheGapFills() {
        for (long offset = 10; offset <= 14; offset++) {
            tracker.register(offset);
        }
        assertThat(tracker.due()).hasValue(10); // nothing finished: the committed position stays at the first one

        tracker.finish(12);
        tracker.finish(14);
        assertThat(tracker.due()).hasValue(10);

        tracker.finish(10);
        assertThat(tracker.due()).hasValue(11); // 11 is still running: 12 waits
        tracker.committed(11);
        assertThat(tracker.due()).isEmpty();

        tracker.finish(11);
        assertThat(tracker.due()).hasValue(13);
        tracker.finish(13);
        assertThat(tracker.due()).hasValue(15); // all finished: the next offset to read
        tracker.committed(15);
        assertThat(tracker.due()).isEmpty();
        assertThat(tracker.unfinished()).isZero();
    }

    @Test
    void gapsInTheOffsetsAreNoRecordToWaitFor() {
        // compacted topics and transaction markers leave offsets that are never delivered
        tracker.register(3);
        tracker.register(7);
        tracker.register(8);
        tracker.finish(3);
        assertThat(tracker.due()).hasValue(7);
        tracker.finish(8);
        tracker.finish(7);
        assertThat(tracker.due()).hasValue(9);
    }

    @Test
    void aRecordThatKeepsFailingHoldsTheCommitBelowItWhileLaterOnesFinish() {
        tracker.register(20);
        tracker.register(21);
        tracker.register(22);
        tracker.finish(21);
        tracker.finish(22);
        // 20 failed and is being retried: it is never finished, so the commit never passes it
        assertThat(tracker.due()).hasValue(20);
        tracker.committed(20);
        assertThat(tracker.due()).isEmpty();
        tracker.register(23);
        tracker.finish(23);
        assertThat(tracker.due()).isEmpty();

        tracker.finish(20); // the retry succeeded
        assertThat(tracker.due()).hasValue(24);
    }

    @Test
    void aRevokedPartitionIsNeverCommittedAgain() {
        tracker.register(5);
        tracker.register(6);
        tracker.finish(5);
        assertThat(tracker.due()).hasValue(6);
        tracker.revoke();
        tracker.finish(6); // an order in flight at the rebalance still finishes...
        assertThat(tracker.due()).isEmpty(); // ...but its new owner reads it again and commits
        assertThat(tracker.isRevoked()).isTrue();
    }

    @Test
    void aRewindIsRecognisedAndOffsetsOnlyGrow() {
        tracker.register(40);
        tracker.register(41);
        assertThat(tracker.isBehind(41)).isTrue();
        assertThat(tracker.isBehind(40)).isTrue();
        assertThat(tracker.isBehind(42)).isFalse();
        assertThatThrownBy(() -> tracker.register(41)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCommitNeverMovesBack() {
        tracker.register(1);
        tracker.finish(1);
        tracker.committed(2);
        tracker.committed(1); // a late acknowledgement of an older commit
        assertThat(tracker.due()).isEqualTo(OptionalLong.empty());
    }
}
