package com.checkoutroutes.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.checkoutroutes.CheckoutRoutesApplication;
import com.checkoutroutes.scheduling.JobRuns;
import com.checkoutroutes.testsupport.FlowTestSupport;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
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
