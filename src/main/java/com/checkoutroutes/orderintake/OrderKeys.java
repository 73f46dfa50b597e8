package com.checkoutroutes.orderintake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.stereotype.Component;

/** The Kafka key of an order message: its orderId, so one order's messages stay in one partition, in order. */
@Component
public class OrderKeys {

    private final ObjectMapper json;

    public OrderKeys(ObjectMapper json) {
        this.json = json;
    }

    /** The orderId, or null when the body is not an order (it is still published, and dead-lettered there). */
    public String keyOf(String body) {
        try {
            JsonNode id = json.readTree(body).get("orderId");
            return id != null && id.isTextual() ? id.asText() : null;
        } catch (Exception e) {
            return null;
        }
    }
}
