package com.checkoutroutes.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** What a consumer of the result events may rely on: per payment, the events come in the order of the ledger. */
final class ResultEventOrder {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ResultEventOrder() {
    }

    /**
     * Reads the topic as a consumer keeping the newest state would: per payment, an event whose version is not
     * above the last one read must be a copy of an event already read (same eventId, same checkoutEventId).
     * Returns how many copies came.
     */
    static int assertInOrderPerPayment(List<ConsumerRecord<String, String>> records) {
        Map<String, Integer> lastVersion = new HashMap<>();
        Map<String, String> eventIdOfCheckoutEventId = new HashMap<>();
        Set<String> seenEventIds = new HashSet<>();
        int repeats = 0;
        for (ConsumerRecord<String, String> record : records) {
            JsonNode event = read(record.value());
            String eventId = event.path("eventId").asText();
            String prid = event.path("paymentRequestId").asText();
            int version = event.path("version").asInt(-1);
            assertThat(version).as("version of %s", record.value()).isPositive();
            assertThat(record.key()).isEqualTo(event.path("orderId").asText());
            String checkoutEventId = header(record);
            assertThat(checkoutEventId).as("checkoutEventId header").isNotNull();
            String known = eventIdOfCheckoutEventId.putIfAbsent(checkoutEventId, eventId);
            assertThat(known == null ? eventId : known).as("one event per checkoutEventId").isEqualTo(eventId);
            if (!seenEventIds.add(eventId)) {
                repeats++;
                continue; // a resend after a crash between send and mark: the consumer drops it by checkoutEventId
            }
            Integer last = lastVersion.put(prid, version);
            assertThat(last == null ? 0 : last).as("order %s: version %d (%s) came after version %s",
                    event.path("orderId").asText(), version, event.path("state").asText(), last).isLessThan(version);
        }
        assertThat(eventIdOfCheckoutEventId.values()).as("one checkoutEventId per event").doesNotHaveDuplicates();
        return repeats;
    }

    private static String header(ConsumerRecord<String, String> record) {
        Header header = record.headers().lastHeader("checkoutEventId");
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static JsonNode read(String value) {
        try {
            return JSON.readTree(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
