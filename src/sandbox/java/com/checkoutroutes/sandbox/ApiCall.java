package com.checkoutroutes.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One API request as received, for the control API (tests count retries with it). */
public record ApiCall(String api, String path, String clientId, String paymentRequestId, boolean signatureValid,
                      String time, int httpStatus, String resultStatus, String resultCode, String fault) {

    public ObjectNode toJson() {
        ObjectNode node = Json.object();
        node.put("api", api);
        node.put("path", path);
        node.put("clientId", clientId);
        node.put("paymentRequestId", paymentRequestId);
        node.put("signatureValid", signatureValid);
        node.put("time", time);
        node.put("httpStatus", httpStatus);
        node.put("resultStatus", resultStatus);
        node.put("resultCode", resultCode);
        node.put("fault", fault);
        return node;
    }
}
