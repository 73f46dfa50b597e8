package com.checkoutroutes.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.checkoutroutes.ledger.CommittedTransitions;
import com.checkoutroutes.ledger.NotificationInbox;
import com.checkoutroutes.ledger.PaymentState;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

/**
 * A state change committed while the gauges recount (after the count read its rows, before the counts are put in
 * place) is not lost: the settled state it entered keeps it, on a full recount and on one of the moving states only.
 */
class LedgerGaugesRecountTest {

    private final JdbcTemplate jdbc = mock(JdbcTemplate.class);
    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final Clock clock = Clock.fixed(Instant.parse("2026-12-04T10:00:00Z"), ZoneOffset.UTC);
    private final LedgerGauges gauges = new LedgerGauges(jdbc, clock, meters,
            new MetricsSettings(Duration.ofSeconds(15), Duration.ofMinutes(10)), new CommittedTransitions(),
            new NotificationInbox(jdbc, clock));

    @Test
    void aPaymentThatSucceedsDuringARecountIsCounted() throws Exception {
        countsWhileOnePaymentSucceeds(Map.of("SUCCEEDED", 10L, "PENDING", 5L));
        gauges.refresh(); // the first refresh counts everything
        assertThat(gauge("SUCCEEDED")).isEqualTo(11);
        assertThat(gauge("PENDING")).as("recounted at every refresh").isEqualTo(5);

        countsWhileOnePaymentSucceeds(Map.of("PENDING", 4L));
        gauges.refresh(); // within the history interval: the moving states only
        assertThat(gauge("SUCCEEDED")).isEqualTo(12);
        assertThat(gauge("PENDING")).isEqualTo(4);
    }

    /** The next count of payment_attempt by state answers {@code rows}, while a PENDING payment's success commits. */
    private void countsWhileOnePaymentSucceeds(Map<String, Long> rows) throws Exception {
        doAnswer(call -> {
            RowCallbackHandler handler = call.getArgument(1);
            for (Map.Entry<String, Long> row : rows.entrySet()) {
                ResultSet rs = mock(ResultSet.class);
                when(rs.getString(1)).thenReturn(row.getKey());
                when(rs.getLong(2)).thenReturn(row.getValue());
                handler.processRow(rs);
            }
            gauges.moved(PaymentState.PENDING, PaymentState.SUCCEEDED); // committed after the count's snapshot
            return null;
        }).when(jdbc).query(contains("FROM payment_attempt WHERE state IN"), any(RowCallbackHandler.class));
    }

    private double gauge(String state) {
        return meters.get("checkout.payments").tag("state", state).gauge().value();
    }
}
