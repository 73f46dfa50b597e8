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
 * read with all its rules (captured, refunded, or refused for good now that the payment failed). One that can never be
 * re-driven becomes a refusal for an operator ({@link DeadLetterArchive#refuseHeld}).
 */
@Component
public class HeldOrderEvents {

    private static final Logger LOG = LoggerFactory.getLogger(HeldOrderEvents.class);
    /** Who the re-drives are recorded as done by. */
    static final String BY = "held-order-events";
    /** Refusals that say it was re-driven, or is being so, by someone else; any other says it never can be. */
    private static final java.util.Set<String> AGAIN_LATER = java.util.Set.of("ALREADY_REDRIVEN",
            "REDRIVE_IN_PROGRESS", "UNKNOWN_DEAD_LETTER");

    private final DeadLetterRedrives redrives;
    private final DeadLetterArchive archive;

    public HeldOrderEvents(DeadLetterRedrives redrives, DeadLetterArchive archive) {
        this.redrives = redrives;
        this.archive = archive;
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
                if (AGAIN_LATER.contains(refused.code())) {
                    // an operator re-drove it meanwhile, or another instance's run did
                    LOG.info("held order event {} not re-driven: {}", id, refused.getMessage());
                } else {
                    LOG.warn("held order event {} can never be re-driven ({}): left to an operator as {}", id,
                            refused.getMessage(), refused.code());
                    archive.refuseHeld(id, refused.code(), refused.getMessage());
                    changed++;
                }
            }
        }
        return new Report(rows.size(), changed, done.isEmpty() ? "" : "re-driven " + String.join(", ", done));
    }
}
