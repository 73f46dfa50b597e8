package com.checkoutroutes.scheduling;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.DelegateEndpoint;
import org.apache.camel.Endpoint;
import org.apache.camel.Route;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.component.quartz.QuartzConstants;
import org.apache.camel.component.quartz.QuartzEndpoint;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.quartz.JobExecutionContext;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerKey;
import org.quartz.listeners.TriggerListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A job's trigger that no route of this instance declares any more (a job removed or renamed in
 * routes/schedules.yaml: the clustered job store keeps the trigger) is skipped, with one WARN per trigger saying how
 * to delete it (on its second fire in a row: not for a fire while the file reloads), instead of camel-quartz's ERROR
 * at every fire. Only while Camel runs: at start-up and stop the fire
 * goes to camel-quartz as before.
 */
@Component
public class OrphanedJobTriggers extends TriggerListenerSupport implements CamelContextConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(OrphanedJobTriggers.class);

    /** Fires in a row skipped per trigger, until its route is back. */
    private final Map<TriggerKey, Integer> skipped = new ConcurrentHashMap<>();
    private volatile CamelContext camel;

    @Override
    public String getName() {
        return "checkout-orphaned-job-triggers";
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        // the scheduler is camel-quartz's, made as its first route starts
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        register(camelContext);
    }

    /** Listens to the triggers of the scheduler camel-quartz runs the jobs on, if it runs any. */
    void register(CamelContext camelContext) {
        this.camel = camelContext;
        if (camelContext.hasComponent("quartz") instanceof QuartzComponent quartz && quartz.getScheduler() != null) {
            try {
                quartz.getScheduler().getListenerManager().addTriggerListener(this);
            } catch (SchedulerException e) {
                LOG.warn("triggers of removed jobs are not skipped: {}", e.toString());
            }
        }
    }

    /**
     * Never throws: Quartz takes a listener's exception for a failed fire and leaves a stateful job's trigger blocked
     * in the clustered store, the job stopped on every instance.
     */
    @Override
    public boolean vetoJobExecution(Trigger trigger, JobExecutionContext context) {
        try {
            return orphaned(trigger, context);
        } catch (RuntimeException e) {
            LOG.warn("could not tell whether Quartz trigger {} has a route: left to camel-quartz", trigger.getKey(),
                    e);
            return false;
        }
    }

    private boolean orphaned(Trigger trigger, JobExecutionContext context) {
        TriggerKey key = trigger.getKey();
        CamelContext running = camel;
        if (running == null || !running.isStarted() || routed(running, key)) {
            skipped.remove(key);
            return false;
        }
        String uri = context.getMergedJobDataMap().getString(QuartzConstants.QUARTZ_ENDPOINT_URI);
        if (uri != null && running.hasEndpoint(uri) != null) {
            return false; // camel-quartz finds it by its URI
        }
        // said on the second fire in a row without a route: a fire while routes/schedules.yaml reloads has none
        if (skipped.merge(key, 1, Integer::sum) == 2) {
            LOG.warn("Quartz trigger {} fires a job that no route of this instance declares (removed or renamed in "
                    + "routes/schedules.yaml?): skipped here. Once no instance runs that job, delete its trigger "
                    + "(README, Scheduled jobs)", key);
        }
        return true;
    }

    /** As camel-quartz looks a fired trigger's route up: the route whose Quartz endpoint has this trigger. */
    private static boolean routed(CamelContext camel, TriggerKey key) {
        for (Route route : camel.getRoutes()) {
            Endpoint endpoint = route.getEndpoint();
            if (endpoint instanceof DelegateEndpoint delegate) {
                endpoint = delegate.getEndpoint();
            }
            if (endpoint instanceof QuartzEndpoint quartz && key.equals(quartz.getTriggerKey())) {
                return true;
            }
        }
        return false;
    }
}
