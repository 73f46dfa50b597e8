package com.checkoutroutes.deadletter;

import com.checkoutroutes.deadletter.DeadLetterArchive.Kept;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Re-drives a kept dead letter once its cause was fixed (the order the event was about now exists, a setting was
 * changed, a bug was fixed): its original message goes back to the topic it was read from, with its key, through
 * {@code direct:dead-letter-redrive} (routes/orders.yaml), and the consumer route reads it again with all its rules.
 * Refused with a reason, sending nothing, for a dead letter already re-driven, one without its original, or one
 * from a topic no consumer route reads.
 */
@Component
public class DeadLetterRedrives {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterRedrives.class);
    /** The header naming the topic a re-drive goes to. */
    public static final String TOPIC = "checkoutRedriveTopic";

    private final DeadLetterArchive archive;
    private final ProducerTemplate producer;
    private final ObjectMapper json;
    private final Set<String> consumerTopics;
    private final String orders;

    public DeadLetterRedrives(DeadLetterArchive archive, ProducerTemplate producer, ObjectMapper json,
            @Value("${checkout.topics.orders}") String orders,
            @Value("${checkout.topics.order-events}") String orderEvents,
            @Value("${checkout.topics.shipment-checks}") String shipmentChecks) {
        this.archive = archive;
        this.producer = producer;
        this.json = json;
        this.consumerTopics = Set.of(orders, orderEvents, shipmentChecks);
        this.orders = orders;
    }

    /** Sends the dead letter's original message again; returns where it went. */
    public String redrive(long id, String by) {
        Kept kept = archive.find(id).orElseThrow(() -> new RedriveRefusedException("UNKNOWN_DEAD_LETTER",
                "there is no dead letter " + id));
        if (kept.redriven()) {
            throw new RedriveRefusedException("ALREADY_REDRIVEN", "dead letter " + id + " was re-driven at "
                    + kept.redrivenAt() + " by " + kept.redrivenBy() + "; a new refusal is a dead letter of its own");
        }
        if (kept.sourceTopic() == null || !consumerTopics.contains(kept.sourceTopic())) {
            throw new RedriveRefusedException("NOT_REDRIVABLE", "dead letter " + id + " came from "
                    + kept.sourceTopic() + ", which no consumer route reads (" + consumerTopics + ")");
        }
        byte[] original = archive.letter(id).map(this::read).flatMap(DeadLetterArchive::original)
                .orElseThrow(() -> new RedriveRefusedException("NO_ORIGINAL", "dead letter " + id
                        + " does not hold the original message"));
        Map<String, Object> headers = new HashMap<>();
        headers.put(TOPIC, kept.sourceTopic());
        // an order goes back keyed by its orderId, which the order route requires: one refused KEY_MISMATCH
        // (published with another key, or none) then runs on its order's lane
        String key = orders.equals(kept.sourceTopic()) && kept.orderId() != null ? kept.orderId() : kept.sourceKey();
        if (key != null) {
            headers.put(KafkaConstants.KEY, key);
        }
        if (!archive.redrive(id, by,
                () -> producer.requestBodyAndHeaders("direct:dead-letter-redrive", original, headers))) {
            throw new RedriveRefusedException("ALREADY_REDRIVEN", "dead letter " + id + " was re-driven just now");
        }
        LOG.info("dead letter {} ({} of order {}) re-driven to {} by {}", id, kept.reasonCode(), kept.orderId(),
                kept.sourceTopic(), by);
        return kept.sourceTopic();
    }

    private JsonNode read(String letter) {
        try {
            return json.readTree(letter);
        } catch (Exception e) {
            throw new RedriveRefusedException("NO_ORIGINAL", "the kept dead letter is not readable JSON");
        }
    }
}
