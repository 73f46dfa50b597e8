package com.checkoutroutes.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Small Jackson helpers; the sandbox speaks JSON trees so that what it signs is exactly what it sends. */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    /** Parses a request body; malformed JSON yields null so callers can answer PARAM_ILLEGAL. */
    public static JsonNode parseOrNull(String text) {
        try {
            JsonNode node = MAPPER.readTree(text == null || text.isBlank() ? "{}" : text);
            return node != null && node.isObject() ? node : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    public static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The text at a dotted path, or null when absent/blank (Antom sends every scalar as a string). */
    public static String text(JsonNode node, String dottedPath) {
        JsonNode current = node;
        for (String part : dottedPath.split("\\.")) {
            if (current == null) {
                return null;
            }
            current = current.get(part);
        }
        if (current == null || current.isNull() || current.isContainerNode()) {
            return null;
        }
        String value = current.asText();
        return value.isBlank() ? null : value;
    }

    public static ObjectNode amount(String currency, String value) {
        ObjectNode node = object();
        node.put("currency", currency);
        node.put("value", value);
        return node;
    }

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode valueToTree(Object value) {
        return MAPPER.valueToTree(value);
    }
}
