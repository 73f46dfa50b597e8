package com.checkoutroutes.reconciliation;

/** The whole file is rejected: nothing in it is reconciled. */
public class MalformedReportException extends RuntimeException {

    public MalformedReportException(String message) {
        super(message);
    }
}
