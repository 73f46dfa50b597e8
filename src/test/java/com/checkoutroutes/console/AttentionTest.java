package com.checkoutroutes.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.checkoutroutes.ledger.CommittedTransitions;
import com.checkoutroutes.ledger.OrderCancellations;
import com.checkoutroutes.ledger.Outbox;
import com.checkoutroutes.ledger.PaymentLedger;
import com.checkoutroutes.testsupport.TestPostgres;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Needs attention lists, at most a page each, the payments unchanged longest first (an old UNKNOWN one is never pushed
 * out by newer ones), the flagged ones newest first (flags stay until cleared), and says when there are more.
 */
class AttentionTest {

    private static final OffsetDateTime NOW = OffsetDateTime.parse("2026-12-05T12:00:00Z");

    @Test
    void eachListShowsTheLongestUnchangedAndSaysWhenThereAreMore() {
        javax.sql.DataSource h2 = TestPostgres.freshH2();
        JdbcTemplate jdbc = new JdbcTemplate(h2);
        Clock clock = Clock.fixed(NOW.toInstant(), NOW.getOffset());
        PaymentLedger ledger = new PaymentLedger(jdbc, new TransactionTemplate(new DataSourceTransactionManager(h2)),
                new Outbox(jdbc, clock), clock, new CommittedTransitions(), new OrderCancellations(jdbc, clock));
        for (int hoursAgo : new int[] {1, 50, 3, 20}) {
            attempt(jdbc, "FLAGGED-" + hoursAgo, "SUCCEEDED", true, NOW.minusHours(hoursAgo));
            attempt(jdbc, "UNKNOWN-" + hoursAgo, "UNKNOWN", false, NOW.minusHours(hoursAgo));
        }
        attempt(jdbc, "UNKNOWN-ONLY", "UNKNOWN", false, NOW.minusHours(100));
        Attention attention = new Attention(ledger, clock,
                new ConsoleSettings(Duration.ofHours(1), Duration.ofDays(5), 2));

        var lists = attention.lists();

        Attention.Listing flagged = lists.get("Flagged");
        assertThat(flagged.items()).as("newest first: an old flag no one clears hides no new one")
                .extracting(item -> item.attempt().paymentRequestId()).containsExactly("FLAGGED-1", "FLAGGED-3");
        assertThat(flagged.count()).isEqualTo("2+");
        assertThat(lists.get("Result unknown (UNKNOWN)").items()).extracting(item -> item.attempt().paymentRequestId())
                .containsExactly("UNKNOWN-ONLY", "UNKNOWN-50");
        Attention.Listing authorisations = lists.get("Card authorisations near Antom's 7-day limit");
        assertThat(authorisations.items()).isEmpty();
        assertThat(authorisations.count()).isEqualTo("0");
    }

    private static void attempt(JdbcTemplate jdbc, String id, String state, boolean flagged, OffsetDateTime updatedAt) {
        jdbc.update("INSERT INTO payment_attempt (payment_request_id, order_id, attempt_no, integration, amount_value, "
                + "currency, terminal_type, state, request_json, created_at, updated_at, flagged, flag_reason) "
                + "VALUES (?, ?, 1, 'API', 1250, 'USD', 'WEB', ?, '{}', ?, ?, ?, ?)", id, "ORD-" + id, state, updatedAt,
                updatedAt, flagged, flagged ? "AMOUNT_MISMATCH: test" : null);
    }
}
