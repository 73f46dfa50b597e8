package com.checkoutroutes.reconciliation;

/**
 * The file does not end with Antom's {@code <END>} line: it may still be arriving (a pull still writing it, a report
 * published late), so it is left for the next run rather than rejected for good.
 */
public class IncompleteReportException extends MalformedReportException {

    public IncompleteReportException(String message) {
        super(message);
    }
}
