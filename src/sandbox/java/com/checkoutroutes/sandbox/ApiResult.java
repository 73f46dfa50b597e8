package com.checkoutroutes.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Antom's {@code result} object: resultStatus S (done), F (final failure) or U (unknown / in process). */
public record ApiResult(String resultStatus, String resultCode, String resultMessage) {

    public static final ApiResult SUCCESS = s("SUCCESS", "success");
    public static final ApiResult PAYMENT_IN_PROCESS = new ApiResult("U", "PAYMENT_IN_PROCESS", "payment in process");
    public static final ApiResult UNKNOWN_EXCEPTION = new ApiResult("U", "UNKNOWN_EXCEPTION",
            "An API call has failed, which is caused by unknown reasons.");
    public static final ApiResult ORDER_IS_CLOSED = f("ORDER_IS_CLOSED", "The order is closed.");
    public static final ApiResult ORDER_NOT_EXIST = f("ORDER_NOT_EXIST", "The order does not exist.");
    public static final ApiResult INVALID_SIGNATURE = f("INVALID_SIGNATURE",
            "The signature is not validated. The private key used to sign a request does not match the public key.");
    public static final ApiResult INVALID_CLIENT = f("INVALID_CLIENT", "The client is invalid.");
    public static final ApiResult REPEAT_REQ_INCONSISTENT = f("REPEAT_REQ_INCONSISTENT",
            "The submitted request is inconsistent with the previous request that has the same request ID.");

    public static ApiResult s(String code, String message) {
        return new ApiResult("S", code, message);
    }

    public static ApiResult f(String code, String message) {
        return new ApiResult("F", code, message);
    }

    public static ApiResult paramIllegal(String message) {
        return f("PARAM_ILLEGAL", message);
    }

    public ObjectNode toJson() {
        ObjectNode node = Json.object();
        node.put("resultCode", resultCode);
        node.put("resultStatus", resultStatus);
        node.put("resultMessage", resultMessage);
        return node;
    }
}
