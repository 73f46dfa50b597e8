package com.checkoutroutes.orderintake;

import static org.assertj.core.api.Assertions.assertThat;

import com.checkoutroutes.deadletter.DeadLetterArchive;
import com.checkoutroutes.deadletter.DeadLetterRedrives;
import com.checkoutroutes.platform.BoundedKafkaHeaders;
import com.checkoutroutes.testsupport.FlowTestSupport;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.commons.codec.digest.DigestUtils;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Invalid orders land on the dead-letter topic with their reason and source, and the valid orders behind them still
 * flow: one of each kind of refusal (bytes, JSON, schema, rule) through Kafka. OrderReaderTest and OrderRulesTest
 * have every reason code without Kafka.
 */
class InvalidOrdersTest extends FlowTestSupport {

    @Autowired
    CamelContext camel;
    @Autowired
    DeadLetterArchive deadLetters;
    @Autowired
    DeadLetterRedrives redrives;

    @Test
    void invalidOrdersAreDeadLetteredWithReasonsAndValidOnesBehindThemFlow() throws Exception {
        String tag = newOrderId();
        String key = "bad-" + tag;
        kafka().publish(ordersTopic, key, "{\"orderId\": \"" + tag + "-trunc\", \"amount\": {\"curr");
        publishRaw(key, variant(tag + "-missing", o -> o.remove("amount")));
        publishRaw(key, variant(tag + "-amount", o -> o.put("amount", Map.of("currency", "USD", "value", "12.50"))));
        publishRaw(key, variant(tag + "-os", o -> o.put("channel", Map.of("terminalType", "WAP"))));
        byte[] latin1 = ("{\"orderId\":\"" + tag + "-enc\",\"description\":\"caf\u00e9\"}").getBytes(StandardCharsets.ISO_8859_1);
        kafka().publish(ordersTopic, key, latin1);
        String valid = tag + "-ok";
        publish(order(valid));

        assertReason(tag + "-trunc", "BAD_JSON", null);
        assertReason(tag + "-missing", "MISSING_FIELD", "$.amount");
        assertReason(tag + "-amount", "INVALID_AMOUNT", "$.amount.value");
        assertReason(tag + "-os", "MISSING_OS_TYPE", "$.channel.osType");
        JsonNode encoding = read(kafka().await(deadLetterTopic, r -> r.value().contains(
                Base64.getEncoder().encodeToString(latin1))).value());
        assertThat(encoding.path("reason").path("code").asText()).isEqualTo("BAD_ENCODING");
        assertThat(encoding.has("orderId")).as("bytes that are not UTF-8 have no readable orderId").isFalse();

        assertThat(awaitChannelMessage("WEB", valid).path("action").asText()).isEqualTo("REDIRECT");
        assertThat(ledger.attemptsOf(tag + "-amount")).isEmpty();
        assertThat(sandbox.requests("pay", null).stream().filter(c -> c.paymentRequestId() != null)
                .map(c -> ledger.find(c.paymentRequestId()).map(a -> a.orderId()).orElse(""))
                .filter(id -> id.startsWith(tag) && !id.equals(valid))).isEmpty();
    }

    /**
     * An order keyed otherwise than by its orderId, or not at all, could run beside another attempt of its order on
     * another lane or partition: refused before anything is stored or sent.
     */
    @Test
    void anOrderNotKeyedByItsOrderIdIsRefused() throws Exception {
        String otherKey = newOrderId();
        String noKey = newOrderId();
        publishRaw("customer-42", json.writeValueAsString(order(otherKey)));
        publishRaw(null, json.writeValueAsString(order(noKey)));

        for (String orderId : List.of(otherKey, noKey)) {
            JsonNode letter = read(kafka().await(deadLetterTopic, r -> r.value().contains(orderId)).value());
            assertThat(letter.path("reason").path("code").asText()).as(orderId).isEqualTo("KEY_MISMATCH");
            assertThat(ledger.attemptsOf(orderId)).isEmpty();
        }

        // re-driven, it goes back keyed by its orderId, and is paid
        long letter = Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> deadLetters.recent("KEY_MISMATCH", noKey, false, 1), l -> !l.isEmpty()).get(0).id();
        redrives.redrive(letter, "operator");
        assertThat(awaitChannelMessage("WEB", noKey).path("action").asText()).isEqualTo("REDIRECT");
    }

    /**
     * A NUL in what a dead letter keeps as text (a key a binary serializer wrote, a terminalType the reason quotes),
     * which PostgreSQL refuses in text: the letter is kept and published with U+FFFD in its place, and the lane goes
     * on. Its insert failed, and the record was tried again for good, its order's later records and its partition's
     * commit behind it.
     */
    @Test
    void aNulInARefusedOrdersKeyOrReasonIsKeptAsAReplacementCharacter() throws Exception {
        String binaryKey = newOrderId();
        String nulTerminal = newOrderId();
        publishRaw("\u0000\u0000\u0004\u00d2", json.writeValueAsString(order(binaryKey)));
        Map<String, Object> order = order(nulTerminal);
        order.put("channel", Map.of("terminalType", "PC\u0000"));
        publish(order);

        JsonNode keyed = read(kafka().await(deadLetterTopic, r -> r.value().contains(binaryKey)).value());
        assertThat(keyed.path("reason").path("code").asText()).isEqualTo("KEY_MISMATCH");
        JsonNode terminal = read(kafka().await(deadLetterTopic, r -> r.value().contains(nulTerminal)).value());
        assertThat(terminal.path("reason").path("code").asText()).isNotBlank();
        assertThat(deadLetters.recent(null, binaryKey, false, 1)).singleElement()
                .satisfies(kept -> assertThat(kept.sourceKey()).isEqualTo("\uFFFD\uFFFD\u0004\u00d2"));
        assertThat(deadLetters.recent(null, nulTerminal, false, 1)).hasSize(1);
        // the lane went on: a later order of the same partition's keys is paid
        String later = newOrderId();
        publish(order(later));
        assertThat(awaitChannelMessage("WEB", later).path("action").asText()).isEqualTo("REDIRECT");
    }

    /**
     * A record key past 256 bytes reaches the lanes, the logs and the dead letter as its SHA-256 (the shipped
     * camel.component.kafka.key-deserializer), and the record's headers are bounded by the shipped filter.
     */
    @Test
    void aRecordKeyPastItsLimitTravelsAsItsDigest() {
        String key = newOrderId() + "k".repeat(2_000);
        kafka().publish(ordersTopic, key, "not an order");

        String digest = "oversized-key:" + DigestUtils.sha256Hex(key.getBytes(StandardCharsets.UTF_8));
        ConsumerRecord<String, String> letter = kafka().await(deadLetterTopic, r -> digest.equals(r.key()));
        assertThat(letter.value()).doesNotContain("kkkkkkkkkkkkkkkk");
        assertThat(camel.getComponent("kafka", KafkaComponent.class).getConfiguration().getHeaderFilterStrategy())
                .isInstanceOf(BoundedKafkaHeaders.class);
    }

    /**
     * An order past checkout.orders.max-bytes reaches its lane as only its size and SHA-256 (the lanes hold hundreds
     * of records), so its dead letter names it by those and by its record key; the order behind it on its key flows.
     */
    @Test
    void anOrderPastItsLimitIsDeadLetteredUnreadAndTheOrderBehindItFlows() throws Exception {
        String key = newOrderId();
        String huge = variant(key + "-huge", o -> o.put("description", "x".repeat(200_000)));
        byte[] hugeBytes = huge.getBytes(StandardCharsets.UTF_8);
        kafka().publish(ordersTopic, key, huge);
        publish(order(key));

        ConsumerRecord<String, String> record = kafka().await(deadLetterTopic, r -> key.equals(r.key()));
        JsonNode letter = read(record.value());
        assertThat(letter.path("reason").path("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(letter.path("reason").path("message").asText())
                .isEqualTo(hugeBytes.length + " bytes is more than the limit of 65536");
        assertThat(letter.path("originalBytes").asInt()).isEqualTo(hugeBytes.length);
        assertThat(letter.path("originalSha256").asText()).isEqualTo(DigestUtils.sha256Hex(hugeBytes));
        assertThat(letter.has("original")).isFalse();
        assertThat(letter.has("orderId")).as("never read, so not named").isFalse();
        assertThat(letter.path("source").path("key").asText()).isEqualTo(key);
        assertThat(record.value().length()).isLessThan(2_000);

        assertThat(awaitChannelMessage("WEB", key).path("action").asText()).isEqualTo("REDIRECT");
        assertThat(ledger.attemptsOf(key + "-huge")).isEmpty();
    }

    /** The dead letter names the order, is keyed by it, and its log line says which order it was. */
    private void assertReason(String orderId, String code, String field) {
        ConsumerRecord<String, String> record = kafka().await(deadLetterTopic, r -> r.value().contains(orderId));
        JsonNode letter = read(record.value());
        assertThat(letter.path("orderId").asText()).as(orderId).isEqualTo(orderId);
        assertThat(record.key()).as("the dead letter's key").isEqualTo(orderId);
        assertThat(letter.path("source").path("key").asText()).as("the rejected record's key").startsWith("bad-");
        assertThat(letter.path("type").asText()).isEqualTo("ORDER_REJECTED");
        assertThat(letter.path("reason").path("code").asText()).as(orderId).isEqualTo(code);
        if (field != null) {
            assertThat(letter.path("reason").path("field").asText()).as(orderId).isEqualTo(field);
        }
        assertThat(letter.path("original").asText()).contains(orderId);
        assertThat(letter.path("source").path("topic").asText()).isEqualTo(ordersTopic);
        assertThat(letter.path("source").has("offset")).isTrue();
    }

    private void publishRaw(String key, String value) {
        kafka().publish(ordersTopic, key, value);
    }

    private String variant(String orderId, java.util.function.Consumer<Map<String, Object>> change) throws Exception {
        Map<String, Object> order = new LinkedHashMap<>(order(orderId));
        change.accept(order);
        return json.writeValueAsString(order);
    }
}
