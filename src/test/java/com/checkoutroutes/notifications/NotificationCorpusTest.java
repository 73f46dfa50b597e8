package com.checkoutroutes.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.notifications.NotificationCorpus.Case;
import com.checkoutroutes.notifications.NotificationCorpus.Expected;
import com.checkoutroutes.notifications.NotificationForge.Request;
import com.checkoutroutes.testsupport.AntomNotifier;
import com.checkoutroutes.testsupport.AntomNotifier.Answer;
import com.checkoutroutes.testsupport.FlowTestSupport;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The bad-notification corpus ({@link NotificationCorpus}) through the real endpoint: each case gets its exact
 * status and answer, the ledger, history, inbox and outbox change only as the case allows, and no result event
 * about the payment is published (proven by a marker event published after it, not by waiting).
 */
// one instance for all cases: the scheduled jobs stay stopped from the first case to the last
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NotificationCorpusTest extends FlowTestSupport {

    /** One pending payment for all cases that must not touch it: a case that did would show in the next ones too. */
    private static PaymentAttempt pending;

    @Autowired
    JdbcTemplate jdbc;
    AntomNotifier antom;

    static Stream<Arguments> corpus() {
        return NotificationCorpus.cases().stream().map(c -> arguments(named(c.name(), c)));
    }

    private AutoCloseable jobs;

    @BeforeAll
    void stopJobs() throws Exception {
        jobs = scheduledJobsStopped();
    }

    @AfterAll
    void startJobs() throws Exception {
        jobs.close();
    }

    @BeforeEach
    void notifier() {
        antom = antomNotifier();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void eachBadNotificationGetsItsAnswerAndChangesNothingElse(Case c) {
        try {
            check(c);
        } catch (AssertionError e) {
            // the report names parameterized cases by index; the message names the case
            throw new AssertionError(c.name() + ": " + e.getMessage(), e);
        }
    }

    private void check(Case c) {
        NotificationForge forge = forge(c.subject());
        Request request = c.request().apply(forge);
        List<String> ids = List.of(forge.paymentRequestId, forge.paymentId);
        int eventsBefore = resultEventsAbout(ids);
        long lastInboxRow = lastId("notification_inbox");
        long lastTransition = lastId("payment_transition");
        LedgerSnapshot before = LedgerSnapshot.take(jdbc);

        Answer answer = antom.send(request.method(), request.body(), request.headers());

        LedgerSnapshot after = LedgerSnapshot.take(jdbc);
        Expected expected = c.expected();
        assertThat(answer.status()).as("status; answer %s", answer.body()).isEqualTo(expected.status());
        assertThat(answer.body()).matches(expected.bodyPattern());
        switch (expected.effect()) {
            case NOTHING -> assertThat(after).isEqualTo(before);
            case INBOX_ROW -> {
                assertThat(after.without("notification_inbox")).isEqualTo(before.without("notification_inbox"));
                assertThat(inboxOutcomesSince(lastInboxRow)).containsExactly(expected.outcome());
            }
            case RESEND_COUNTED -> {
                assertThat(after.without("notification_inbox")).isEqualTo(before.without("notification_inbox"));
                assertThat(inboxOutcomesSince(lastInboxRow)).isEmpty();
                assertThat(jdbc.queryForObject("SELECT times_received FROM notification_inbox WHERE "
                        + "payment_request_id = ?", Integer.class, forge.paymentRequestId)).isEqualTo(2);
            }
            case CONFLICT_NOTED -> {
                assertThat(after.tables().get("outbox_event")).isEqualTo(before.tables().get("outbox_event"));
                assertThat(ledger.find(forge.paymentRequestId).orElseThrow().state()).isEqualTo(PaymentState.SUCCEEDED);
                assertThat(jdbc.queryForList("SELECT from_state || '>' || to_state || ' ' || cause FROM payment_transition "
                        + "WHERE id > ? ORDER BY id", String.class, lastTransition))
                        .containsExactly("SUCCEEDED>SUCCEEDED NOTIFICATION_CONFLICT");
                assertThat(inboxOutcomesSince(lastInboxRow)).containsExactly(expected.outcome());
            }
        }
        publishMarkerAndWait();
        assertThat(resultEventsAbout(ids)).as("result events about %s", ids).isEqualTo(eventsBefore);
    }

    private NotificationForge forge(NotificationCorpus.Subject subject) {
        return switch (subject) {
            case PENDING -> NotificationForge.about(antom, notificationsPath, antomClientId, pendingPayment());
            case PAID -> paidPayment();
            case UNKNOWN -> new NotificationForge(antom, notificationsPath, antomClientId, "unknown-" + UUID.randomUUID(),
                    "2026" + String.valueOf(System.nanoTime()).substring(0, 12) + "0000000000", "USD", 1250);
        };
    }

    private synchronized PaymentAttempt pendingPayment() {
        if (pending == null || ledger.find(pending.paymentRequestId()).isEmpty()) {
            pending = pendingWallet();
            awaitResultEvent(pending.paymentRequestId(), PaymentState.PENDING);
        }
        return pending;
    }

    /** A payment paid by a notification this test sent, so a case can replay it exactly. */
    private NotificationForge paidPayment() {
        NotificationForge forge = NotificationForge.about(antom, notificationsPath, antomClientId, pendingWallet());
        forge.applied = forge.signed(forge.success());
        Answer paid = antom.send(forge.applied.method(), forge.applied.body(), forge.applied.headers());
        assertThat(paid.body()).isEqualTo(NotificationIntake.SUCCESS);
        awaitResultEvent(forge.paymentRequestId, PaymentState.SUCCEEDED);
        return forge;
    }

    private void awaitResultEvent(String paymentRequestId, PaymentState state) {
        kafka().await(resultsTopic, r -> r.value().contains(paymentRequestId)
                && r.value().contains("\"state\":\"" + state + "\""));
    }

    private int resultEventsAbout(List<String> ids) {
        return kafka().matching(resultsTopic, r -> ids.stream().anyMatch(r.value()::contains)).size();
    }

    private long lastId(String table) {
        Long id = jdbc.queryForObject("SELECT MAX(id) FROM " + table, Long.class);
        return id == null ? 0 : id;
    }

    private List<String> inboxOutcomesSince(long id) {
        return jdbc.queryForList("SELECT outcome FROM notification_inbox WHERE id > ? ORDER BY id", String.class, id);
    }
}
