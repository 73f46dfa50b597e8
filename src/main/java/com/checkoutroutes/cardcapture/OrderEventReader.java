package com.checkoutroutes.cardcapture;

import com.checkoutroutes.deadletter.DeadLetters;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Set;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/** Reads an order event; a malformed one is refused with a reason. */
@Component
public class OrderEventReader {

    static final Set<String> TYPES = Set.of("ORDER_READY_TO_SHIP", "ORDER_SHIPPED", "ORDER_CANCELLED", "RISK_FLAGGED",
            "ORDER_RETURNED");
    private final ObjectMapper json;

    public OrderEventReader(ObjectMapper json) {
        this.json = json;
    }

    public OrderEvent read(Exchange exchange) {
        byte[] raw = DeadLetters.keepRaw(exchange, RefusedOrderEventException::new);
        JsonNode node;
        try {
            node = json.readTree(raw);
        } catch (Exception e) {
            throw new RefusedOrderEventException("BAD_JSON", "the event is not JSON");
        }
        if (node == null || !node.isObject()) {
            throw new RefusedOrderEventException("BAD_JSON", "an event is a JSON object");
        }
        String type = node.path("type").asText(null);
        String orderId = node.path("orderId").asText(null);
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
        exchange.getIn().setHeader("orderEventType", type);
        return new OrderEvent(node.path("eventId").asText(null), type, orderId, node.path("reason").asText(null));
    }
}
