package com.checkoutroutes.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.checkoutroutes.cardcapture.AuthorisationGuard;
import com.checkoutroutes.deadletter.HeldOrderEvents;
import com.checkoutroutes.ledger.OutboxRelay;
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.operations.Housekeeping;
import com.checkoutroutes.platform.InfrastructureFailures;
import com.checkoutroutes.scheduling.JobRuns;
import com.checkoutroutes.scheduling.JobRuns.Report;
import com.checkoutroutes.testsupport.RouteTestSupport;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.EndpointInject;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.component.sql.SqlEndpoint;
import org.apache.camel.test.spring.junit5.MockEndpoints;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

/**
 * routes/schedules.yaml with outbox.yaml, fast: the Quartz triggers replaced by direct endpoints (AdviceWith), the
 * job runs real, the database the local run's (H2 in memory, the shipped migrations), the jobs' beans Mockito beans.
 * The janitor's {@code sql:} selection hands its bean the attempts due for a check, longest due first, at most
 * {@code checkout.janitor.batch-size}, with the states the state machine names; a fire time runs once; the run's
 * events are flushed through the outbox.
 */
@TestPropertySource(properties = {
    "camel.main.routes-include-pattern=file:routes/schedules.yaml,file:routes/outbox.yaml,"
        + "file:routes/error-handling.yaml",
    "checkout.janitor.batch-size=4"})
@Import(ScheduleRoutesTest.Beans.class)
@MockEndpoints("direct:outbox-flush")
@ExtendWith(OutputCaptureExtension.class)
class ScheduleRoutesTest extends RouteTestSupport {

    /** The real job runs (claim, finish) under the name the routes use. */
    @TestConfiguration
    static class Beans {
        @Bean
        JobRuns jobRuns(JdbcTemplate jdbc, Clock clock, MeterRegistry meters,
                @org.springframework.beans.factory.annotation.Value("${checkout.jobs.keep-runs}")
                java.time.Duration keepRuns) {
            return new JobRuns(jdbc, clock, meters, keepRuns);
        }

        @Bean
        InfrastructureFailures infrastructureFailures() {
            return new InfrastructureFailures();
        }
    }

    @MockitoBean(name = "janitor")
    Janitor janitor;
    @MockitoBean(name = "authorisationGuard")
    AuthorisationGuard guard;
    @MockitoBean(name = "settlementReconciliation")
    SettlementReconciliation reconciliation;
    @MockitoBean(name = "housekeeping")
    Housekeeping housekeeping;
    @MockitoBean(name = "heldOrderEvents")
    HeldOrderEvents heldOrderEvents;
    @MockitoBean(name = "outboxRelay")
    OutboxRelay outboxRelay;
    @MockitoBean(name = "kafkaTopics")
    com.checkoutroutes.platform.KafkaTopicCheck kafkaTopics;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    JobRuns jobRuns;
    @EndpointInject("mock:direct:outbox-flush")
    MockEndpoint outboxFlush;

    @Override
    protected void adviseRoutes() throws Exception {
        for (String job : List.of("janitor", "authorisation-guard", "settlement-reconciliation", "housekeeping",
                "held-order-events")) {
            AdviceWith.adviceWith(camel, job, route -> route.replaceFromWith("direct:" + job));
        }
        for (String route : List.of("payment-result-out", "reconciliation-report-out", "duplicate-payment-out")) {
            AdviceWith.adviceWith(camel, route, r -> r.weaveByToUri("kafka:*").replace().to("mock:" + route));
        }
    }

    /**
     * Each of the outbox's Kafka sends first asks kafkaTopics about its own topic (the shipped settings' names): one
     * the broker lacks and does not create is refused there, and nothing is sent.
     */
    @Test
    void eachOutboxSendAsksAboutItsOwnTopicFirst() throws Exception {
        Map<String, String> topics = Map.of("payment-result-out", "checkout.payment-results",
                "reconciliation-report-out", "checkout.reconciliation",
                "cancel-duplicate-payment", "checkout.duplicate-payments");
        org.mockito.Mockito.doThrow(new com.checkoutroutes.platform.MissingTopicException("checkout.reconciliation"))
                .when(kafkaTopics).refuseMissing("kafka:checkout.reconciliation");
        for (Map.Entry<String, String> out : topics.entrySet()) {
            producer.send("direct:" + out.getKey(), exchange -> exchange.getIn().setBody("{}"));
            org.mockito.Mockito.verify(kafkaTopics).refuseMissing("kafka:" + out.getValue());
        }
        assertThat(camel.getEndpoint("mock:reconciliation-report-out", MockEndpoint.class).getReceivedCounter())
                .as("refused before the send").isZero();
        assertThat(camel.getEndpoint("mock:payment-result-out", MockEndpoint.class).getReceivedCounter()).isOne();
        assertThat(camel.getEndpoint("mock:duplicate-payment-out", MockEndpoint.class).getReceivedCounter()).isOne();
    }

    @BeforeEach
    void emptyLedger() {
        jdbc.update("DELETE FROM payment_attempt");
        when(janitor.run(anyList())).thenAnswer(call -> new Report(((List<?>) call.getArgument(0)).size(), 0, ""));
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void theJanitorIsHandedTheAttemptsDueForACheckLongestDueFirst() throws Exception {
        OffsetDateTime now = OffsetDateTime.now();
        attempt("A-pending", "PENDING", null, now.minusHours(1), now.minusHours(9));
        attempt("B-unknown-never-checked", "UNKNOWN", null, null, now.minusHours(3));
        attempt("C-automatic-card", "SUCCEEDED", "AUTOMATIC", null, now.minusHours(2));
        attempt("D-manual-succeeded", "SUCCEEDED", "MANUAL", null, now.minusHours(5));
        attempt("E-authorised", "AUTHORISED", "MANUAL", null, now.minusHours(6));
        attempt("F-pending-not-yet", "PENDING", null, now.plusHours(1), now.minusHours(8));
        attempt("G-failed", "FAILED", null, null, now.minusHours(7));
        attempt("H-capture-requested", "CAPTURE_REQUESTED", "MANUAL", now.minusMinutes(30), now.minusHours(9));
        attempt("I-requested-last", "REQUESTED", null, now.minusMinutes(10), now.minusHours(9));
        NotifyBuilder ran = new NotifyBuilder(camel).fromRoute("janitor").whenCompleted(1).create();
        outboxFlush.expectedMessageCount(1);

        fire("janitor", new Date());

        assertThat(ran.matches(5, TimeUnit.SECONDS)).isTrue();
        ArgumentCaptor<List<Map<String, Object>>> selected = ArgumentCaptor.forClass((Class) List.class);
        verify(janitor).run(selected.capture());
        // due (or never scheduled), by COALESCE(next_check_at, updated_at), at most checkout.janitor.batch-size (4)
        assertThat(selected.getValue()).extracting(row -> row.get("payment_request_id"))
                .containsExactly("B-unknown-never-checked", "C-automatic-card", "A-pending", "H-capture-requested");
        assertThat(jobRuns.runs("janitor")).last().satisfies(run -> assertThat(run.lookedAt()).isEqualTo(4));
        outboxFlush.assertIsSatisfied();
        verify(outboxRelay, atLeastOnce()).wake();
    }

    /**
     * A run the database broke off (an outage began while it ran) is one line naming the job and the root cause, not
     * Camel's error log with its stack trace (at every run of the outage); the next run takes the work up.
     */
    @Test
    void aRunTheDatabaseBrokeOffIsOneLineNotAStackTrace(CapturedOutput output) {
        when(janitor.run(anyList())).thenThrow(new DataAccessResourceFailureException("PreparedStatementCallback",
                new SQLException("An I/O error occurred while sending to the backend.", "08006")));

        fire("janitor", new Date());

        assertThat(output.getAll()).contains("job janitor: its run was broken off, its next run takes the work up")
                .contains("root cause: java.sql.SQLException: An I/O error occurred")
                .doesNotContain("Failed delivery for").doesNotContain("Stacktrace");
    }

    @Test
    void aFireTimeRunsOnce() {
        Date fireTime = new Date(System.currentTimeMillis() - 60_000);

        fire("janitor", fireTime);
        fire("janitor", fireTime);

        verify(janitor, times(1)).run(anyList());
    }

    /**
     * The held order events' selection (routes/schedules.yaml): the letters held (ORDER_EVENT_HELD) and not
     * re-driven, of orders with a paid attempt (an older one still open beside it, which may stay so for days), or
     * none left without a result; only those read from the order events' topic as it is set now.
     */
    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void heldOrderEventsAreHandedOverOnceTheirOrderHasNoAttemptWithoutAResult() {
        jdbc.update("DELETE FROM dead_letter");
        OffsetDateTime now = OffsetDateTime.now();
        attempt("OPEN", "PENDING", "AUTOMATIC", null, now);
        attempt("KNOWN", "AUTHORISED", "MANUAL", null, now);
        attempt("KNOWN-2", "FAILED", "MANUAL", null, now);
        jdbc.update("UPDATE payment_attempt SET order_id = 'ORD-KNOWN', attempt_no = 2 "
                + "WHERE payment_request_id = 'KNOWN-2'");
        attempt("BESIDE-OPEN", "PENDING", "MANUAL", null, now);
        attempt("PAID-BESIDE-OPEN", "AUTHORISED", "MANUAL", null, now);
        jdbc.update("UPDATE payment_attempt SET order_id = 'ORD-BESIDE-OPEN', attempt_no = 2 "
                + "WHERE payment_request_id = 'PAID-BESIDE-OPEN'");
        letter(1, "ORD-OPEN", "ORDER_EVENT_HELD", null);
        letter(2, "ORD-KNOWN", "ORDER_EVENT_HELD", null);
        letter(3, "ORD-KNOWN", "ORDER_EVENT_HELD", now);
        letter(4, "ORD-KNOWN", "ORDER_EVENT_REFUSED", null);
        letter(5, "ORD-BESIDE-OPEN", "ORDER_EVENT_HELD", null);
        letter(6, "ORD-KNOWN", "ORDER_EVENT_HELD", null);
        // read from the order events' topic before it was renamed: its re-drive would be refused at every run
        jdbc.update("UPDATE dead_letter SET source_topic = 'old.order-events' WHERE source_offset = 6");
        when(heldOrderEvents.run(anyList())).thenAnswer(call -> new Report(((List<?>) call.getArgument(0)).size(), 0,
                ""));

        fire("held-order-events", new Date());

        ArgumentCaptor<List> rows = ArgumentCaptor.forClass(List.class);
        verify(heldOrderEvents).run(rows.capture());
        List<Long> held = jdbc.queryForList("SELECT id FROM dead_letter WHERE source_offset IN (2, 5) ORDER BY id",
                Long.class);
        assertThat(((List<Map<String, Object>>) rows.getValue())).extracting(r -> ((Number) r.get("id")).longValue())
                .containsExactlyElementsOf(held);
    }

    /** Housekeeping runs on its schedule as the other jobs do: once per fire time, its run recorded. */
    @Test
    void housekeepingRunsAsAScheduledJob() {
        when(housekeeping.run()).thenReturn(new Report(3, 3, "deleted, done before then: outbox_event 3"));

        fire("housekeeping", new Date());

        verify(housekeeping).run();
        assertThat(jobRuns.runs("housekeeping")).singleElement().satisfies(run -> {
            assertThat(run.changed()).isEqualTo(3);
            assertThat(run.detail()).contains("outbox_event 3");
        });
    }

    /** A job forgets its runs older than checkout.jobs.keep-runs (30 days as shipped) when it finishes one. */
    @Test
    void aJobForgetsItsRunsPastTheirRetention() {
        OffsetDateTime now = OffsetDateTime.now();
        jdbc.update("INSERT INTO job_run (job, instance, scheduled_fire_time, started_at) VALUES (?, ?, ?, ?)",
                "janitor", "old", now.minusDays(31), now.minusDays(31));
        jdbc.update("INSERT INTO job_run (job, instance, scheduled_fire_time, started_at) VALUES (?, ?, ?, ?)",
                "janitor", "recent", now.minusDays(29), now.minusDays(29));
        jdbc.update("INSERT INTO job_run (job, instance, scheduled_fire_time, started_at) VALUES (?, ?, ?, ?)",
                "authorisation-guard", "other job", now.minusDays(31), now.minusDays(31));

        fire("janitor", new Date());

        assertThat(jobRuns.runs("janitor")).extracting(JobRuns.Run::instance).doesNotContain("old")
                .contains("recent");
        assertThat(jobRuns.runs("authorisation-guard")).extracting(JobRuns.Run::instance).contains("other job");
    }

    @Test
    void theSelectionsStatesAreTheStateMachines() {
        SqlEndpoint selection = camel.getEndpoints().stream().filter(SqlEndpoint.class::isInstance)
                .map(SqlEndpoint.class::cast).filter(e -> e.getQuery().startsWith("SELECT payment_request_id"))
                .findFirst().orElseThrow();
        assertThat(selection.getQuery()).contains(PaymentState.dueForCheckSql())
                .contains("ORDER BY COALESCE(next_check_at, updated_at) LIMIT 4");
    }

    private void letter(long offset, String orderId, String type, OffsetDateTime redrivenAt) {
        jdbc.update("INSERT INTO dead_letter (type, reason_code, order_id, source_topic, source_partition, "
                + "source_offset, letter, rejected_at, redriven_at) VALUES (?, ?, ?, 'checkout.order-events', 0, ?, "
                + "'{}', ?, ?)", type, PaymentAttempt.PAYMENT_NOT_KNOWN_YET, orderId, offset, OffsetDateTime.now(),
                redrivenAt);
    }

    private void fire(String job, Date scheduledFireTime) {
        producer.sendBodyAndHeader("direct:" + job, null, "scheduledFireTime", scheduledFireTime);
    }

    private void attempt(String paymentRequestId, String state, String captureMode, OffsetDateTime nextCheckAt,
            OffsetDateTime updatedAt) {
        jdbc.update("INSERT INTO payment_attempt (payment_request_id, order_id, attempt_no, integration, amount_value, "
                + "currency, capture_mode, terminal_type, state, request_json, created_at, updated_at, next_check_at) "
                + "VALUES (?, ?, 1, 'API', 1250, 'USD', ?, 'WEB', ?, '{}', ?, ?, ?)", paymentRequestId,
                "ORD-" + paymentRequestId, captureMode, state, updatedAt, updatedAt, nextCheckAt);
    }
}
