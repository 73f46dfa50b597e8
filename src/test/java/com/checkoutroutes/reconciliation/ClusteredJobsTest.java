package com.checkoutroutes.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.checkoutroutes.CheckoutRoutesApplication;
import com.checkoutroutes.scheduling.JobRuns;
import com.checkoutroutes.testsupport.FlowTestSupport;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;

/**
 * Two instances on one database share the clustered Quartz store: each scheduled time runs once.
 * <p>
 * The second instance runs in this JVM, on the first one's database (every other context gets its own), and Quartz
 * keeps its JDBC connection providers in a JVM-wide registry keyed by scheduler name (which clustering requires to be
 * the same): closing the second instance takes the first one's job store connections with it, so neither can release
 * its claims. Separate processes, as in production, have no such sharing; here the test context, and with it its
 * database, is thrown away after this class.
 */
@DirtiesContext
class ClusteredJobsTest extends FlowTestSupport {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    JobRuns jobRuns;
    @Autowired
    MeterRegistry meters;
    @Value("${spring.datasource.url}")
    String databaseUrl;

    @Test
    void twoInstancesFireEachScheduledJobOnce() {
        try (ConfigurableApplicationContext second = new SpringApplicationBuilder(CheckoutRoutesApplication.class)
                .run("--spring.datasource.url=" + databaseUrl)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                    "SELECT COUNT(*) FROM qrtz_scheduler_state WHERE sched_name = 'checkout-routes'",
                    Integer.class) >= 2);
            OffsetDateTime from = OffsetDateTime.now().plusSeconds(1);
            await().atMost(Duration.ofSeconds(30)).until(() -> firedSince(from).size() >= 8);

            List<OffsetDateTime> fireTimes = firedSince(from);
            assertThat(fireTimes).doesNotHaveDuplicates();
            assertThat(duplicateFires(meters) + duplicateFires(second.getBean(MeterRegistry.class))).isZero();
            assertThat(jdbc.queryForList("SELECT DISTINCT instance FROM job_run WHERE job = 'janitor'", String.class))
                    .isNotEmpty();
        }
    }

    private List<OffsetDateTime> firedSince(OffsetDateTime from) {
        return jdbc.queryForList("SELECT scheduled_fire_time FROM job_run WHERE job = 'janitor' "
                + "AND scheduled_fire_time >= ? ORDER BY scheduled_fire_time", OffsetDateTime.class, from);
    }

    private static double duplicateFires(MeterRegistry registry) {
        return registry.find("checkout.jobs.duplicate.fires").counters().stream().mapToDouble(c -> c.count()).sum();
    }
}
