package com.checkoutroutes.sandbox;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A buyer behaviour decided in advance, like a test card: every matching payment (by method, amount value or
 * paymentRequestId; null = any) ends with {@code outcome} after {@code afterMs}. {@code times <= 0} = until cleared.
 */
public record OutcomeScript(String paymentMethodType, String amountValue, String paymentRequestId, Outcome outcome,
                            long afterMs, int times) {

    public enum Outcome { PAY, FAIL, ABANDON, PENDING_THEN_PAY }

    public static OutcomeScript fromJson(JsonNode json) {
        String outcome = Json.text(json, "outcome");
        if (outcome == null) {
            throw new IllegalArgumentException("script needs an outcome");
        }
        return new OutcomeScript(Json.text(json, "paymentMethodType"), Json.text(json, "amountValue"),
                Json.text(json, "paymentRequestId"), Outcome.valueOf(outcome.trim().toUpperCase()),
                json.path("afterMs").asLong(0), json.path("times").asInt(0));
    }

    boolean matches(String methodType, String value, String requestId) {
        return (paymentMethodType == null || paymentMethodType.equals(methodType))
                && (amountValue == null || amountValue.equals(value))
                && (paymentRequestId == null || paymentRequestId.equals(requestId));
    }
}
