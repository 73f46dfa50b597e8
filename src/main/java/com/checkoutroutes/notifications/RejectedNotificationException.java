package com.checkoutroutes.notifications;

/** A notification that changes nothing: answered with {@code httpStatus} and an error body, never Antom's SUCCESS. */
public class RejectedNotificationException extends RuntimeException {

    private final int httpStatus;
    private final String code;

    public RejectedNotificationException(int httpStatus, String code, String message) {
        super(code + ": " + message);
        this.httpStatus = httpStatus;
        this.code = code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String code() {
        return code;
    }
}
