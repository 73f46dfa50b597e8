package com.checkoutroutes.results;

/**
 * A cancellation found, under the payment's lock, a capture requested since the payment was read (a shipment's, the
 * authorisation guard's): no cancel went out, as it could void the capture after the goods left. Decide once the
 * capture's result is known.
 */
public class CaptureOnItsWayException extends RuntimeException {

    public CaptureOnItsWayException(String paymentRequestId) {
        super("a capture of payment " + paymentRequestId + " was requested meanwhile; cancel after its result is known");
    }
}
