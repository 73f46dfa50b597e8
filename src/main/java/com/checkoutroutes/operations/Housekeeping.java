package com.checkoutroutes.operations;

import com.checkoutroutes.continuation.HttpChannelQueue;
import com.checkoutroutes.deadletter.DeadLetterArchive;
import com.checkoutroutes.ledger.NotificationInbox;
import com.checkoutroutes.ledger.Outbox;
import com.checkoutroutes.scheduling.JobRuns.Report;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.springframework.stereotype.Component;

/**
 * Deletes what is done and older than {@code checkout.housekeeping.keep}, so that the tables that grow with every
 * order stay the size of their retention: published outbox events, delivered channel messages, notifications placed
 * in the ledger and dead letters already re-driven. What still waits for something (an unpublished event, a message
 * not delivered, a notification kept UNMATCHED, a dead letter not re-driven) is kept however old. The ledger itself
 * (payments, refunds, their histories), the console's record of operators' actions and the reconciliation's findings
 * are records, never deleted here.
 */
@Component
public class Housekeeping {

    private final Map<String, BiFunction<OffsetDateTime, Integer, Integer>> tables = new LinkedHashMap<>();
    private final HousekeepingSettings settings;
    private final MeterRegistry meters;
    private final Clock clock;

    public Housekeeping(Outbox outbox, HttpChannelQueue channelMessages, NotificationInbox inbox,
            DeadLetterArchive deadLetters, HousekeepingSettings settings, MeterRegistry meters, Clock clock) {
        tables.put("outbox_event", outbox::forgetPublishedBefore);
        tables.put("channel_delivery", channelMessages::forgetDeliveredBefore);
        tables.put("notification_inbox", inbox::forgetPlacedBefore);
        tables.put("dead_letter", deadLetters::forgetRedrivenBefore);
        this.settings = settings;
        this.meters = meters;
        this.clock = clock;
    }

    /** One run (routes/schedules.yaml): each table's old rows, oldest first, a batch at a time, max-per-run at most. */
    public Report run() {
        OffsetDateTime cutoff = OffsetDateTime.now(clock).minus(settings.keep());
        List<String> deleted = new ArrayList<>();
        int total = 0;
        for (Map.Entry<String, BiFunction<OffsetDateTime, Integer, Integer>> table : tables.entrySet()) {
            int n = forget(table.getValue(), cutoff);
            meters.counter("checkout.housekeeping.deleted", "table", table.getKey()).increment(n);
            // at its share: more may be left, which the next run goes on with (a run deleting its share each time is
            // behind the table's inflow: raise max-per-run, or run it more often)
            deleted.add(table.getKey() + " " + n + (n >= settings.maxPerRun() ? " (its share: more left)" : ""));
            total += n;
        }
        return new Report(total, total, "deleted, done before " + cutoff + ": " + String.join(", ", deleted));
    }

    private int forget(BiFunction<OffsetDateTime, Integer, Integer> batch, OffsetDateTime cutoff) {
        int done = 0;
        while (done < settings.maxPerRun()) {
            int limit = Math.min(settings.batchSize(), settings.maxPerRun() - done);
            int n = batch.apply(cutoff, limit);
            done += n;
            if (n < limit) {
                break;
            }
        }
        return done;
    }
}
