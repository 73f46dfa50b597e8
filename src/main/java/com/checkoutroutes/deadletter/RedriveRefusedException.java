package com.checkoutroutes.deadletter;

/** A re-drive the rules do not allow; nothing was sent and nothing changed. {@code code} says which rule. */
public class RedriveRefusedException extends RuntimeException {

    private final String code;

    public RedriveRefusedException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
