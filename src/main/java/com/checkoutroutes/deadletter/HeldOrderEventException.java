package com.checkoutroutes.deadletter;

/**
 * An order event that cannot be carried out yet, only later: its order's payment has no result yet. Its dead letter
 * is of type {@value #TYPE}, not a refusal: {@link HeldOrderEvents} re-drives it once the payment has one.
 */
public class HeldOrderEventException extends RejectedOrderException {

    /** The {@code type} of a held event's dead letter. */
    public static final String TYPE = "ORDER_EVENT_HELD";

    public HeldOrderEventException(String code, String message) {
        super(code, null, message);
    }

    @Override
    public String deadLetterType() {
        return TYPE;
    }
}
