package com.checkoutroutes.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.checkoutroutes.ledger.PaymentAttempt.Integration;
import com.checkoutroutes.testsupport.TestPostgres;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The order path's two ledger writes on both databases the service runs on: PostgreSQL writes each in one statement
 * (an attempt with its history; a transition with its history and its events), H2 (the local run) in several. Both
 * must leave the same rows, in the same order, and a transition of an attempt that moved on must leave none.
 */
@Tag("flow") // the local PostgreSQL: not in the fast tier, which needs none
class PaymentLedgerWritesTest {

    private static final OffsetDateTime EXPIRES = OffsetDateTime.of(2030, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

    private JdbcTemplate jdbc;
    private PaymentLedger ledger;
    private final List<String> committedChanges = new CopyOnWriteArrayList<>();

    private void on(String database) {
        DataSource db = TestPostgres.freshMigrated(database, "ledgerwrites");
        jdbc = new JdbcTemplate(db);
        CommittedTransitions committed = new CommittedTransitions();
        committed.subscribe((from, to) -> committedChanges.add(from + "->" + to));
        ledger = new PaymentLedger(jdbc, new TransactionTemplate(new DataSourceTransactionManager(db)),
                new Outbox(jdbc, Clock.systemUTC()), Clock.systemUTC(), committed,
                new OrderCancellations(jdbc, Clock.systemUTC()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "h2"})
    void aNewAttemptIsStoredRequestedWithBothStepsInItsHistoryOnce(String database) {
        on(database);
        PaymentAttempt stored = ledger.openAttempt(attempt("PR-1", "ORD-1"), "pay");
        PaymentAttempt again = ledger.openAttempt(attempt("PR-1", "ORD-1"), "pay");

        assertThat(stored.state()).isEqualTo(PaymentState.REQUESTED);
        assertThat(again.paymentRequestId()).as("a redelivery finds it").isEqualTo("PR-1");
        assertThat(ledger.find("PR-1")).get().extracting(PaymentAttempt::state).isEqualTo(PaymentState.REQUESTED);
        assertThat(ledger.history("PR-1")).extracting(c -> c.from() + "->" + c.to() + " " + c.cause() + " " + c.detail())
                .containsExactly("null->CREATED ORDER_RECEIVED attempt 1", "CREATED->REQUESTED ANTOM_CALLED pay");
        assertThat(committedChanges).containsExactly("null->REQUESTED");
    }

    /**
     * A redelivered order's attempt is found without a failed insert: in a group commit's shared transaction on
     * PostgreSQL a failed insert aborts the whole batch, which then ran again one write at a time (after a rebalance,
     * every batch held a redelivery). Here the redelivery and a write after it share one transaction.
     */
    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "h2"})
    void aRedeliveredAttemptInASharedTransactionLeavesItUsable(String database) {
        on(database);
        ledger.openAttempt(attempt("PR-1", "ORD-1"), "pay");
        DataSource db = jdbc.getDataSource();
        new TransactionTemplate(new DataSourceTransactionManager(db)).executeWithoutResult(batch -> {
            assertThat(ledger.openAttempt(attempt("PR-1", "ORD-1"), "pay").paymentRequestId()).isEqualTo("PR-1");
            ledger.openAttempt(attempt("PR-2", "ORD-2"), "pay");
        });
        assertThat(ledger.find("PR-2")).as("the batch's other write committed").isPresent();
    }

    /** A second reason to flag an attempt is added to the first, not put in its place; the same one is not repeated. */
    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "h2"})
    void aSecondFlagReasonIsAddedToTheFirst(String database) {
        on(database);
        ledger.openAttempt(attempt("PR-1", "ORD-1"), "pay");
        ledger.note("PR-1", "AMOUNT_MISMATCH", "notified 1240 USD", "AMOUNT_MISMATCH: notified 1240 USD");
        ledger.flagAll(List.of(new PaymentLedger.Flag("PR-1", "RECONCILIATION_AMOUNT_DIFFERS", "file 1240 USD",
                "RECONCILIATION: AMOUNT_DIFFERS in transactionItems_20261122_000.csv")));
        ledger.note("PR-1", "AMOUNT_MISMATCH", "again", "AMOUNT_MISMATCH: notified 1240 USD");
        ledger.note("PR-1", "RECONCILIATION_AMOUNT_DIFFERS", "again",
                "RECONCILIATION: AMOUNT_DIFFERS in transactionItems_20261122_000.csv");

        assertThat(ledger.find("PR-1").orElseThrow().flagReason()).isEqualTo("AMOUNT_MISMATCH: notified 1240 USD | "
                + "RECONCILIATION: AMOUNT_DIFFERS in transactionItems_20261122_000.csv");
        ledger.clearFlag("PR-1", "operator", "checked");
        String odd = "CANCEL_NOT_DONE: C:\\x 100% a_b\\";
        ledger.note("PR-1", "CANCEL_NOT_DONE", "timeout", odd);
        ledger.note("PR-1", "CANCEL_NOT_DONE", "timeout", odd);
        assertThat(ledger.find("PR-1").orElseThrow().flagReason()).as("a cleared flag is not kept; LIKE's own "
                + "characters are plain text").isEqualTo(odd);
    }

    /** The ledger takes back one flag of its own; the attempt stays flagged for the others, with the history. */
    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "h2"})
    void aWithdrawnFlagLeavesTheOtherReasons(String database) {
        on(database);
        ledger.openAttempt(attempt("PR-1", "ORD-1"), "pay");
        ledger.note("PR-1", "DUPLICATE_PAYMENT", "second", "DUPLICATE_PAYMENT: order ORD-1 was already paid");
        ledger.note("PR-1", "AMOUNT_MISMATCH", "notified", "AMOUNT_MISMATCH: notified 1240 USD");
        ledger.note("PR-1", "DUPLICATE_NOT_GIVEN_BACK", "own cancel on its way",
                "DUPLICATE_NOT_GIVEN_BACK: the order's own payment PR-0 has a cancel that may still reach Antom");

        ledger.withdrawFlags("PR-1", List.of("DUPLICATE_PAYMENT", "DUPLICATE_NOT_GIVEN_BACK"), "DUPLICATE_KEPT",
                "kept");
        PaymentAttempt kept = ledger.find("PR-1").orElseThrow();
        assertThat(kept.flagged()).isTrue();
        assertThat(kept.flagReason()).isEqualTo("AMOUNT_MISMATCH: notified 1240 USD");

        ledger.withdrawFlags("PR-1", List.of("AMOUNT_MISMATCH"), "CHECKED", "again");
        assertThat(ledger.find("PR-1").orElseThrow().flagged()).as("its last reason withdrawn").isFalse();
        assertThat(ledger.find("PR-1").orElseThrow().flagReason()).isNull();
        ledger.withdrawFlags("PR-1", List.of("AMOUNT_MISMATCH"), "CHECKED", "not flagged: only the history line");
        assertThat(ledger.history("PR-1")).extracting(PaymentLedger.StateChange::cause)
                .containsSubsequence("DUPLICATE_KEPT", "CHECKED", "CHECKED");
    }

    /**
     * A transition's flag is added to the reasons as a note's is; a transition without one keeps them; the attempt a
     * write returns without reading it back says the same as the row.
     */
    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "h2"})
    void aTransitionsFlagIsAddedToTheReasonsAlreadyThere(String database) {
        on(database);
        PaymentAttempt stored = ledger.openAttempt(attempt("PR-1", "ORD-1"), "pay");
        ledger.note("PR-1", "RECONCILIATION_STATUS_DIFFERS", "file PAYMENT SUCCESS", "RECONCILIATION: STATUS_DIFFERS");

        PaymentAttempt pending = ledger.applyIfUnchanged(ledger.find("PR-1").orElseThrow(),
                Transition.to(PaymentState.PENDING, "PAYMENT_IN_PROCESS")).orElseThrow();
        assertThat(pending.flagReason()).isEqualTo("RECONCILIATION: STATUS_DIFFERS")
                .isEqualTo(ledger.find("PR-1").orElseThrow().flagReason());
        PaymentAttempt failed = ledger.applyIfUnchanged(pending, Transition.to(PaymentState.FAILED, "PAYMENT_FAILED")
                .flag("CONFLICTING_RESULT: x_y 100%")).orElseThrow();

        assertThat(failed.flagReason()).isEqualTo("RECONCILIATION: STATUS_DIFFERS | CONFLICTING_RESULT: x_y 100%")
                .isEqualTo(ledger.find("PR-1").orElseThrow().flagReason());
        assertThat(stored.flagReason()).isNull();
    }

    /** The guard's pages of ageing authorisations: oldest first, the next page from just after the last one. */
    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "h2"})
    void ageingAuthorisationsAreReadPageAfterPage(String database) {
        on(database);
        OffsetDateTime paid = OffsetDateTime.of(2026, 11, 20, 0, 0, 0, 0, ZoneOffset.UTC);
        for (String prid : List.of("PR-B", "PR-A", "PR-C")) {
            ledger.openAttempt(attempt(prid, "ORD-" + prid), "pay");
            // PR-A and PR-B paid at the same moment: the request id orders them
            jdbc.update("UPDATE payment_attempt SET state = 'AUTHORISED', paid_at = ? WHERE payment_request_id = ?",
                    prid.equals("PR-C") ? paid.plusMinutes(1) : paid, prid);
        }
        OffsetDateTime before = paid.plusDays(1);

        List<PaymentAttempt> first = ledger.authorisedBefore(before, null, 2);
        List<PaymentAttempt> second = ledger.authorisedBefore(before, first.get(1), 2);

        assertThat(first).extracting(PaymentAttempt::paymentRequestId).containsExactly("PR-A", "PR-B");
        assertThat(second).extracting(PaymentAttempt::paymentRequestId).containsExactly("PR-C");
        assertThat(ledger.authorisedBefore(before, second.get(0), 2)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "h2"})
    void aTransitionWritesTheAttemptItsHistoryAndItsEventsInOrder(String database) {
        on(database);
        PaymentAttempt stored = ledger.openAttempt(attempt("PR-1", "ORD-1"), "pay");

        Transition pending = Transition.to(PaymentState.PENDING, "PAYMENT_IN_PROCESS").paymentId("PAY-1")
                .result("PAYMENT_IN_PROCESS", "in process").continuation("{\"normalUrl\":\"https://pay\"}")
                .emit(new OutboxMessage("kafka:web", "ORD-1", "{\"n\":1}"))
                .emit(new OutboxMessage("kafka:results", "ORD-1", "{\"n\":2}"))
                .emit(new OutboxMessage("kafka:web", "ORD-1", "{\"n\":3}"));
        PaymentAttempt after = ledger.applyIfUnchanged(stored, pending).orElseThrow();

        PaymentAttempt read = ledger.find("PR-1").orElseThrow();
        assertThat(read.state()).isEqualTo(PaymentState.PENDING);
        assertThat(read.paymentId()).isEqualTo("PAY-1");
        assertThat(read.continuationJson()).isEqualTo("{\"normalUrl\":\"https://pay\"}");
        assertThat(read.version()).isEqualTo(1);
        assertThat(after).as("the attempt returned is the row written").usingRecursiveComparison()
                .ignoringFields("createdAt", "updatedAt", "expiresAt", "paidAt", "confirmedAt", "nextCheckAt")
                .isEqualTo(read);
        assertThat(ledger.history("PR-1")).last().extracting(c -> c.from() + "->" + c.to() + " " + c.cause())
                .isEqualTo("REQUESTED->PENDING PAYMENT_IN_PROCESS");
        assertThat(jdbc.queryForList("SELECT destination || ' ' || payload FROM outbox_event ORDER BY id",
                String.class)).as("ids in the order emitted")
                .containsExactly("kafka:web {\"n\":1}", "kafka:results {\"n\":2}", "kafka:web {\"n\":3}");
        assertThat(committedChanges).containsExactly("null->REQUESTED", "REQUESTED->PENDING");
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "h2"})
    void aTransitionFromAStaleCopyWritesNothing(String database) {
        on(database);
        PaymentAttempt stored = ledger.openAttempt(attempt("PR-1", "ORD-1"), "pay");
        ledger.applyIfUnchanged(stored, Transition.to(PaymentState.PENDING, "PAYMENT_IN_PROCESS")).orElseThrow();

        assertThat(ledger.applyIfUnchanged(stored, Transition.to(PaymentState.FAILED, "PAYMENT_FAILED")
                .emit(new OutboxMessage("kafka:results", "ORD-1", "{\"failed\":true}"))))
                .as("the attempt moved on since this copy").isEmpty();

        assertThat(ledger.find("PR-1")).get().extracting(PaymentAttempt::state).isEqualTo(PaymentState.PENDING);
        assertThat(ledger.history("PR-1")).hasSize(3);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM outbox_event", Integer.class)).isZero();
        assertThat(committedChanges).containsExactly("null->REQUESTED", "REQUESTED->PENDING");
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "h2"})
    void aPaidOrdersNewAttemptIsRefusedAndStoresNothing(String database) {
        on(database);
        PaymentAttempt first = ledger.openAttempt(attempt("PR-1", "ORD-1"), "pay");
        ledger.applyIfUnchanged(first, Transition.to(PaymentState.SUCCEEDED, "PAYMENT_RESULT")).orElseThrow();

        NewAttempt second = new NewAttempt("PR-2", "ORD-1", 2, Integration.API, "ALIPAY_CN", 1250, "USD", null,
                "WEB", null, EXPIRES, "{}");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> ledger.openAttempt(second, "pay")))
                .isInstanceOf(OrderAlreadyPaidException.class);
        assertThat(ledger.find("PR-2")).isEmpty();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM payment_transition WHERE payment_request_id = 'PR-2'",
                Integer.class)).isZero();
    }

    /** A failed capture is flagged whoever learnt it: nothing captures again on its own, the authorisation lapses. */
    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "h2"})
    void aFailedCaptureIsFlagged(String database) {
        on(database);
        PaymentAttempt stored = ledger.openAttempt(attempt("PR-1", "ORD-1"), "pay");
        ledger.applyIfUnchanged(stored, Transition.to(PaymentState.AUTHORISED, "ANTOM_PAID")).orElseThrow();
        ledger.apply("PR-1", Transition.to(PaymentState.CAPTURE_REQUESTED, "CAPTURE_REQUESTED"));

        ledger.apply("PR-1", Transition.to(PaymentState.CAPTURE_FAILED, "CAPTURE_RESULT").detail("F PROCESS_FAIL"));

        PaymentAttempt read = ledger.find("PR-1").orElseThrow();
        assertThat(read.flagged()).isTrue();
        assertThat(read.flagReason()).isEqualTo("CAPTURE_FAILED: F PROCESS_FAIL");
    }

    /**
     * The janitor's backoff starts again once the result is known (hours of an unreachable Antom then PENDING: asked
     * at the first delays again), and is kept through a resend without an answer (REQUESTED, then UNKNOWN again).
     */
    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "h2"})
    void theChecksCountAgainFromZeroOnceTheResultIsKnown(String database) {
        on(database);
        PaymentAttempt stored = ledger.openAttempt(attempt("PR-1", "ORD-1"), "pay");
        ledger.applyIfUnchanged(stored, Transition.to(PaymentState.UNKNOWN, "ANTOM_TIMEOUT")).orElseThrow();
        for (int i = 0; i < 3; i++) {
            ledger.scheduleCheck("PR-1", OffsetDateTime.now(), true);
        }

        PaymentAttempt resent = ledger.apply("PR-1", Transition.to(PaymentState.REQUESTED, "PAY_RESENT")).attempt();
        PaymentAttempt stillUnknown = ledger.apply("PR-1", Transition.to(PaymentState.UNKNOWN, "ANTOM_TIMEOUT"))
                .attempt();
        PaymentAttempt pending = ledger.apply("PR-1", Transition.to(PaymentState.PENDING, "ANTOM_PAID")).attempt();

        assertThat(resent.checkCount()).as("as written, in Java").isEqualTo(3);
        assertThat(stillUnknown.checkCount()).isEqualTo(3);
        assertThat(pending.checkCount()).isZero();
        assertThat(ledger.find("PR-1").orElseThrow().checkCount()).as("as read back").isZero();
    }

    /**
     * The janitor's first check is scheduled as the attempt enters a state the janitor checks (its selection then
     * finds only attempts due for an inquiry), counted from then, per state; a state it does not check for the
     * attempt's capture mode (an e-wallet's SUCCEEDED) clears it. A look at the attempt as it was before a change
     * does not put the new state's first check off.
     */
    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "h2"})
    void theFirstCheckIsScheduledAsTheAttemptEntersAStateTheJanitorChecks(String database) {
        on(database);
        ledger.setFirstChecks(state -> switch (state) {
            case PENDING -> Duration.ofMinutes(3);
            case UNKNOWN -> Duration.ofSeconds(10);
            default -> Duration.ofMinutes(1);
        });
        OffsetDateTime before = OffsetDateTime.now();
        PaymentAttempt stored = ledger.openAttempt(attempt("PR-1", "ORD-1"), "pay");
        PaymentAttempt unknown = ledger.applyIfUnchanged(stored, Transition.to(PaymentState.UNKNOWN, "ANTOM_TIMEOUT"))
                .orElseThrow();
        PaymentAttempt pending = ledger.apply("PR-1", Transition.to(PaymentState.PENDING, "ANTOM_PAID")).attempt();
        ledger.scheduleCheck(unknown, OffsetDateTime.now().plusHours(6), true); // the janitor's look at it UNKNOWN
        OffsetDateTime after = OffsetDateTime.now();

        assertThat(stored.nextCheckAt()).isBetween(before.plusMinutes(1), after.plusMinutes(1));
        assertThat(unknown.nextCheckAt()).isBetween(before.plusSeconds(10), after.plusSeconds(10));
        assertThat(pending.nextCheckAt()).isBetween(before.plusMinutes(3), after.plusMinutes(3));
        PaymentAttempt read = ledger.find("PR-1").orElseThrow();
        assertThat(read.nextCheckAt()).as("as read back, not put off by the look at it UNKNOWN")
                .isCloseTo(pending.nextCheckAt(), within(1, ChronoUnit.MILLIS));
        assertThat(read.checkCount()).isZero();

        PaymentAttempt paid = ledger.apply("PR-1", Transition.to(PaymentState.SUCCEEDED, "PAYMENT_RESULT")).attempt();
        assertThat(paid.nextCheckAt()).as("an e-wallet's payment, which the janitor no longer checks").isNull();
        assertThat(ledger.find("PR-1").orElseThrow().nextCheckAt()).isNull();
    }

    /**
     * A result message and a flag reason may quote Antom at any length: the ledger keeps their first 512 characters,
     * as an update that failed on them would fail again at every retry of what made it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "h2"})
    void aLongResultMessageOrFlagReasonIsCutToItsColumn(String database) {
        on(database);
        PaymentAttempt stored = ledger.openAttempt(attempt("PR-1", "ORD-1"), "pay");

        ledger.applyIfUnchanged(stored, Transition.to(PaymentState.FAILED, "PAYMENT_FAILED")
                .result("RISK_REJECT", "m".repeat(5000)).flag("f".repeat(5000))).orElseThrow();
        ledger.note("PR-1", "CANCEL_NOT_DONE", "detail", "CANCEL_NOT_DONE: " + "n".repeat(5000));

        PaymentAttempt read = ledger.find("PR-1").orElseThrow();
        assertThat(read.resultMessage()).isEqualTo("m".repeat(512));
        assertThat(read.flagReason()).hasSize(512).startsWith("fff").contains("f | CANCEL_NOT_DONE: nnn");
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "h2"})
    void anEventTooLongForItsColumnFailsTheTransitionInsteadOfBeingCut(String database) {
        on(database);
        PaymentAttempt stored = ledger.openAttempt(attempt("PR-1", "ORD-1"), "pay");
        String tooLong = "{\"x\":\"" + "a".repeat(100_000) + "\"}"; // outbox_event.payload is VARCHAR(100000)

        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> ledger.applyIfUnchanged(stored,
                Transition.to(PaymentState.PENDING, "PAYMENT_IN_PROCESS")
                        .emit(new OutboxMessage("kafka:web", "ORD-1", tooLong)))))
                .isInstanceOf(org.springframework.dao.DataIntegrityViolationException.class);

        assertThat(ledger.find("PR-1")).get().extracting(PaymentAttempt::state).isEqualTo(PaymentState.REQUESTED);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM outbox_event", Integer.class)).isZero();
        assertThat(ledger.history("PR-1")).hasSize(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "h2"})
    void aRedeliveredAttemptInAGroupCommitsBatchLeavesTheOthersStoredOnceEach(String database) throws Exception {
        on(database);
        ledger.openAttempt(attempt("PR-1", "ORD-1"), "pay");
        // a linger long enough that the three writes share a batch: the redelivery's duplicate key aborts the
        // batch's transaction (on PostgreSQL), and each write then runs again alone
        GroupCommit group = new GroupCommit(new TransactionTemplate(new DataSourceTransactionManager(
                jdbc.getDataSource())), new LedgerSettings(64, 1, java.time.Duration.ofMillis(300)),
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            List<java.util.concurrent.Future<PaymentAttempt>> writes = java.util.stream.Stream.of("1", "2", "3")
                    .map(n -> callers.submit(() -> group.execute(() -> ledger.openAttempt(attempt("PR-" + n,
                            "ORD-" + n), "pay")))).toList();
            for (java.util.concurrent.Future<PaymentAttempt> write : writes) {
                assertThat(write.get(10, java.util.concurrent.TimeUnit.SECONDS).state())
                        .isEqualTo(PaymentState.REQUESTED);
            }
        } finally {
            callers.shutdownNow();
            group.destroy();
        }
        for (String id : List.of("PR-1", "PR-2", "PR-3")) {
            assertThat(ledger.history(id)).as(id + "'s history, once").hasSize(2);
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM payment_attempt", Integer.class)).isEqualTo(3);
    }

    private static NewAttempt attempt(String paymentRequestId, String orderId) {
        return new NewAttempt(paymentRequestId, orderId, 1, Integration.API, "ALIPAY_CN", 1250, "USD", null, "WEB",
                null, EXPIRES, "{\"paymentRequestId\":\"" + paymentRequestId + "\"}");
    }
}
