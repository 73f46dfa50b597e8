package com.checkoutroutes.gateway;

import com.alipay.global.api.exception.AlipayApiException;

/** A call whose outcome is unknown: it may or may not have reached Antom. Retried with the same request. */
public class AntomCallException extends AlipayApiException {

    public enum Kind { TIMEOUT, IO, HTTP_STATUS, UNVERIFIED_RESPONSE, MALFORMED_RESPONSE }

    private final Kind kind;

    public AntomCallException(Kind kind, String message, Throwable cause) {
        super(kind + ": " + message, cause);
        this.kind = kind;
    }

    public AntomCallException(Kind kind, String message) {
        this(kind, message, null);
    }

    public Kind kind() {
        return kind;
    }
}
