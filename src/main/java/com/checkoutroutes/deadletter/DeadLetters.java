package com.checkoutroutes.deadletter;

import com.checkoutroutes.deadletter.RejectedOrderException.Violation;
import com.checkoutroutes.platform.AntomTime;
import com.checkoutroutes.platform.BoundedBytesDeserializer;
import com.checkoutroutes.platform.LogIds;
import com.checkoutroutes.platform.OversizedRecord;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.function.BiFunction;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.commons.codec.digest.DigestUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Builds the dead-letter message for an order that cannot be paid: machine-readable reasons, where it came from,
 * and the original message (text, or base64 when it was not UTF-8), so nothing is dropped silently; one too large
 * to publish, or too large for its consumer to keep, is named by its size and SHA-256 instead.
 */
@Component("orderDeadLetters")
public class DeadLetters {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
    public static final String RAW_ORDER = "checkoutRawOrder";
    /** The {@link DeadLetter} just built, for {@link DeadLetterArchive} to keep. */
    static final String LETTER = "checkoutDeadLetter";

    private final ObjectMapper json;
    private final Clock clock;
    private final MeterRegistry meters;

    public DeadLetters(ObjectMapper json, Clock clock, MeterRegistry meters) {
        this.json = json;
        this.clock = clock;
        this.meters = meters;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DeadLetter(String type, Violation reason, List<Violation> violations, String orderId, Source source,
            String rejectedAt, String original, String originalBase64, Integer originalBytes, String originalSha256) {

        /** The letter without its original, which is named by its size and SHA-256 instead. */
        DeadLetter withoutOriginal(int bytes, String sha256) {
            return new DeadLetter(type, reason, violations, orderId, source, rejectedAt, null, null, bytes, sha256);
        }
    }

    /** Where the rejected message was read: its topic, partition, offset and record key. */
    public record Source(String topic, Integer partition, Long offset, String key) {
    }

    /**
     * The largest letter that keeps its original: half the producers' default max.request.size (1 MiB), as the
     * original's JSON escaping or base64 makes the letter up to six times its size. A letter past it that could not
     * be published would fail its record again at every read and stop its partition.
     */
    static final int MAX_LETTER_BYTES = 512 * 1024;

    /** The longest orderId the order schema allows (Antom's referenceOrderId). */
    public static final int MAX_ORDER_ID = 64;

    /**
     * The consumed record's bytes, kept for its dead letter. A record its consumer did not keep, being over the
     * route's limit ({@link BoundedBytesDeserializer}), is refused with {@code PAYLOAD_TOO_LARGE} through
     * {@code refusal} (code, message), and its dead letter names it by size and SHA-256.
     */
    public static byte[] keepRaw(Exchange exchange, BiFunction<String, String, ? extends RuntimeException> refusal) {
        Object body = exchange.getIn().getBody();
        if (body instanceof OversizedRecord oversized) {
            exchange.setProperty(RAW_ORDER, oversized);
            throw refusal.apply("PAYLOAD_TOO_LARGE", oversized.problem());
        }
        byte[] raw = exchange.getIn().getBody(byte[].class);
        exchange.setProperty(RAW_ORDER, raw);
        return raw;
    }

    /** Replaces the exchange body with the dead-letter message for the exception that rejected the order. */
    public void build(Exchange exchange) throws JsonProcessingException {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        List<Violation> violations = cause instanceof RejectedOrderException rejected ? rejected.violations()
                : List.of(new Violation("PROCESSING_ERROR", null,
                        cause == null ? "unknown error" : cause.getClass().getSimpleName() + ": " + cause.getMessage()));
        Object kept = exchange.getProperty(RAW_ORDER);
        byte[] raw = kept instanceof byte[] bytes ? bytes : null;
        String text = raw == null ? null : utf8OrNull(raw);
        Object key = exchange.getIn().getHeader(KafkaConstants.KEY);
        Source source = new Source(exchange.getIn().getHeader(KafkaConstants.TOPIC, String.class),
                exchange.getIn().getHeader(KafkaConstants.PARTITION, Integer.class),
                exchange.getIn().getHeader(KafkaConstants.OFFSET, Long.class),
                key instanceof String k ? k : null);
        // an order refused before it was read still names itself when its orderId can be read from the JSON
        String named = exchange.getProperty("checkoutOrderId", String.class);
        String orderId = named != null ? plausibleOrderId(named) : readableOrderId(text);
        String type = cause instanceof RejectedOrderException rejected ? rejected.deadLetterType() : "ORDER_REJECTED";
        DeadLetter letter = new DeadLetter(type, violations.get(0), violations, orderId, source,
                AntomTime.format(OffsetDateTime.now(clock)), text,
                raw != null && text == null ? Base64.getEncoder().encodeToString(raw) : null, null, null);
        if (kept instanceof OversizedRecord oversized) {
            letter = letter.withoutOriginal(oversized.bytes(), oversized.sha256());
        }
        String body = json.writeValueAsString(letter);
        // UTF-8 takes at most three bytes a char: a shorter letter is not encoded to be measured
        if (raw != null && body.length() > MAX_LETTER_BYTES / 3
                && body.getBytes(StandardCharsets.UTF_8).length > MAX_LETTER_BYTES) {
            letter = letter.withoutOriginal(raw.length, DigestUtils.sha256Hex(raw));
            body = json.writeValueAsString(letter);
        }
        meters.counter("checkout.orders.rejected", "reason", violations.get(0).code()).increment();
        LOG.warn("order {} rejected: {} ({} at {}/{}/{}, key {})", orderId == null ? "without a readable orderId" : orderId,
                violations.get(0).code(), violations.get(0).field(), source.topic(), source.partition(),
                source.offset(), LogIds.quoted(source.key()));
        exchange.getIn().setBody(body);
        exchange.setProperty(LETTER, letter);
        exchange.getIn().setHeader("checkoutRejectReason", violations.get(0).code());
        exchange.getIn().removeHeaders("CamelKafka*");
        // keyed by the order, so its dead letters share a partition; else by the record's own key
        String letterKey = orderId != null ? orderId : source.key();
        if (letterKey != null) {
            exchange.getIn().setHeader(KafkaConstants.KEY, letterKey);
        }
    }

    /**
     * The top-level orderId of a message that may be broken further on (truncated, wrong types, rule violations),
     * read as a stream up to that field; null when there is none or it is not a plausible id (a string of at most
     * 64 characters without control characters).
     */
    String readableOrderId(String text) {
        if (text == null) {
            return null;
        }
        try (JsonParser parser = json.getFactory().createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("orderId".equals(field)) {
                    return value == JsonToken.VALUE_STRING ? plausibleOrderId(parser.getText()) : null;
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return null; // broken before the orderId
        }
    }

    /** The id when it can be an order's (not blank, at most 64 characters, no control characters), else null. */
    public static String plausibleOrderId(String id) {
        boolean plausible = !id.isBlank() && id.length() <= MAX_ORDER_ID && id.chars().noneMatch(Character::isISOControl);
        return plausible ? id : null;
    }

    private static String utf8OrNull(byte[] raw) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
