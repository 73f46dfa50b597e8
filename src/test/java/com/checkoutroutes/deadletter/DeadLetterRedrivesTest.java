package com.checkoutroutes.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import com.checkoutroutes.testsupport.TestPostgres;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.time.Clock;
import java.time.OffsetDateTime;
import javax.sql.DataSource;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A re-drive is recorded only with its send: one whose send failed (or whose process died mid-way, which leaves no
 * more than a failed send's rolled-back transaction) stays re-drivable, and a sent one is not sent twice.
 */
@Tag("flow") // the local PostgreSQL: not in the fast tier, which needs none
class DeadLetterRedrivesTest {

    private JdbcTemplate jdbc;
    private DeadLetterArchive archive;
    private final ProducerTemplate producer = mock(ProducerTemplate.class);
    private DeadLetterRedrives redrives;

    /** PostgreSQL, as in production, and H2, the local run's database (its row locks differ). */
    private void on(String database) {
        DataSource db = TestPostgres.freshMigrated(database, "redrives");
        jdbc = new JdbcTemplate(db);
        archive = new DeadLetterArchive(jdbc, new TransactionTemplate(new DataSourceTransactionManager(db)),
                Clock.systemUTC());
        redrives = new DeadLetterRedrives(archive, producer, JsonMapper.builder().build(), "checkout.orders",
                "checkout.order-events", "checkout.shipment-checks");
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "h2"})
    void aRedriveWhoseSendFailedIsNotRecordedAndCanBeDoneAgain(String database) {
        on(database);
        long id = letter();
        doThrow(new CamelExecutionException("the broker did not answer", null)).doReturn(null).when(producer)
                .requestBodyAndHeaders(eq("direct:dead-letter-redrive"), any(), anyMap());

        assertThatThrownBy(() -> redrives.redrive(id, "operator")).isInstanceOf(CamelExecutionException.class);
        assertThat(archive.find(id).orElseThrow().redriven()).as("not marked re-driven without its copy").isFalse();

        assertThat(redrives.redrive(id, "operator")).isEqualTo("checkout.orders");
        assertThat(archive.find(id).orElseThrow().redrivenBy()).isEqualTo("operator");
        assertThatThrownBy(() -> redrives.redrive(id, "another operator"))
                .isInstanceOf(RedriveRefusedException.class).hasMessageContaining("re-driven at");
        verify(producer, times(2)).requestBodyAndHeaders(eq("direct:dead-letter-redrive"), any(), anyMap());
    }

    /** Nothing is committed before the send is done: a process killed mid-send leaves the letter re-drivable. */
    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "h2"})
    void whileItsSendIsOnItsWayTheLetterIsNotYetRecordedReDriven(String database) {
        on(database);
        long id = letter();
        java.util.List<Object> seenMidSend = new java.util.ArrayList<>();
        org.mockito.Mockito.doAnswer(call -> {
            // another connection's view (another thread: not the re-drive's transaction), as after a crash now
            seenMidSend.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> jdbc.queryForList(
                    "SELECT redriven_at FROM dead_letter WHERE id = ?", Object.class, id).get(0)).get());
            return null;
        }).when(producer).requestBodyAndHeaders(eq("direct:dead-letter-redrive"), any(), anyMap());

        redrives.redrive(id, "operator");

        assertThat(seenMidSend).containsExactly((Object) null);
        assertThat(archive.find(id).orElseThrow().redriven()).isTrue();
    }

    /** A second re-drive while the first one's send is on its way is refused at once, and sends nothing. */
    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "h2"})
    void aSecondRedriveWhileTheFirstIsOnItsWayIsRefusedAtOnce(String database) throws Exception {
        on(database);
        long id = letter();
        java.util.concurrent.CountDownLatch sending = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        org.mockito.Mockito.doAnswer(call -> {
            sending.countDown();
            release.await(10, java.util.concurrent.TimeUnit.SECONDS);
            return null;
        }).when(producer).requestBodyAndHeaders(eq("direct:dead-letter-redrive"), any(), anyMap());
        var first = java.util.concurrent.CompletableFuture.supplyAsync(() -> redrives.redrive(id, "operator"));
        assertThat(sending.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        assertThatThrownBy(() -> redrives.redrive(id, "another operator")).isInstanceOf(RedriveRefusedException.class)
                .hasMessageContaining("being re-driven").extracting("code").isEqualTo("REDRIVE_IN_PROGRESS");

        release.countDown();
        assertThat(first.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("checkout.orders");
        verify(producer, times(1)).requestBodyAndHeaders(eq("direct:dead-letter-redrive"), any(), anyMap());
    }

    private long letter() {
        jdbc.update("INSERT INTO dead_letter (type, reason_code, order_id, source_topic, source_partition, "
                + "source_offset, source_key, letter, rejected_at) VALUES ('ORDER_REJECTED', 'KEY_MISMATCH', "
                + "'ORD-1', 'checkout.orders', 0, 7, NULL, ?, ?)", "{\"original\":\"{\\\"orderId\\\":\\\"ORD-1\\\"}\"}",
                OffsetDateTime.now());
        return jdbc.queryForObject("SELECT MAX(id) FROM dead_letter", Long.class);
    }
}
