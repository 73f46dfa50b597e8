package com.checkoutroutes.deadletter;

import com.checkoutroutes.scheduling.JobRuns.Report;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Reads again the order events held until their order's payment had a result (dead letters of type
 * {@value HeldOrderEventException#TYPE}: a manual card's capture or a return that came while the payment was still
 * unknown or pending at Antom): the scheduled job {@code held-order-events} (routes/schedules.yaml) selects those whose
 * order has a paid attempt, or none left without a result, and each is re-driven as an operator's re-drive is, to be
 * read with all its rules (captured, refunded, or refused for good now that the payment failed).
 */
@Component
public class HeldOrderEvents {

    private static final Logger LOG = LoggerFactory.getLogger(HeldOrderEvents.class);
    /** Who the re-drives are recorded as done by. */
    static final String BY = "held-order-events";

    private final DeadLetterRedrives redrives;

    public HeldOrderEvents(DeadLetterRedrives redrives) {
        this.redrives = redrives;
    }

    /** One run: the selected dead letters ({@code id}), each re-driven once. */
    public Report run(List<Map<String, Object>> rows) {
        List<String> done = new ArrayList<>();
        int changed = 0;
        for (Map<String, Object> row : rows) {
            long id = ((Number) row.get("id")).longValue();
            try {
                redrives.redrive(id, BY);
                changed++;
                done.add(String.valueOf(id));
            } catch (RedriveRefusedException refused) {
                // an operator re-drove it meanwhile, or another instance's run did. (One of another topic than the
                // order events' is never selected: its re-drive would be refused at every run, first in the queue)
                LOG.info("held order event {} not re-driven: {}", id, refused.getMessage());
            }
        }
        return new Report(rows.size(), changed, done.isEmpty() ? "" : "re-driven " + String.join(", ", done));
    }
}
