package com.checkoutroutes.orderintake;

import com.checkoutroutes.deadletter.RejectedOrderException.Violation;
import com.checkoutroutes.deadletter.RejectedOrderException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.commons.lang3.StringUtils;
import org.springframework.stereotype.Component;

/**
 * Turns the raw bytes of an order message into a checked {@link OrderMessage}: strict UTF-8, a size limit, the JSON
 * Schema in config/schemas, then the rules the schema cannot say (OrderRules). One reader for the order route and
 * the HTTP door, so both refuse the same orders with the same codes. Every problem becomes a {@link Violation}.
 */
@Component
public class OrderReader {

    /** A parser's message can quote the input (a key of 60,000 characters): kept short for answers and logs. */
    private static final int MAX_MESSAGE = 200;

    private final ObjectMapper json;
    private final JsonSchema schema;
    private final int maxBytes;
    private final OrderRules rules;

    public OrderReader(ObjectMapper json, OrderRules rules, OrderIntakeSettings settings) {
        String schemaPath = settings.orders().schema();
        int maxBytes = settings.orders().maxBytes();
        // floats as BigDecimal: a double would make 1e309 Infinity, which the schema validator cannot compare and
        // throws on (found by OrderReaderFuzzTest); orders carry no floats, amounts are strings
        // a repeated key (two amounts) would be read as the last one: refused, as in notifications
        this.json = json.copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.rules = rules;
        this.maxBytes = maxBytes;
        try (InputStream in = Files.newInputStream(Path.of(schemaPath))) {
            this.schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException("order schema " + Path.of(schemaPath).toAbsolutePath() + " is unreadable", e);
        }
    }

    public OrderMessage read(byte[] raw) {
        return read(raw, order -> false);
    }

    /**
     * {@link #read}, except that the rules which move with time or settings (an expiry passed since, a limit lowered
     * since) are not judged again for an order whose attempt {@code storedBefore} says the ledger has
     * ({@link OrderRules#checkStored}): they passed when it was stored. Read again after a restart or a rebalance, or
     * posted again, it is then found as the stored attempt (and refused there if its terms changed) rather than
     * dead-lettered as rejected after it was paid.
     */
    public OrderMessage read(byte[] raw, Predicate<OrderMessage> storedBefore) {
        if (raw == null || raw.length == 0) {
            throw new RejectedOrderException("EMPTY_MESSAGE", null, "the message has no body");
        }
        if (raw.length > maxBytes) {
            throw new RejectedOrderException("PAYLOAD_TOO_LARGE", null,
                    raw.length + " bytes is more than the limit of " + maxBytes);
        }
        String text = strictUtf8(raw);
        JsonNode tree;
        try {
            tree = json.readTree(text);
        } catch (JsonProcessingException e) {
            String problem = StringUtils.abbreviate(e.getOriginalMessage(), MAX_MESSAGE);
            throw new RejectedOrderException(problem.startsWith("Duplicate field") ? "DUPLICATE_KEY" : "BAD_JSON",
                    null, problem);
        }
        if (tree == null || !tree.isObject()) {
            throw new RejectedOrderException("BAD_JSON", "$", "an order is a JSON object");
        }
        Set<ValidationMessage> problems = schema.validate(tree);
        if (!problems.isEmpty()) {
            List<Violation> violations = new ArrayList<>();
            problems.stream().sorted(Comparator.comparing(m -> m.getInstanceLocation().toString()))
                    .forEach(m -> violations.add(toViolation(m)));
            throw new RejectedOrderException(violations);
        }
        OrderMessage order;
        try {
            order = json.treeToValue(tree, OrderMessage.class);
        } catch (JsonProcessingException e) {
            throw new RejectedOrderException("WRONG_TYPE", null, e.getOriginalMessage());
        }
        List<Violation> violations = rules.check(order);
        if (!violations.isEmpty() && storedBefore.test(order)) {
            violations = rules.checkStored(order);
        }
        if (!violations.isEmpty()) {
            throw new RejectedOrderException(violations);
        }
        return order;
    }

    private static String strictUtf8(byte[] raw) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            throw new RejectedOrderException("BAD_ENCODING", null, "the message is not valid UTF-8");
        }
    }

    private static Violation toViolation(ValidationMessage m) {
        String field = m.getInstanceLocation().toString();
        String keyword = m.getType();
        String code;
        if ("required".equals(keyword)) {
            code = "MISSING_FIELD";
            field = field.equals("$") ? "$." + firstArgument(m) : field + "." + firstArgument(m);
        } else if ("additionalProperties".equals(keyword)) {
            code = "UNKNOWN_FIELD";
        } else if ("type".equals(keyword)) {
            code = "WRONG_TYPE";
        } else if (field.startsWith("$.amount.value")) {
            code = "INVALID_AMOUNT";
        } else if (field.startsWith("$.amount.currency") || field.startsWith("$.settlementCurrency")) {
            code = "INVALID_CURRENCY";
        } else if (field.startsWith("$.orderId")) {
            code = "INVALID_ORDER_ID";
        } else {
            code = "INVALID_VALUE";
        }
        return new Violation(code, field, m.getMessage());
    }

    private static String firstArgument(ValidationMessage m) {
        Object[] args = m.getArguments();
        return args != null && args.length > 0 ? String.valueOf(args[0]) : "";
    }
}
