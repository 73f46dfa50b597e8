package com.checkoutroutes.cardcapture;

import com.checkoutroutes.deadletter.DeadLetters;
import com.checkoutroutes.platform.JsonText;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.Set;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Reads an order event; a malformed one is refused with a reason: a key given twice ({@code "amount"} then
 * {@code "amount": null}, or two types) or text after the object. A return is read strictly, as a field of it
 * decides how much money goes back: another field (a misspelt {@code "returnAmount"}) would refund all of it. So is
 * a cancellation's amount (a partial cancellation, which the service cannot do: not the whole order). Other extra
 * fields of a shipment or a cancellation are left aside: refusing them would leave goods shipped uncaptured or an
 * order uncancelled.
 */
@Component
public class OrderEventReader {

    static final Set<String> TYPES = Set.of("ORDER_READY_TO_SHIP", "ORDER_SHIPPED", "ORDER_CANCELLED", "RISK_FLAGGED",
            "ORDER_RETURNED");
    static final Set<String> RETURN_FIELDS = Set.of("eventId", "type", "orderId", "reason", "amount");
    static final Set<String> CANCELLATIONS = Set.of("ORDER_CANCELLED", "RISK_FLAGGED");
    private final ObjectMapper json;

    public OrderEventReader(ObjectMapper json) {
        this.json = json.copy().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    public OrderEvent read(Exchange exchange) {
        byte[] raw = DeadLetters.keepRaw(exchange, RefusedOrderEventException::new);
        JsonNode node;
        try {
            node = json.readTree(raw);
        } catch (JsonProcessingException e) {
            boolean duplicate = e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field");
            throw new RefusedOrderEventException(duplicate ? "DUPLICATE_KEY" : "BAD_JSON",
                    duplicate ? "a key is given twice" : "the event is not JSON");
        } catch (Exception e) {
            throw new RefusedOrderEventException("BAD_JSON", "the event is not JSON");
        }
        if (node == null || !node.isObject()) {
            throw new RefusedOrderEventException("BAD_JSON", "an event is a JSON object");
        }
        String type = text(node, "type");
        String orderId = text(node, "orderId");
        if (orderId == null || orderId.isBlank()) {
            throw new RefusedOrderEventException("MISSING_FIELD", "orderId is required");
        }
        if (DeadLetters.plausibleOrderId(orderId) == null) {
            // no order has such an id, and its dead letter could not keep it
            throw new RefusedOrderEventException("INVALID_ORDER_ID",
                    "orderId is at most " + DeadLetters.MAX_ORDER_ID + " characters, without control characters");
        }
        exchange.setProperty("checkoutOrderId", orderId);
        if (type == null || !TYPES.contains(type)) {
            throw new RefusedOrderEventException("UNKNOWN_EVENT_TYPE", "type must be one of " + TYPES);
        }
        refuseUnknownFields(node, type);
        exchange.getIn().setHeader("orderEventType", type);
        return new OrderEvent(text(node, "eventId"), type, orderId, text(node, "reason"));
    }

    /** A field's text ({@link JsonText}: a number as written; an object, an array or a boolean refused). */
    private static String text(JsonNode node, String field) {
        try {
            return JsonText.of(node, field).orElse(null);
        } catch (JsonText.NotText e) {
            throw new RefusedOrderEventException("INVALID_VALUE", e.getMessage());
        }
    }

    private static void refuseUnknownFields(JsonNode node, String type) {
        if (CANCELLATIONS.contains(type) && node.has("amount")) {
            throw new RefusedOrderEventException("UNKNOWN_FIELD", "$.amount: " + type + " cancels the whole order; a "
                    + "partial one is a return (ORDER_RETURNED with an amount)");
        }
        if (!"ORDER_RETURNED".equals(type)) {
            return;
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!RETURN_FIELDS.contains(name)) {
                // the name is the caller's text: kept short and printable for the dead letter's reason
                String shown = name.length() > 40 || !name.chars().allMatch(c -> c >= 0x20 && c < 0x7F)
                        ? "a field" : "$." + name;
                throw new RefusedOrderEventException("UNKNOWN_FIELD", shown + " is not a field of ORDER_RETURNED "
                        + "(eventId, type, orderId, reason, amount)");
            }
        }
    }
}
