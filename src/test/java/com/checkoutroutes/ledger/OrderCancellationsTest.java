package com.checkoutroutes.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.checkoutroutes.testsupport.TestPostgres;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** Which cancellations the janitor carries out: recent ones with an attempt left, and those left to it whenever. */
class OrderCancellationsTest {

    private final Instant now = Instant.parse("2026-12-05T12:00:00Z");
    private final JdbcTemplate jdbc = new JdbcTemplate(TestPostgres.freshH2());
    private final OrderCancellations cancellations = new OrderCancellations(jdbc, Clock.fixed(now, ZoneOffset.UTC));

    @Test
    void aCancellationLeftToTheJanitorIsDueOnceAntomAnsweredHoweverLongThatTook() {
        attempt("ORD-1", 1, "CAPTURE_REQUESTED");
        cancellations.keep("ORD-1", "ORDER_CANCELLED", "E-1", 1);
        assertThat(due()).as("carried out by its event").isEmpty();

        cancellations.reopenFrom("ORD-1", 1); // its event was refused: a capture in progress
        assertThat(due()).as("nothing to decide while the capture's result is unknown").isEmpty();

        jdbc.update("UPDATE payment_attempt SET state = 'CAPTURE_FAILED' WHERE order_id = 'ORD-1'");
        jdbc.update("UPDATE order_cancellation SET received_at = ?", at().minusDays(5));
        assertThat(due()).as("days after the cancellation came").containsExactly("ORD-1");

        cancellations.settledThrough("ORD-1", 1);
        assertThat(due()).isEmpty();
        assertThat(jdbc.queryForObject("SELECT reopened_at FROM order_cancellation", OffsetDateTime.class))
                .as("settled: no longer the janitor's").isNull();
    }

    /** An attempt stored as the cancellation came waits for its pay's answer: held the janitor's past the day. */
    @Test
    void aCancellationWhoseAttemptStoredMeanwhileWaitsForAntomIsHeldPastTheDay() {
        cancellations.keep("ORD-3", "ORDER_CANCELLED", "E-3", 0);
        attempt("ORD-3", 1, "REQUESTED");
        assertThat(cancellations.holdWaiting(at().minusDays(1))).isEqualTo(1);
        assertThat(due()).as("nothing to decide yet").isEmpty();

        jdbc.update("UPDATE payment_attempt SET state = 'PENDING' WHERE order_id = 'ORD-3'");
        jdbc.update("UPDATE order_cancellation SET received_at = ?", at().minusDays(3));
        assertThat(due()).containsExactly("ORD-3");
    }

    /**
     * A second cancellation of an order (redelivered, or a risk flag after it) takes on the attempts it saw, also
     * inside a transaction on PostgreSQL, where a failed insert would have aborted everything after it.
     */
    @Test
    void aSecondCancellationInATransactionOnPostgresqlTakesOnWhatItSaw() {
        javax.sql.DataSource db = TestPostgres.freshMigrated("postgresql", "cancellations");
        JdbcTemplate pg = new JdbcTemplate(db);
        OrderCancellations onPg = new OrderCancellations(pg, Clock.fixed(now, ZoneOffset.UTC));
        new org.springframework.transaction.support.TransactionTemplate(
                new org.springframework.jdbc.datasource.DataSourceTransactionManager(db)).executeWithoutResult(tx -> {
                    onPg.keep("ORD-9", "ORDER_CANCELLED", "E-9", 1);
                    onPg.keep("ORD-9", "RISK_FLAGGED", "E-10", 2);
                });
        assertThat(pg.queryForList("SELECT cause || ' ' || settled_through FROM order_cancellation", String.class))
                .containsExactly("ORDER_CANCELLED 2");
    }

    @Test
    void reopeningLowersWhatWasSettledAndNeverRaisesIt() {
        attempt("ORD-2", 1, "CANCELLED");
        attempt("ORD-2", 2, "AUTHORISED");
        cancellations.keep("ORD-2", "ORDER_CANCELLED", "E-2", 2);
        cancellations.reopenFrom("ORD-2", 2);
        assertThat(jdbc.queryForObject("SELECT settled_through FROM order_cancellation", Integer.class)).isEqualTo(1);
        cancellations.reopenFrom("ORD-2", 3);
        assertThat(jdbc.queryForObject("SELECT settled_through FROM order_cancellation", Integer.class)).isEqualTo(1);
        assertThat(due()).containsExactly("ORD-2");
    }

    /**
     * The janitor read a cancellation and carried it out; the order's payment was made meanwhile, which reopened it
     * (ResultApplier): the janitor's settling leaves it the janitor's, for the next round, which settles it.
     */
    @Test
    void aReopenWhileTheJanitorCarriedItOutKeepsItTheJanitors() {
        attempt("ORD-4", 1, "PENDING");
        cancellations.keep("ORD-4", "ORDER_CANCELLED", "E-4", 0);
        OrderCancellations.Due read = dueOnes().get(0);

        jdbc.update("UPDATE payment_attempt SET state = 'SUCCEEDED' WHERE order_id = 'ORD-4'");
        cancellations.reopenFrom("ORD-4", 1);
        cancellations.settledThrough(read, 1);
        assertThat(due()).as("paid while the janitor worked: still its").containsExactly("ORD-4");

        cancellations.settledThrough(dueOnes().get(0), 1);
        assertThat(due()).isEmpty();
        assertThat(jdbc.queryForObject("SELECT reopened_at FROM order_cancellation", OffsetDateTime.class)).isNull();
    }

    private java.util.List<OrderCancellations.Due> dueOnes() {
        return cancellations.due(OffsetDateTime.ofInstant(now, ZoneOffset.UTC).minus(Duration.ofDays(1)), 10);
    }

    private java.util.List<String> due() {
        return dueOnes().stream().map(OrderCancellations.Due::orderId).toList();
    }

    private OffsetDateTime at() {
        return OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
    }

    private void attempt(String orderId, int attemptNo, String state) {
        OffsetDateTime at = at();
        jdbc.update("INSERT INTO payment_attempt (payment_request_id, order_id, attempt_no, integration, amount_value, "
                + "currency, terminal_type, state, request_json, created_at, updated_at) "
                + "VALUES (?, ?, ?, 'API', 1250, 'USD', 'WEB', ?, '{}', ?, ?)", orderId + "-" + attemptNo, orderId,
                attemptNo, state, at, at);
    }
}
