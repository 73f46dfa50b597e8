package com.checkoutroutes.scheduling;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import com.checkoutroutes.platform.PeriodicRefresh;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * {@code checkout_jobs_last_finished_age_seconds{job}}: how long ago each scheduled job (a route fed by Quartz) last
 * finished a run on any instance, so that a job that stopped firing is seen (Quartz can leave a trigger stopped after
 * a database outage longer than its misfire threshold; the janitor, the authorisation guard and the reconciliation
 * would then stop without an error). Read from {@code job_run} every {@code checkout.metrics.ledger-refresh}, never
 * per scrape; a job with no finished run kept counts from when this instance first saw it.
 */
@Component
public class JobFreshness extends PeriodicRefresh {

    private static final Logger LOG = LoggerFactory.getLogger(JobFreshness.class);

    private final JobRuns runs;
    /** Looked up at each refresh: a lifecycle bean holding the context from its creation kept routes from loading. */
    private final ObjectProvider<CamelContext> camel;
    private final MeterRegistry meters;
    private final Clock clock;
    /** Per job: its last finished run, or when this instance first saw it while it has none. */
    private final Map<String, Instant> lastFinished = new ConcurrentHashMap<>();
    private final Map<String, Gauge> gauges = new ConcurrentHashMap<>();

    public JobFreshness(JobRuns runs, ObjectProvider<CamelContext> camel, MeterRegistry meters, Clock clock,
            @Value("${checkout.metrics.ledger-refresh}") Duration refreshEvery) {
        super("job-freshness", refreshEvery);
        this.runs = runs;
        this.camel = camel;
        this.meters = meters;
        this.clock = clock;
    }

    @Override
    protected void refresh() {
        try {
            CamelContext context = camel.getIfAvailable();
            if (context == null) {
                return;
            }
            Set<String> jobs = new HashSet<>();
            for (Route route : context.getRoutes()) {
                if (route.getEndpoint().getEndpointUri().startsWith("quartz:")) {
                    jobs.add(route.getRouteId());
                    seen(route.getRouteId(), runs.lastFinished(route.getRouteId()));
                }
            }
            // a job a live edit of its route file took away (or renamed) no longer has an age to alert on
            gauges.keySet().stream().filter(job -> !jobs.contains(job)).toList().forEach(job -> {
                meters.remove(gauges.remove(job));
                lastFinished.remove(job);
            });
        } catch (RuntimeException e) {
            // the database being down shows in /actuator/health; the ages keep growing meanwhile
            LOG.warn("job ages not refreshed: {}", e.toString());
        }
    }

    private void seen(String job, Optional<Instant> finished) {
        gauges.computeIfAbsent(job, j -> Gauge.builder("checkout.jobs.last.finished.age", this, g -> g.ageOf(j))
                .description("seconds since the job last finished a run on any instance")
                .baseUnit("seconds").tag("job", j).register(meters));
        lastFinished.merge(job, finished.orElse(clock.instant()),
                (before, now) -> finished.isPresent() ? now : before);
    }

    private double ageOf(String job) {
        Instant last = lastFinished.get(job);
        return last == null ? Double.NaN : Math.max(0, Duration.between(last, clock.instant()).toMillis() / 1000.0);
    }
}
