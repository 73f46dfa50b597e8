package com.checkoutroutes.platform;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * The text of a message's field as the order system may write an id: a string, or a number as written. One rule for
 * every reader of an order event (cardcapture.OrderEventReader, refunds.OrderReturns), so that a field one of them
 * takes is never missing for the other.
 */
public final class JsonText {

    private JsonText() {
    }

    /**
     * Empty when the field is absent or null; its text when it is a string or a number; else (an object, an array, a
     * boolean, read as "" or "true") {@link NotText}.
     */
    public static Optional<String> of(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual() && !value.isNumber()) {
            throw new NotText(field);
        }
        return Optional.of(value.asText());
    }

    /** The field holds neither a string nor a number. */
    public static final class NotText extends IllegalArgumentException {
        private final String field;

        NotText(String field) {
            super("$." + field + " is a string (or a number)");
            this.field = field;
        }

        public String field() {
            return field;
        }
    }
}
