package com.checkoutroutes.cardcapture;

import com.checkoutroutes.deadletter.RejectedOrderException;

/** An order event that does not fit the payment's state; it goes to the dead-letter topic, never to Antom. */
public class RefusedOrderEventException extends RejectedOrderException {

    public RefusedOrderEventException(String code, String message) {
        super(code, null, message);
    }

    @Override
    public String deadLetterType() {
        return "ORDER_EVENT_REFUSED";
    }
}
