package com.checkoutroutes.continuation;

import static org.assertj.core.api.Assertions.assertThat;

import com.checkoutroutes.continuation.HttpChannelQueue.Delivery;
import com.checkoutroutes.continuation.HttpChannelQueue.Kept;
import com.checkoutroutes.continuation.HttpChannelQueue.State;
import com.checkoutroutes.testsupport.TestPostgres;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The HTTP channels' queue on the local run's database (H2 in memory, the shipped migrations): queued once per
 * event, one order's messages handed out oldest first and never past a parked one, parked messages released when
 * their receiver answers again, a busy receiver passed over. PostgreSQL runs the same statements in HttpChannelTest.
 */
class HttpChannelQueueTest {

    private static final String WEB = "https://bff.example/continuations";
    private static final OffsetDateTime NOW = OffsetDateTime.of(2026, 12, 1, 10, 0, 0, 0, ZoneOffset.UTC);

    private HttpChannelQueue queue;

    @BeforeEach
    void freshDatabase() {
        queue = new HttpChannelQueue(new JdbcTemplate(TestPostgres.freshH2()));
    }

    @Test
    void anEventIsQueuedOnceWhateverTimesItsOutboxRowIsPublished() {
        assertThat(queue.add(7, WEB, "ORD-1", "{}", NOW)).isTrue();
        assertThat(queue.add(7, WEB, "ORD-1", "{}", NOW)).isFalse();
        assertThat(queue.keptOf("ORD-1")).singleElement().extracting(Kept::state).isEqualTo(State.PENDING);
        assertThat(queue.concurrentSenders()).as("H2 has one sender").isFalse();
    }

    @Test
    void anOrdersMessagesLeaveOldestFirstAndNeverPastAParkedOne() {
        queue.add(1, WEB, "ORD-A", "a1", NOW);
        queue.add(2, WEB, "ORD-B", "b1", NOW);
        queue.add(3, WEB, "ORD-A", "a2", NOW);

        assertThat(claim()).map(Delivery::eventId).contains(1L);
        queue.park(1, true, NOW.plusMinutes(1), "HTTP 503");
        // a2 waits behind the parked a1; b1 goes
        assertThat(claim()).map(Delivery::eventId).contains(2L);
        queue.delivered(2, NOW);
        assertThat(claim()).isEmpty();

        // the receiver answers again: a1 is due now, then a2
        assertThat(queue.release(WEB, NOW)).isEqualTo(1);
        assertThat(queue.undelivered()).containsEntry(State.PARKED, 1L).containsEntry(State.PENDING, 1L);
        assertThat(claim()).map(Delivery::eventId).contains(1L);
        queue.delivered(1, NOW);
        assertThat(claim()).map(Delivery::eventId).contains(3L);
        queue.delivered(3, NOW);
        assertThat(queue.keptOf("ORD-A")).extracting(Kept::state).containsOnly(State.DELIVERED);
        assertThat(queue.keptOf("ORD-A").get(0).attempts()).isEqualTo(2);
        assertThat(queue.undelivered()).containsEntry(State.PARKED, 0L).containsEntry(State.PENDING, 0L);
    }

    /** What an operator sees of one order is bounded: its newest messages and those not delivered, oldest first. */
    @Test
    void anOrdersKeptMessagesAreItsNewestOldestFirst() {
        int many = HttpChannelQueue.MAX_KEPT_OF_ORDER + 5;
        for (int id = 1; id <= many; id++) {
            queue.add(id, WEB, "ORD-MANY", "m" + id, NOW);
        }
        for (int id = 1; id <= many; id++) {
            if (id == 2) {
                queue.park(id, true, NOW.plusMinutes(1), "HTTP 503"); // not delivered: shown however old
            } else {
                queue.delivered(id, NOW);
            }
        }

        List<Kept> kept = queue.keptOf("ORD-MANY");

        assertThat(kept).hasSize(HttpChannelQueue.MAX_KEPT_OF_ORDER + 1);
        assertThat(kept.get(0).eventId()).isEqualTo(2L);
        assertThat(kept.get(1).eventId()).isEqualTo(6L);
        assertThat(kept.get(kept.size() - 1).eventId()).isEqualTo(many);
    }

    @Test
    void aParkedMessageComesBackWhenItsTimeComes() {
        queue.add(1, WEB, "ORD-A", "a1", NOW);
        queue.park(1, false, NOW.plusSeconds(30), "not tried: receiver failing");
        assertThat(queue.claimNext(NOW.plusSeconds(29))).isEmpty();
        assertThat(queue.claimNext(NOW.plusSeconds(30))).map(Delivery::state).contains(State.PARKED);
        assertThat(queue.keptOf("ORD-A").get(0).attempts()).as("not tried, not counted").isZero();
    }

    /** A receiver whose share of the senders is taken is passed over: the other receivers' messages go. */
    @Test
    void aReceiverPassedOverLeavesItsMessagesForLater() {
        String app = "https://app-bff.example/continuations";
        queue.add(1, WEB, "ORD-A", "a1", NOW);
        queue.add(2, app, "ORD-B", "b1", NOW);

        assertThat(queue.claimNext(NOW, Set.of(WEB))).map(Delivery::eventId).contains(2L);
        assertThat(queue.claimNext(NOW, Set.of(WEB, app))).isEmpty();
        assertThat(claim()).map(Delivery::eventId).contains(1L);
    }

    private Optional<Delivery> claim() {
        return queue.claimNext(NOW);
    }
}
