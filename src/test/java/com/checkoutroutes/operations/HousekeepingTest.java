package com.checkoutroutes.operations;

import static org.assertj.core.api.Assertions.assertThat;

import com.checkoutroutes.continuation.HttpChannelQueue;
import com.checkoutroutes.deadletter.DeadLetterArchive;
import com.checkoutroutes.ledger.NotificationInbox;
import com.checkoutroutes.ledger.Outbox;
import com.checkoutroutes.scheduling.JobRuns.Report;
import com.checkoutroutes.testsupport.TestPostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Housekeeping on both databases the service runs on: the rows that are done and older than the retention go, a
 * batch at a time; what still waits for something stays however old, and so does anything newer than the retention.
 */
@Tag("flow") // the local PostgreSQL: not in the fast tier, which needs none
class HousekeepingTest {

    private static final Instant NOW = Instant.parse("2026-12-06T03:30:00Z");
    private static final OffsetDateTime OLD = OffsetDateTime.ofInstant(NOW, ZoneOffset.UTC).minusDays(91);
    private static final OffsetDateTime RECENT = OffsetDateTime.ofInstant(NOW, ZoneOffset.UTC).minusDays(89);

    private JdbcTemplate jdbc;
    private SimpleMeterRegistry meters;

    private Housekeeping on(String database, int batchSize, int maxPerRun) {
        DataSource db = TestPostgres.freshMigrated(database, "housekeeping");
        jdbc = new JdbcTemplate(db);
        meters = new SimpleMeterRegistry();
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        return new Housekeeping(new Outbox(jdbc, clock), new HttpChannelQueue(jdbc), new NotificationInbox(jdbc, clock),
                new DeadLetterArchive(jdbc, new TransactionTemplate(new DataSourceTransactionManager(db)), clock),
                new HousekeepingSettings("0 45 * * * ?", Duration.ofDays(90), batchSize, maxPerRun), meters, clock);
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "h2"})
    void whatIsDoneAndOldGoesAndWhatWaitsStays(String database) {
        Housekeeping housekeeping = on(database, 2, 1_000);
        for (int i = 1; i <= 5; i++) {
            event("old published " + i, OLD, OLD);
            delivery(i, "DELIVERED", OLD);
            notification("old applied " + i, "APPLIED", OLD, OLD);
            deadLetter(i, OLD, OLD);
        }
        event("old unpublished", OLD, null);
        event("recent published", RECENT, RECENT);
        delivery(11, "PARKED", null);
        delivery(12, "REFUSED", null);
        delivery(13, "PENDING", null);
        delivery(14, "DELIVERED", RECENT);
        notification("old unmatched", "UNMATCHED", OLD, OLD);
        notification("old conflict, resent lately", "CONFLICT", OLD, RECENT);
        notification("recent mismatch", "MISMATCH", RECENT, RECENT);
        deadLetter(21, OLD, null);
        deadLetter(22, OLD, RECENT);

        Report report = housekeeping.run();

        assertThat(jdbc.queryForList("SELECT payload FROM outbox_event ORDER BY id", String.class))
                .containsExactly("old unpublished", "recent published");
        assertThat(jdbc.queryForList("SELECT event_id FROM channel_delivery ORDER BY event_id", Long.class))
                .containsExactly(11L, 12L, 13L, 14L);
        assertThat(jdbc.queryForList("SELECT dedupe_key FROM notification_inbox ORDER BY id", String.class))
                .containsExactly("old unmatched", "old conflict, resent lately", "recent mismatch");
        assertThat(jdbc.queryForList("SELECT source_offset FROM dead_letter ORDER BY id", Long.class))
                .containsExactly(21L, 22L);
        assertThat(report.changed()).isEqualTo(20);
        assertThat(report.detail()).contains("outbox_event 5, channel_delivery 5, notification_inbox 5, dead_letter 5");
        assertThat(meters.counter("checkout.housekeeping.deleted", "table", "outbox_event").count()).isEqualTo(5);

        assertThat(housekeeping.run().changed()).as("nothing more to delete").isZero();
    }

    /** A backlog larger than a run's share is deleted over several runs, the oldest first. */
    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "h2"})
    void aRunDeletesAtMostItsShareOfEachTableOldestFirst(String database) {
        Housekeeping housekeeping = on(database, 2, 3);
        for (int i = 1; i <= 5; i++) {
            event("published " + i, OLD.minusDays(10 - i), OLD.minusDays(10 - i));
        }

        Report first = housekeeping.run();
        assertThat(first.changed()).isEqualTo(3);
        assertThat(first.detail()).contains("outbox_event 3 (its share: more left)");
        assertThat(jdbc.queryForList("SELECT payload FROM outbox_event ORDER BY id", String.class))
                .containsExactly("published 4", "published 5");
        assertThat(housekeeping.run().changed()).isEqualTo(2);
        assertThat(jdbc.queryForList("SELECT payload FROM outbox_event", String.class)).isEmpty();
    }

    private void event(String payload, OffsetDateTime createdAt, OffsetDateTime publishedAt) {
        jdbc.update("INSERT INTO outbox_event (destination, message_key, payload, created_at, published_at) "
                + "VALUES ('direct:payment-result-out', 'ORD-1', ?, ?, ?)", payload, createdAt, publishedAt);
    }

    private void delivery(long eventId, String state, OffsetDateTime deliveredAt) {
        jdbc.update("INSERT INTO channel_delivery (event_id, endpoint, message_key, payload, state, attempts, "
                + "next_attempt_at, created_at, delivered_at) VALUES (?, 'https://shop.example/continuations', "
                + "'ORD-1', '{}', ?, 1, ?, ?, ?)", eventId, state, OLD, OLD, deliveredAt);
    }

    private void notification(String dedupeKey, String outcome, OffsetDateTime receivedAt,
            OffsetDateTime lastReceivedAt) {
        jdbc.update("INSERT INTO notification_inbox (dedupe_key, notify_type, outcome, body, received_at, "
                + "last_received_at) VALUES (?, 'PAYMENT_RESULT', ?, '{}', ?, ?)", dedupeKey, outcome, receivedAt,
                lastReceivedAt);
    }

    private void deadLetter(long offset, OffsetDateTime rejectedAt, OffsetDateTime redrivenAt) {
        jdbc.update("INSERT INTO dead_letter (type, reason_code, source_topic, source_partition, source_offset, "
                + "letter, rejected_at, redriven_at) VALUES ('ORDER', 'INVALID_JSON', 'checkout.orders', 0, ?, '{}', ?, ?)",
                offset, rejectedAt, redrivenAt);
    }
}
