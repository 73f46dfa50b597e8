package com.checkoutroutes.gateway;

import com.alipay.global.api.model.ResultStatusType;
import com.alipay.global.api.response.AlipayResponse;

/**
 * What a gateway call ended with: an answer from Antom (S, F, or a U that is an answer, like PAYMENT_IN_PROCESS),
 * or an unknown outcome after the retries ran out.
 */
public sealed interface CallOutcome<T extends AlipayResponse> {

    record Answered<T extends AlipayResponse>(T response, int attempts) implements CallOutcome<T> {
        public ResultStatusType status() {
            return response.getResult().getResultStatus();
        }

        public String code() {
            return response.getResult().getResultCode();
        }

        public String message() {
            return response.getResult().getResultMessage();
        }
    }

    record Unknown<T extends AlipayResponse>(String reason, int attempts) implements CallOutcome<T> {
    }
}
