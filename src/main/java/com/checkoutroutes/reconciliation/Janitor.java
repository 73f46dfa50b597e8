package com.checkoutroutes.reconciliation;

import com.alipay.global.api.model.ResultStatusType;
import com.alipay.global.api.model.ams.Amount;
import com.alipay.global.api.model.ams.Transaction;
import com.alipay.global.api.model.ams.TransactionStatusType;
import com.alipay.global.api.model.ams.TransactionType;
import com.alipay.global.api.request.ams.pay.AlipayPayQueryRequest;
import com.alipay.global.api.response.ams.pay.AlipayPayQueryResponse;
import com.checkoutroutes.cardcapture.CardAuthorisations;
import com.checkoutroutes.gateway.AntomGateway;
import com.checkoutroutes.gateway.CallOutcome;
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentEvents;
import com.checkoutroutes.ledger.PaymentLedger;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.ledger.Transition;
import com.checkoutroutes.notifications.AntomNotification;
import com.checkoutroutes.notifications.NotificationApplier;
import com.checkoutroutes.scheduling.JobRuns.Report;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The janitor: resolves attempts left requested, pending, unknown or capture-requested by asking Antom
 * ({@code inquiryPayment}) on a backoff schedule, and applies the answer exactly as a notification would be
 * applied. Past its expiry (plus a grace period) an attempt still processing is cancelled at Antom and closed, so a
 * late payment cannot succeed unseen.
 */
@Component
public class Janitor {

    private static final Logger LOG = LoggerFactory.getLogger(Janitor.class);

    private final PaymentLedger ledger;
    private final AntomGateway gateway;
    private final NotificationApplier applier;
    private final CardAuthorisations cards;
    private final PaymentEvents events;
    private final TransactionTemplate tx;
    private final JanitorSettings settings;
    private final Clock clock;

    public Janitor(PaymentLedger ledger, AntomGateway gateway, NotificationApplier applier, CardAuthorisations cards,
            PaymentEvents events, TransactionTemplate tx, JanitorSettings settings, Clock clock) {
        this.ledger = ledger;
        this.gateway = gateway;
        this.applier = applier;
        this.cards = cards;
        this.events = events;
        this.tx = tx;
        this.settings = settings;
        this.clock = clock;
    }

    public Report run() {
        OffsetDateTime now = OffsetDateTime.now(clock);
        List<PaymentAttempt> due = ledger.dueForCheck(now, settings.batchSize());
        int looked = 0;
        int changed = 0;
        List<String> changes = new ArrayList<>();
        for (PaymentAttempt attempt : due) {
            if (attempt.nextCheckAt() == null) {
                OffsetDateTime first = attempt.updatedAt().plus(firstCheck(attempt.state()));
                if (first.isAfter(now) && !expired(attempt, now)) {
                    ledger.scheduleCheck(attempt.paymentRequestId(), first, false);
                    continue;
                }
            }
            looked++;
            try {
                Optional<PaymentState> result = check(attempt, now);
                if (result.isPresent()) {
                    changed++;
                    changes.add(attempt.paymentRequestId() + ":" + attempt.state() + "->" + result.get());
                }
            } catch (RuntimeException e) {
                LOG.warn("janitor could not resolve {}: {}", attempt.paymentRequestId(), e.toString());
                ledger.scheduleCheck(attempt.paymentRequestId(), now.plus(settings.delayAfter(attempt.checkCount())),
                        true);
            }
        }
        return new Report(looked, changed, String.join(", ", changes));
    }

    /** Asks Antom about one attempt; returns its new state when it changed. */
    Optional<PaymentState> check(PaymentAttempt attempt, OffsetDateTime now) {
        String prid = attempt.paymentRequestId();
        AlipayPayQueryRequest request = new AlipayPayQueryRequest();
        request.setPaymentRequestId(prid);
        request.setPaymentId(attempt.paymentId());
        CallOutcome<AlipayPayQueryResponse> outcome = gateway.call("inquiryPayment", prid, request);
        if (outcome instanceof CallOutcome.Answered<AlipayPayQueryResponse> answered
                && answered.status() == ResultStatusType.S && answered.response().getPaymentStatus() != null) {
            AlipayPayQueryResponse response = answered.response();
            Optional<PaymentState> applied = apply(attempt, response);
            if (applied.isPresent()) {
                return applied;
            }
        } else if (outcome instanceof CallOutcome.Answered<AlipayPayQueryResponse> answered
                && "ORDER_NOT_EXIST".equals(answered.code()) && expired(attempt, now)) {
            // Antom never created it and its time is over: nothing can be paid any more
            return Optional.of(close(attempt, PaymentState.EXPIRED, "NOT_FOUND_AT_ANTOM"));
        }
        if (expired(attempt, now) && attempt.state() != PaymentState.CAPTURE_REQUESTED) {
            return expire(attempt);
        }
        ledger.scheduleCheck(prid, now.plus(settings.delayAfter(attempt.checkCount())), true);
        return Optional.empty();
    }

    private Optional<PaymentState> apply(PaymentAttempt attempt, AlipayPayQueryResponse response) {
        TransactionStatusType status = response.getPaymentStatus();
        if (attempt.state() == PaymentState.CAPTURE_REQUESTED
                || (attempt.isCard() && status == TransactionStatusType.SUCCESS)) {
            Optional<Transaction> capture = transaction(response, TransactionType.CAPTURE);
            if (capture.isPresent() && capture.get().getTransactionStatus() != TransactionStatusType.PROCESSING) {
                if (attempt.state() == PaymentState.CAPTURE_REQUESTED || attempt.state() == PaymentState.SUCCEEDED) {
                    return applyNotification(attempt, captureResult(attempt, response, capture.get()));
                }
            }
            if (attempt.state() == PaymentState.CAPTURE_REQUESTED) {
                return Optional.empty();
            }
        }
        return switch (status) {
            case SUCCESS, FAIL -> applyNotification(attempt, paymentResult(response, status));
            case CANCELLED -> Optional.of(close(attempt, PaymentState.CANCELLED, "INQUIRY_CANCELLED"));
            default -> Optional.empty();
        };
    }

    private Optional<PaymentState> applyNotification(PaymentAttempt attempt, AntomNotification result) {
        return tx.execute(status -> {
            PaymentAttempt locked = ledger.lock(attempt.paymentRequestId()).orElseThrow();
            PaymentState before = locked.state();
            applier.applyResult(locked, result, "INQUIRY");
            PaymentState after = ledger.find(attempt.paymentRequestId()).orElseThrow().state();
            return after != before ? Optional.of(after) : Optional.<PaymentState>empty();
        });
    }

    /** Past expiry: cancel at Antom, so a payment made now would be refused, and close the attempt. */
    private Optional<PaymentState> expire(PaymentAttempt attempt) {
        if (attempt.paymentId() == null && attempt.state() != PaymentState.PENDING) {
            return Optional.of(close(attempt, PaymentState.EXPIRED, "EXPIRED_NEVER_CREATED"));
        }
        if (cards.cancelAtAntom(attempt, "EXPIRED_CANCELLED", PaymentState.EXPIRED)) {
            return Optional.of(PaymentState.EXPIRED);
        }
        ledger.scheduleCheck(attempt.paymentRequestId(),
                OffsetDateTime.now(clock).plus(settings.delayAfter(attempt.checkCount())), true);
        return Optional.empty();
    }

    private PaymentState close(PaymentAttempt attempt, PaymentState target, String cause) {
        PaymentAttempt current = ledger.find(attempt.paymentRequestId()).orElseThrow();
        ledger.apply(attempt.paymentRequestId(), Transition.to(target, cause).confirmed()
                .emit(events.stateChanged(current, current.state(), target, cause, current.paymentId(), null, null)));
        return target;
    }

    /** Only attempts still waiting for the buyer or for Antom expire; a paid one never does. */
    private boolean expired(PaymentAttempt attempt, OffsetDateTime now) {
        return attempt.state().isOpen() && attempt.expiresAt() != null
                && now.isAfter(attempt.expiresAt().plus(settings.expiryGrace()));
    }

    /**
     * Confirms an attempt's result with Antom now (the docs' "before shipping" check) and applies what Antom says.
     * False when Antom could not be asked.
     */
    public boolean confirm(PaymentAttempt attempt) {
        AlipayPayQueryRequest request = new AlipayPayQueryRequest();
        request.setPaymentRequestId(attempt.paymentRequestId());
        request.setPaymentId(attempt.paymentId());
        CallOutcome<AlipayPayQueryResponse> outcome = gateway.call("inquiryPayment", attempt.paymentRequestId(),
                request);
        if (outcome instanceof CallOutcome.Answered<AlipayPayQueryResponse> answered
                && answered.status() == ResultStatusType.S && answered.response().getPaymentStatus() != null) {
            apply(attempt, answered.response());
            return true;
        }
        return false;
    }

    private Duration firstCheck(PaymentState state) {
        return switch (state) {
            case PENDING -> settings.firstCheck().pending();
            case UNKNOWN -> settings.firstCheck().unknown();
            case CAPTURE_REQUESTED -> settings.firstCheck().captureRequested();
            default -> settings.firstCheck().requested();
        };
    }

    private static Optional<Transaction> transaction(AlipayPayQueryResponse response, TransactionType type) {
        return response.getTransactions() == null ? Optional.empty()
                : response.getTransactions().stream().filter(t -> t.getTransactionType() == type).findFirst();
    }

    private static AntomNotification paymentResult(AlipayPayQueryResponse response, TransactionStatusType status) {
        boolean success = status == TransactionStatusType.SUCCESS;
        Amount amount = response.getPaymentAmount();
        return new AntomNotification(AntomNotification.PAYMENT_RESULT, success ? "S" : "F",
                success ? "SUCCESS" : response.getPaymentResultCode(), response.getPaymentResultMessage(),
                response.getPaymentRequestId(), response.getPaymentId(), null, null,
                amount == null ? null : amount.getCurrency(), amount == null ? null : amount.getValue());
    }

    private static AntomNotification captureResult(PaymentAttempt attempt, AlipayPayQueryResponse response,
            Transaction capture) {
        boolean success = capture.getTransactionStatus() == TransactionStatusType.SUCCESS;
        Amount amount = capture.getTransactionAmount();
        return new AntomNotification(AntomNotification.CAPTURE_RESULT, success ? "S" : "F",
                success ? "SUCCESS" : "CAPTURE_FAILED", null, attempt.paymentRequestId(), response.getPaymentId(),
                capture.getTransactionRequestId(), capture.getTransactionId(),
                amount == null ? null : amount.getCurrency(), amount == null ? null : amount.getValue());
    }
}
