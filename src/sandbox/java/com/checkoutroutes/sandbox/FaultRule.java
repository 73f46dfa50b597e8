package com.checkoutroutes.sandbox;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One fault: which API (null = any) and paymentRequestId (null = any) it hits, what it does, and how many times
 * ({@code times <= 0} = until cleared). {@code httpStatus} only matters for HTTP_5XX (default 503).
 */
public record FaultRule(String api, String paymentRequestId, FaultType type, long delayMs, int times,
                        int httpStatus) {

    public static FaultRule of(FaultType type) {
        return new FaultRule(null, null, type, 0, 1, 0);
    }

    public FaultRule forApi(String newApi) {
        return new FaultRule(newApi, paymentRequestId, type, delayMs, times, httpStatus);
    }

    public FaultRule forPaymentRequestId(String id) {
        return new FaultRule(api, id, type, delayMs, times, httpStatus);
    }

    public FaultRule withDelayMs(long newDelayMs) {
        return new FaultRule(api, paymentRequestId, type, newDelayMs, times, httpStatus);
    }

    public FaultRule withTimes(int newTimes) {
        return new FaultRule(api, paymentRequestId, type, delayMs, newTimes, httpStatus);
    }

    public FaultRule withHttpStatus(int status) {
        return new FaultRule(api, paymentRequestId, type, delayMs, times, status);
    }

    /** {@code {"api":"pay","paymentRequestId":"..","type":"LATENCY","delayMs":200,"times":1,"httpStatus":503}}. */
    public static FaultRule fromJson(JsonNode json) {
        String typeText = Json.text(json, "type");
        if (typeText == null) {
            throw new IllegalArgumentException("fault needs a type");
        }
        FaultType type = FaultType.valueOf(typeText.trim().toUpperCase());
        JsonNode times = json.get("times");
        return new FaultRule(Json.text(json, "api"), Json.text(json, "paymentRequestId"), type,
                json.path("delayMs").asLong(0), times == null ? 1 : times.asInt(1), json.path("httpStatus").asInt(0));
    }
}
