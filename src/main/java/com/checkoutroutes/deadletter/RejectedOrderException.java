package com.checkoutroutes.deadletter;

import java.util.List;

/** An order that cannot become a payment; it goes to the dead-letter topic with these machine-readable reasons. */
public class RejectedOrderException extends RuntimeException {

    private final List<Violation> violations;

    public RejectedOrderException(List<Violation> violations) {
        super(violations.get(0).code() + ": " + violations.get(0).message());
        this.violations = List.copyOf(violations);
    }

    public RejectedOrderException(String code, String field, String message) {
        this(List.of(new Violation(code, field, message)));
    }

    /** The {@code type} of its dead letter. */
    public String deadLetterType() {
        return "ORDER_REJECTED";
    }

    public List<Violation> violations() {
        return violations;
    }

    public Violation reason() {
        return violations.get(0);
    }

    /** One thing wrong with an order. {@code field} is a JSON path such as {@code $.amount.value}, or null. */
    public record Violation(String code, String field, String message) {
    }
}
