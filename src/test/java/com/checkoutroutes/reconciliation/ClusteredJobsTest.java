package com.checkoutroutes.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import com.checkoutroutes.CheckoutRoutesApplication;
import com.checkoutroutes.scheduling.JobRuns;
import com.checkoutroutes.testsupport.FlowTestSupport;
import com.checkoutroutes.testsupport.LogLines;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.CamelJob;
import org.apache.camel.component.quartz.QuartzConstants;
import org.junit.jupiter.api.Test;
import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.scheduling.quartz.LocalDataSourceJobStore;
import org.springframework.test.annotation.DirtiesContext;

/**
 * Two instances on one database share the clustered Quartz store: each scheduled time runs once.
 * <p>
 * The second instance runs in this JVM, on the first one's database (every other context gets its own), and Quartz
 * keeps its JDBC connection providers in a JVM-wide registry keyed by scheduler name (which clustering requires to be
 * the same): the second instance's providers replace the first's, and once it closed, the first one's job store had
 * only a closed pool. A job in flight then could not record its end, retried for ever, and the first instance's
 * shutdown, which waits for its jobs, never ended (seen once in a full run). Separate processes, as in production,
 * share nothing; here the first instance gets its own providers back, and its context is thrown away after this class.
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
    @Autowired
    DataSource dataSource;
    @Autowired
    Scheduler scheduler;
    @Autowired
    CamelContext camel;

    @Test
    void twoInstancesFireEachScheduledJobOnce() throws SchedulerException {
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
        } finally {
            giveTheJobStoreItsConnectionsBack();
        }
        // and this instance's schedule goes on alone
        OffsetDateTime alone = OffsetDateTime.now().plusSeconds(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> !firedSince(alone).isEmpty());
    }

    /**
     * A job removed from routes/schedules.yaml leaves its trigger in the clustered store: its fires are skipped with a
     * WARN, not camel-quartz's ERROR, and the README's three statements delete it.
     */
    @Test
    void aRemovedJobsTriggerIsSkippedThenDeletedAsTheReadmeSays() throws Exception {
        try (LogLines lines = LogLines.all()) {
            // as camel-quartz stored the job of a route since removed
            scheduler.scheduleJob(JobBuilder.newJob(CamelJob.class).withIdentity("removed-job", "checkout")
                    .usingJobData(QuartzConstants.QUARTZ_ENDPOINT_URI,
                            "quartz://checkout/removed-job?cron=0/1+*+*+*+*+?")
                    .usingJobData(QuartzConstants.QUARTZ_CAMEL_CONTEXT_NAME, camel.getName()).build(),
                    TriggerBuilder.newTrigger().withIdentity("removed-job", "checkout")
                            .withSchedule(CronScheduleBuilder.cronSchedule("0/1 * * * * ?")).build());

            await().atMost(Duration.ofSeconds(30)).until(() -> lines.atLeast(Level.WARN).stream().anyMatch(line ->
                    line.contains("Quartz trigger checkout.removed-job fires a job that no route")));
            assertThat(lines.atLeast(Level.ERROR)).isEmpty();
        }
        String readme = Files.readString(Path.of("README.md"));
        Matcher sql = Pattern.compile("```sql\n(DELETE FROM qrtz_.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(sql.find()).isTrue();
        for (String statement : sql.group(1).replace("<job>", "removed-job").split(";")) {
            if (!statement.isBlank()) {
                jdbc.update(statement);
            }
        }
        assertThat(scheduler.checkExists(TriggerKey.triggerKey("removed-job", "checkout"))).isFalse();
        assertThat(scheduler.checkExists(JobKey.jobKey("removed-job", "checkout"))).isFalse();
    }

    /** Registers this instance's data source again under the names the second instance's providers took over. */
    private void giveTheJobStoreItsConnectionsBack() throws SchedulerException {
        String scheduler = this.scheduler.getSchedulerName();
        DBConnectionManager registry = DBConnectionManager.getInstance();
        registry.addConnectionProvider(LocalDataSourceJobStore.TX_DATA_SOURCE_PREFIX + scheduler,
                provider(() -> DataSourceUtils.doGetConnection(dataSource)));
        registry.addConnectionProvider(LocalDataSourceJobStore.NON_TX_DATA_SOURCE_PREFIX + scheduler,
                provider(dataSource::getConnection));
    }

    private static ConnectionProvider provider(Callable<Connection> connections) {
        return new ConnectionProvider() {
            @Override
            public Connection getConnection() throws SQLException {
                try {
                    return connections.call();
                } catch (SQLException e) {
                    throw e;
                } catch (Exception e) {
                    throw new SQLException(e);
                }
            }

            @Override
            public void shutdown() {
                // the context's pool has its own lifecycle
            }

            @Override
            public void initialize() {
            }
        };
    }

    private List<OffsetDateTime> firedSince(OffsetDateTime from) {
        return jdbc.queryForList("SELECT scheduled_fire_time FROM job_run WHERE job = 'janitor' "
                + "AND scheduled_fire_time >= ? ORDER BY scheduled_fire_time", OffsetDateTime.class, from);
    }

    private static double duplicateFires(MeterRegistry registry) {
        return registry.find("checkout.jobs.duplicate.fires").counters().stream().mapToDouble(c -> c.count()).sum();
    }
}
