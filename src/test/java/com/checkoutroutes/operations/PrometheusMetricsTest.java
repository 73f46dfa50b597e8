package com.checkoutroutes.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.testsupport.FlowTestSupport;
import java.time.Duration;
import java.util.OptionalDouble;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** /actuator/prometheus as a scraper sees it: route meters from Camel and the business meters move with an order. */
class PrometheusMetricsTest extends FlowTestSupport {

    @Autowired
    JdbcTemplate jdbc;
    OperatorHttp http;

    @BeforeEach
    void operator() {
        http = new OperatorHttp(managementPort, com.checkoutroutes.testsupport.DemoCredentials.OPERATOR);
    }

    @Test
    void anOrderMovesTheBusinessAndRouteMeters() {
        String before = scrape();
        double received = value(before, "checkout_orders_received_total", "").orElse(0);
        double payCalls = value(before, "checkout_antom_calls_total", "api=\"pay\"").orElse(0);
        double intakeExchanges = value(before, "camel_exchanges_total", "routeId=\"order-intake\"").orElse(0);
        double published = value(before, "checkout_outbox_published_total", "").orElse(0);

        String orderId = newOrderId();
        publish(order(orderId));
        awaitChannelMessage("WEB", orderId);

        // the route's meters are taken when its exchange completes (after the channel message left) and the ledger
        // gauges are recounted on a timer (checkout.metrics.ledger-refresh): wait for both
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            String after = scrape();
            assertThat(present(after, "checkout_orders_received_total", "")).isGreaterThan(received);
            assertThat(present(after, "checkout_antom_calls_total", "api=\"pay\"")).isGreaterThan(payCalls);
            assertThat(present(after, "camel_exchanges_total", "routeId=\"order-intake\"")).isGreaterThan(intakeExchanges);
            assertThat(present(after, "camel_route_policy_seconds_count", "routeId=\"order-intake\"")).isPositive();
            assertThat(present(after, "checkout_payments", "state=\"PENDING\"")).isGreaterThanOrEqualTo(1);
            // the channel message left through the outbox: counted, and its time from commit to send measured
            assertThat(present(after, "checkout_outbox_published_total", "")).isGreaterThan(published);
            assertThat(present(after, "checkout_outbox_batches_total", "")).isPositive();
            assertThat(present(after, "checkout_outbox_delay_seconds", "quantile=\"0.99\"")).isNotNegative();
        });
        String after = scrape();
        assertThat(after).as("each route meter the README lists").contains("camel_exchanges_failed_total{");
        assertThat(after).contains("checkout_payments{state=\"CAPTURED\"");
        assertThat(after).containsPattern("checkout_payments_authorised_open\\{age=\"gt_5d\"");
        assertThat(after).contains("checkout_refunds{state=\"UNKNOWN\"", "checkout_refunds{state=\"REFUNDED\"");
        // both ports' doors: the scrape itself holds a place at the management port's probes door (an earlier
        // scrape's may not be given back yet)
        assertThat(after).contains("checkout_doors_in_use{door=\"orders\"", "checkout_doors_in_use{door=\"other\"",
                "checkout_doors_in_use{door=\"management\"");
        assertThat(value(after, "checkout_doors_in_use", "door=\"probes\"").orElseThrow()).isGreaterThanOrEqualTo(1.0);
        // no key rotation under way: nothing only a previous key verified
        assertThat(value(after, "checkout_antom_signatures_previous_key_total", "")).hasValue(0.0);
    }

    @Test
    void openAuthorisationsAreCountedByTheirAge() {
        String before = scrape();
        double fresh = value(before, "checkout_payments_authorised_open", "age=\"lt_1d\"").orElse(0);
        double stale = value(before, "checkout_payments_authorised_open", "age=\"gt_5d\"").orElse(0);
        String orderId = newOrderId();
        publish(cardOrder(orderId, "MANUAL"));
        awaitChannelMessage("WEB", orderId);

        double withIt = await().atMost(Duration.ofSeconds(15)).until(
                () -> value(scrape(), "checkout_payments_authorised_open", "age=\"lt_1d\"").orElse(0),
                count -> count > fresh);

        // the same authorisation six days later (paid_at: a flag set since would move updated_at, not its age):
        // still not captured, so it moves to the oldest bucket
        jdbc.update("UPDATE payment_attempt SET paid_at = paid_at - INTERVAL '6 days' WHERE order_id = ?", orderId);
        await().atMost(Duration.ofSeconds(15)).until(this::scrape,
                text -> value(text, "checkout_payments_authorised_open", "age=\"gt_5d\"").orElse(0) > stale
                        // below what it was with this one: another test's payment may have become AUTHORISED since
                        && value(text, "checkout_payments_authorised_open", "age=\"lt_1d\"").orElse(0) < withIt);
    }

    /** A payment flagged for an operator counts in checkout_payments_flagged, and no more once its flag is cleared. */
    @Test
    void flaggedPaymentsAreCounted() {
        PaymentAttempt pending = pendingWallet();
        double before = value(scrape(), "checkout_payments_flagged", "").orElse(0);
        ledger.note(pending.paymentRequestId(), "AMOUNT_MISMATCH", "notified 1300 USD", "AMOUNT_MISMATCH: 1300 USD");
        double withIt = await().atMost(Duration.ofSeconds(15)).until(
                () -> value(scrape(), "checkout_payments_flagged", "").orElse(0), count -> count > before);

        ledger.clearFlag(pending.paymentRequestId(), "operator", "checked");
        // below what it was with this one: another test's payment may have been flagged since
        await().atMost(Duration.ofSeconds(15)).until(
                () -> value(scrape(), "checkout_payments_flagged", "").orElse(0), count -> count < withIt);
    }

    /** A scheduled job that stops finishing runs shows it: the age of its last finished run keeps growing. */
    @Test
    void aJobThatStopsRunningShowsItsAge() throws Exception {
        await().atMost(Duration.ofSeconds(15)).until(
                () -> value(scrape(), "checkout_jobs_last_finished_age_seconds", "job=\"janitor\"").orElse(-1),
                age -> age >= 0 && age < 60);
        try (AutoCloseable jobs = scheduledJobsStopped()) {
            clock.advance(Duration.ofMinutes(10));
            await().atMost(Duration.ofSeconds(15)).until(
                    () -> value(scrape(), "checkout_jobs_last_finished_age_seconds", "job=\"janitor\"").orElse(0),
                    age -> age >= 600);
            assertThat(scrape()).contains("checkout_jobs_last_finished_age_seconds{job=\"settlement-reconciliation\"",
                    "checkout_jobs_last_finished_age_seconds{job=\"authorisation-guard\"");
        }
        // running again, it is fresh again: the age is its last finished run's (job_run), not a count since start
        await().atMost(Duration.ofSeconds(15)).until(
                () -> value(scrape(), "checkout_jobs_last_finished_age_seconds", "job=\"janitor\"").orElse(-1),
                age -> age >= 0 && age < 60);
    }

    private String scrape() {
        var response = http.get("/actuator/prometheus");
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static double present(String scrape, String name, String labelFilter) {
        OptionalDouble value = value(scrape, name, labelFilter);
        assertThat(value).as(name + " " + labelFilter + " in the scrape").isPresent();
        return value.getAsDouble();
    }

    /** Sums a meter's samples whose labels contain {@code labelFilter}; empty when no sample is present. */
    static OptionalDouble value(String scrape, String name, String labelFilter) {
        Pattern sample = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*})? ([0-9.eE+-]+)$", Pattern.MULTILINE);
        var matcher = sample.matcher(scrape);
        double sum = 0;
        boolean found = false;
        while (matcher.find()) {
            String labels = matcher.group(1) == null ? "" : matcher.group(1);
            if (labels.contains(labelFilter)) {
                sum += Double.parseDouble(matcher.group(2));
                found = true;
            }
        }
        return found ? OptionalDouble.of(sum) : OptionalDouble.empty();
    }
}
