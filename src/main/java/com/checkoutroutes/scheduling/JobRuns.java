package com.checkoutroutes.scheduling;

import io.micrometer.core.instrument.MeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;

/**
 * Every run of a scheduled job, with what it looked at and what it changed, kept for {@code checkout.jobs.keep-runs}.
 * A run claims its scheduled fire time first: the clustered Quartz store fires each time on one instance, and the
 * claim makes sure of it.
 */
@Component
public class JobRuns {

    private static final Logger LOG = LoggerFactory.getLogger(JobRuns.class);
    static final String RUN_ID = "checkoutJobRunId";
    /** The header holding the run's time (the application's clock): {@code :#now} in a job's {@code sql:} selection. */
    public static final String RUN_TIME = "now";
    private static final String INSTANCE = ManagementFactory.getRuntimeMXBean().getName();

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Duration keepRuns;

    public JobRuns(JdbcTemplate jdbc, Clock clock, MeterRegistry meters,
            @Value("${checkout.jobs.keep-runs}") Duration keepRuns) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.meters = meters;
        this.keepRuns = keepRuns;
    }

    /** What a job did, for its run record. */
    public record Report(int lookedAt, int changed, String detail) {
    }

    public record Run(String job, String instance, OffsetDateTime scheduledFireTime, OffsetDateTime startedAt,
            OffsetDateTime finishedAt, int lookedAt, int changed, String detail) {
    }

    /** True if this instance may run the job for this fire time (false: another instance already has). */
    public boolean claim(Exchange exchange) {
        String job = exchange.getFromRouteId();
        Date scheduled = exchange.getIn().getHeader("scheduledFireTime", Date.class);
        OffsetDateTime fireTime = scheduled == null ? null : scheduled.toInstant().atOffset(ZoneOffset.UTC);
        OffsetDateTime startedAt = OffsetDateTime.now(clock);
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        try {
            jdbc.update(c -> {
                var statement = c.prepareStatement("INSERT INTO job_run (job, instance, scheduled_fire_time, "
                        + "started_at) VALUES (?, ?, ?, ?)", new String[] {"id"});
                statement.setString(1, job);
                statement.setString(2, INSTANCE);
                statement.setObject(3, fireTime);
                statement.setObject(4, startedAt);
                return statement;
            }, key);
        } catch (DuplicateKeyException e) {
            // the clustered store should never let this happen; counted so that it is seen if it does
            meters.counter("checkout.jobs.duplicate.fires", "job", job).increment();
            LOG.warn("job {} for {} already ran on another instance", job, fireTime);
            return false;
        }
        exchange.setProperty(RUN_ID, key.getKey().longValue());
        exchange.getIn().setHeader(RUN_TIME, startedAt);
        return true;
    }

    public void finish(Exchange exchange) {
        Long id = exchange.getProperty(RUN_ID, Long.class);
        Report report = exchange.getIn().getBody(Report.class);
        if (id == null || report == null) {
            return;
        }
        meters.counter("checkout.jobs.runs", "job", exchange.getFromRouteId()).increment();
        OffsetDateTime now = OffsetDateTime.now(clock);
        jdbc.update("UPDATE job_run SET finished_at = ?, looked_at = ?, changed = ?, detail = ? WHERE id = ?",
                now, report.lookedAt(), report.changed(), truncate(report.detail()), id);
        // the janitor alone runs 2,880 times a day: each job forgets its own runs past the retention (ix_job_run)
        jdbc.update("DELETE FROM job_run WHERE job = ? AND started_at < ?", exchange.getFromRouteId(),
                now.minus(keepRuns));
        LOG.info("job {} looked at {} and changed {}: {}", exchange.getFromRouteId(), report.lookedAt(),
                report.changed(), report.detail());
    }

    /** When the job last finished a run on any instance (of the runs kept); empty if none did. */
    public Optional<Instant> lastFinished(String job) {
        // ix_job_run (job, started_at) read backwards: the newest runs first, not every run of the job kept
        return jdbc.query("SELECT finished_at FROM job_run WHERE job = ? AND finished_at IS NOT NULL "
                + "ORDER BY started_at DESC LIMIT 1", (rs, i) -> rs.getObject(1, OffsetDateTime.class).toInstant(),
                job).stream().findFirst();
    }

    public List<Run> runs(String job) {
        return jdbc.query("SELECT job, instance, scheduled_fire_time, started_at, finished_at, looked_at, changed, "
                        + "detail FROM job_run WHERE job = ? ORDER BY id",
                (rs, i) -> new Run(rs.getString(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class),
                        rs.getObject(4, OffsetDateTime.class), rs.getObject(5, OffsetDateTime.class), rs.getInt(6),
                        rs.getInt(7), rs.getString(8)), job);
    }

    /** The newest runs first, of one job (null: every job), only those that changed something if asked. */
    public List<Run> recent(String job, boolean changedOnly, int limit) {
        StringBuilder sql = new StringBuilder("SELECT job, instance, scheduled_fire_time, started_at, finished_at, "
                + "looked_at, changed, detail FROM job_run WHERE 1 = 1");
        List<Object> args = new java.util.ArrayList<>();
        if (job != null) {
            sql.append(" AND job = ?");
            args.add(job);
        }
        if (changedOnly) {
            sql.append(" AND changed > 0");
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        args.add(limit);
        return jdbc.query(sql.toString(),
                (rs, i) -> new Run(rs.getString(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class),
                        rs.getObject(4, OffsetDateTime.class), rs.getObject(5, OffsetDateTime.class), rs.getInt(6),
                        rs.getInt(7), rs.getString(8)), args.toArray());
    }

    private static String truncate(String value) {
        return value == null || value.length() <= 4000 ? value : value.substring(0, 4000);
    }
}
