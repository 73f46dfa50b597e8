package com.checkoutroutes.ledger;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** One payment attempt as stored: a row of {@code payment_attempt}. */
public record PaymentAttempt(
        String paymentRequestId,
        String orderId,
        int attemptNo,
        Integration integration,
        String paymentMethodType,
        long amountValue,
        String currency,
        String captureMode,
        String terminalType,
        String osType,
        PaymentState state,
        String paymentId,
        String resultCode,
        String resultMessage,
        OffsetDateTime expiresAt,
        String requestJson,
        String continuationJson,
        boolean flagged,
        String flagReason,
        int version,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt,
        String captureRequestId,
        String captureId,
        int checkCount,
        OffsetDateTime nextCheckAt,
        OffsetDateTime confirmedAt,
        OffsetDateTime paidAt) {

    public enum Integration {
        /** APIs-only: {@code pay} returns the continuation links */
        API,
        /** SDK: {@code createPaymentSession} returns paymentSessionData for the client SDK */
        SDK
    }

    public boolean isCard() {
        return "CARD".equals(paymentMethodType);
    }

    /**
     * Whether an order message's attempt asks for this very payment: the same amount, currency, method, integration
     * and capture mode (a card's MANUAL or AUTOMATIC: money held until shipment, or taken at once). A redelivery or a
     * repeat does; an attempt number reused for other terms is refused, never paid. An order naming no method (its
     * buyer chose this attempt's, and how to pay with it: API or SDK) asks for it with the same amount and currency.
     */
    public boolean hasTerms(long amountValue, String currency, String paymentMethodType, Integration integration,
            String captureMode) {
        return this.amountValue == amountValue && this.currency.equals(currency)
                && (paymentMethodType == null || Objects.equals(this.paymentMethodType, paymentMethodType)
                        && this.integration == integration && Objects.equals(this.captureMode, captureMode));
    }

    /** Of one order's attempts, the one with this number, if there is one. */
    public static Optional<PaymentAttempt> numbered(List<PaymentAttempt> attempts, int attemptNo) {
        return attempts.stream().filter(a -> a.attemptNo() == attemptNo).findFirst();
    }

    /** The flag of a result Antom reports that contradicts the ledger (a payment or capture of a closed attempt). */
    public static final String CONFLICTING_RESULT = "CONFLICTING_RESULT";
    /** The flag of a second payment of an order, to be given back. */
    public static final String DUPLICATE_PAYMENT = "DUPLICATE_PAYMENT";
    /**
     * The note (and flag) of a second payment not given back while its order's own payment could still be cancelled:
     * an operator's, until that cancel is over (results.DuplicatePaymentCanceller).
     */
    public static final String DUPLICATE_NOT_GIVEN_BACK = "DUPLICATE_NOT_GIVEN_BACK";
    /** The dead-letter reason of an order event held until its order's payment has a result. */
    public static final String PAYMENT_NOT_KNOWN_YET = "PAYMENT_NOT_KNOWN_YET";

    /** Flagged, and {@code code} is in the flag's reasons. */
    public boolean flaggedWith(String code) {
        return flagged && flagReason != null && flagReason.contains(code);
    }

    /** The authorisation guard's alert ({@code ALERT} policy): capture or cancel it before Antom releases it. */
    public static final String EXPIRY_ALERT = "AUTHORISATION_EXPIRING";

    /**
     * Flagged for something an operator must look into first: anything but the authorisation guard's alert of an
     * authorisation Antom is about to release, which the capture or the cancel it asks for answers. The guard does not
     * capture such a payment, and its order does not ship ({@link #flaggedAgainstCapture} for a shipment's capture).
     */
    public boolean flaggedForOperator() {
        return flaggedFor(reason -> !reason.startsWith(EXPIRY_ALERT));
    }

    /**
     * {@link #flaggedForOperator}, for a capture the order system asks for: the ledger's own flag of a capture that
     * failed aside too, as a new shipment event captures again (with a new captureRequestId).
     */
    public boolean flaggedAgainstCapture() {
        return flaggedFor(reason -> !reason.startsWith(EXPIRY_ALERT) && !reason.startsWith(CAPTURE_FAILED));
    }

    /** The ledger's flag of a capture that failed ({@code PaymentLedger}). */
    public static final String CAPTURE_FAILED = "CAPTURE_FAILED";

    /** What stands between a flag's reasons (PaymentLedger adds each new one after the others). */
    static final String REASONS_APART = " | ";

    /** The reasons the attempt is flagged for, in the order they were added; none when it is not flagged. */
    public List<String> flagReasons() {
        return !flagged || flagReason == null ? List.of()
                : List.of(flagReason.split(java.util.regex.Pattern.quote(REASONS_APART)));
    }

    /** Flagged for at least one reason that {@code counts} (or for none given). */
    private boolean flaggedFor(java.util.function.Predicate<String> counts) {
        return flagged && (flagReason == null || flagReasons().stream().anyMatch(counts));
    }

    /** Antom releases a card authorisation that is not captured within 7 days of it (Antom's card docs). */
    public static final Duration AUTHORISATION_LIFETIME = Duration.ofDays(7);

    /**
     * When Antom releases this authorisation if it is not captured: 7 days after it was paid as this service learnt
     * it (never earlier than Antom's own time); null when not paid.
     */
    public OffsetDateTime authorisationReleasedAt() {
        return paidAt == null ? null : paidAt.plus(AUTHORISATION_LIFETIME);
    }

    /**
     * Of one order's attempts, the payment the order keeps: the one paid first (by {@code paidAt}, then attempt
     * number). Every other paid one is a second payment, to be given back: the one that became paid while another was
     * paid already, as {@code results.ResultApplier} flags it (and dates it after the other, whatever the clocks of
     * the instances that paid them). Captures, refunds and the console's give-back all ask this. Empty when none is
     * paid.
     */
    public static Optional<PaymentAttempt> ordersOwnPayment(List<PaymentAttempt> attempts) {
        // paidAt is set once, when an attempt first becomes paid; only rows paid before it existed (V3) have none,
        // and those were paid before any that has one
        return attempts.stream().filter(a -> a.state().isPaid())
                .min(Comparator.comparing(PaymentAttempt::paidAt, Comparator.nullsFirst(Comparator.naturalOrder()))
                        .thenComparing(PaymentAttempt::attemptNo));
    }

    /**
     * Whether an order without a paid payment may still get one: one of its attempts has no result yet (Antom may
     * have taken the money already). What needs the order paid (a capture, a return) is then held, not refused
     * ({@code PAYMENT_NOT_KNOWN_YET}), and read again once the result is known (routes/schedules.yaml). The same
     * states as {@code {{ledger:open}}}.
     */
    public static boolean resultAwaitedAmong(List<PaymentAttempt> attempts) {
        return attempts.stream().anyMatch(a -> a.state().isOpen());
    }

    /** Paid, and not the payment its order keeps ({@link #ordersOwnPayment}): a second payment, to be given back. */
    public boolean isSecondPaymentAmong(List<PaymentAttempt> ofOrder) {
        return state.isPaid() && ordersOwnPayment(ofOrder)
                .filter(own -> !own.paymentRequestId().equals(paymentRequestId)).isPresent();
    }

    /** An attempt built by name: {@code PaymentAttempt.builder().paymentRequestId(id)...build()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this attempt's values, to build a changed copy. */
    public Builder toBuilder() {
        return new Builder()
                .paymentRequestId(paymentRequestId)
                .orderId(orderId)
                .attemptNo(attemptNo)
                .integration(integration)
                .paymentMethodType(paymentMethodType)
                .amountValue(amountValue)
                .currency(currency)
                .captureMode(captureMode)
                .terminalType(terminalType)
                .osType(osType)
                .state(state)
                .paymentId(paymentId)
                .resultCode(resultCode)
                .resultMessage(resultMessage)
                .expiresAt(expiresAt)
                .requestJson(requestJson)
                .continuationJson(continuationJson)
                .flagged(flagged)
                .flagReason(flagReason)
                .version(version)
                .createdAt(createdAt)
                .updatedAt(updatedAt)
                .captureRequestId(captureRequestId)
                .captureId(captureId)
                .checkCount(checkCount)
                .nextCheckAt(nextCheckAt)
                .confirmedAt(confirmedAt)
                .paidAt(paidAt);
    }

    /** Sets every field by name; what is not set stays null, zero or false. */
    public static final class Builder {
        private String paymentRequestId;
        private String orderId;
        private int attemptNo;
        private Integration integration;
        private String paymentMethodType;
        private long amountValue;
        private String currency;
        private String captureMode;
        private String terminalType;
        private String osType;
        private PaymentState state;
        private String paymentId;
        private String resultCode;
        private String resultMessage;
        private OffsetDateTime expiresAt;
        private String requestJson;
        private String continuationJson;
        private boolean flagged;
        private String flagReason;
        private int version;
        private OffsetDateTime createdAt;
        private OffsetDateTime updatedAt;
        private String captureRequestId;
        private String captureId;
        private int checkCount;
        private OffsetDateTime nextCheckAt;
        private OffsetDateTime confirmedAt;
        private OffsetDateTime paidAt;

        private Builder() {
        }

        /** The terms an attempt is opened with: everything {@link NewAttempt} holds. */
        public Builder terms(NewAttempt attempt) {
            return paymentRequestId(attempt.paymentRequestId()).orderId(attempt.orderId())
                    .attemptNo(attempt.attemptNo()).integration(attempt.integration())
                    .paymentMethodType(attempt.paymentMethodType()).amountValue(attempt.amountValue())
                    .currency(attempt.currency()).captureMode(attempt.captureMode())
                    .terminalType(attempt.terminalType()).osType(attempt.osType()).expiresAt(attempt.expiresAt())
                    .requestJson(attempt.requestJson());
        }

        public Builder paymentRequestId(String paymentRequestId) {
            this.paymentRequestId = paymentRequestId;
            return this;
        }

        public Builder orderId(String orderId) {
            this.orderId = orderId;
            return this;
        }

        public Builder attemptNo(int attemptNo) {
            this.attemptNo = attemptNo;
            return this;
        }

        public Builder integration(Integration integration) {
            this.integration = integration;
            return this;
        }

        public Builder paymentMethodType(String paymentMethodType) {
            this.paymentMethodType = paymentMethodType;
            return this;
        }

        public Builder amountValue(long amountValue) {
            this.amountValue = amountValue;
            return this;
        }

        public Builder currency(String currency) {
            this.currency = currency;
            return this;
        }

        public Builder captureMode(String captureMode) {
            this.captureMode = captureMode;
            return this;
        }

        public Builder terminalType(String terminalType) {
            this.terminalType = terminalType;
            return this;
        }

        public Builder osType(String osType) {
            this.osType = osType;
            return this;
        }

        public Builder state(PaymentState state) {
            this.state = state;
            return this;
        }

        public Builder paymentId(String paymentId) {
            this.paymentId = paymentId;
            return this;
        }

        public Builder resultCode(String resultCode) {
            this.resultCode = resultCode;
            return this;
        }

        public Builder resultMessage(String resultMessage) {
            this.resultMessage = resultMessage;
            return this;
        }

        public Builder expiresAt(OffsetDateTime expiresAt) {
            this.expiresAt = expiresAt;
            return this;
        }

        public Builder requestJson(String requestJson) {
            this.requestJson = requestJson;
            return this;
        }

        public Builder continuationJson(String continuationJson) {
            this.continuationJson = continuationJson;
            return this;
        }

        public Builder flagged(boolean flagged) {
            this.flagged = flagged;
            return this;
        }

        public Builder flagReason(String flagReason) {
            this.flagReason = flagReason;
            return this;
        }

        public Builder version(int version) {
            this.version = version;
            return this;
        }

        public Builder createdAt(OffsetDateTime createdAt) {
            this.createdAt = createdAt;
            return this;
        }

        public Builder updatedAt(OffsetDateTime updatedAt) {
            this.updatedAt = updatedAt;
            return this;
        }

        public Builder captureRequestId(String captureRequestId) {
            this.captureRequestId = captureRequestId;
            return this;
        }

        public Builder captureId(String captureId) {
            this.captureId = captureId;
            return this;
        }

        public Builder checkCount(int checkCount) {
            this.checkCount = checkCount;
            return this;
        }

        public Builder nextCheckAt(OffsetDateTime nextCheckAt) {
            this.nextCheckAt = nextCheckAt;
            return this;
        }

        public Builder confirmedAt(OffsetDateTime confirmedAt) {
            this.confirmedAt = confirmedAt;
            return this;
        }

        public Builder paidAt(OffsetDateTime paidAt) {
            this.paidAt = paidAt;
            return this;
        }

        public PaymentAttempt build() {
            return new PaymentAttempt(paymentRequestId, orderId, attemptNo, integration, paymentMethodType,
                    amountValue, currency, captureMode, terminalType, osType, state, paymentId, resultCode,
                    resultMessage, expiresAt, requestJson, continuationJson, flagged, flagReason, version, createdAt,
                    updatedAt, captureRequestId, captureId, checkCount, nextCheckAt, confirmedAt, paidAt);
        }
    }
}
