package com.checkoutroutes.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import com.checkoutroutes.testsupport.LogLines;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.quartz.CamelJob;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.component.quartz.QuartzConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.listeners.JobListenerSupport;

/**
 * A trigger left in the job store by a job removed from routes/schedules.yaml fires on camel-quartz's own scheduler:
 * skipped with one WARN, not run into camel-quartz's ERROR; a job a route declares runs as before.
 */
class OrphanedJobTriggersTest {

    private final CamelContext camel = new DefaultCamelContext();
    private final AtomicInteger present = new AtomicInteger();
    private LogLines lines;

    @BeforeEach
    void start() throws Exception {
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("quartz:checkout/present?cron=0/1+*+*+*+*+?").routeId("present")
                        .process(e -> present.incrementAndGet());
            }
        });
        camel.start();
        new OrphanedJobTriggers().register(camel);
        lines = LogLines.all();
    }

    @AfterEach
    void stop() {
        lines.close();
        camel.stop();
    }

    @Test
    void aTriggerNoRouteDeclaresIsSkippedWithOneWarningAndTheOthersRun() throws Exception {
        Scheduler scheduler = camel.getComponent("quartz", QuartzComponent.class).getScheduler();
        AtomicInteger ran = new AtomicInteger();
        AtomicInteger vetoed = new AtomicInteger();
        scheduler.getListenerManager().addJobListener(new JobListenerSupport() {
            @Override
            public String getName() {
                return "counting";
            }

            @Override
            public void jobWasExecuted(JobExecutionContext context, org.quartz.JobExecutionException e) {
                if (context.getJobDetail().getKey().getName().equals("removed")) {
                    ran.incrementAndGet();
                }
            }

            @Override
            public void jobExecutionVetoed(JobExecutionContext context) {
                vetoed.incrementAndGet();
            }
        });
        // as camel-quartz stored the job of a route since removed
        JobDetail job = JobBuilder.newJob(CamelJob.class).withIdentity("removed", "checkout")
                .usingJobData(QuartzConstants.QUARTZ_ENDPOINT_URI, "quartz://checkout/removed?cron=0/1+*+*+*+*+?")
                .usingJobData(QuartzConstants.QUARTZ_CAMEL_CONTEXT_NAME, camel.getName()).build();
        Trigger trigger = TriggerBuilder.newTrigger().withIdentity("removed", "checkout").startNow()
                .withSchedule(org.quartz.SimpleScheduleBuilder.repeatSecondlyForever()).build();
        scheduler.scheduleJob(job, trigger);

        await().atMost(Duration.ofSeconds(20)).until(() -> vetoed.get() >= 2 && present.get() >= 1);

        assertThat(ran.get()).as("CamelJob never ran for it").isZero();
        assertThat(lines.atLeast(Level.WARN)).filteredOn(line -> line.contains("no route of this instance declares"))
                .singleElement().satisfies(line -> assertThat(line).contains("checkout.removed"));
        assertThat(lines.atLeast(Level.ERROR)).isEmpty();
    }
}
