package com.checkoutroutes.notifications;

import com.checkoutroutes.ledger.DatabaseOutage;
import com.checkoutroutes.notifications.NotificationApplier.Applied;
import com.checkoutroutes.platform.LogIds;
import com.checkoutroutes.platform.QuietLog;
import com.checkoutroutes.results.AntomResult;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;

/**
 * The steps of the notification route: receive the raw body, verify its signature, recognise a resend, apply it
 * to the ledger, answer. Logs carry ids and outcomes, never bodies or signatures.
 */
@Component
public class NotificationIntake {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationIntake.class);
    /** Rejections are anyone's to cause: a line per reason code every 10 s at most. */
    private final QuietLog rejectedLog = new QuietLog(java.time.Duration.ofSeconds(10));
    /** Resends: Antom's own, and copies of a signed one anyone who saw it may post again (the metric counts all). */
    private final QuietLog resendLog = new QuietLog(java.time.Duration.ofSeconds(10));
    /** The acknowledgement Antom expects, byte for byte. */
    public static final String SUCCESS =
            "{\"result\":{\"resultCode\":\"SUCCESS\",\"resultStatus\":\"S\",\"resultMessage\":\"success\"}}";
    static final String RAW = "checkoutNotificationRaw";
    static final String TEXT = "checkoutNotificationText";
    static final String NOTIFICATION = "checkoutNotification";

    private final NotificationVerifier verifier;
    private final NotificationReader reader;
    private final NotificationApplier applier;
    private final MeterRegistry meters;
    private final DatabaseOutage database;

    public NotificationIntake(NotificationVerifier verifier, NotificationReader reader, NotificationApplier applier,
            MeterRegistry meters, DatabaseOutage database) {
        this.verifier = verifier;
        this.reader = reader;
        this.applier = applier;
        this.meters = meters;
        this.database = database;
    }

    /** Keeps the exact bytes Antom signed and their text; nothing may reformat them before the signature is checked. */
    public void receive(Exchange exchange) {
        byte[] raw = exchange.getIn().getBody(byte[].class);
        exchange.setProperty(RAW, raw);
        exchange.setProperty(TEXT, reader.text(raw));
    }

    public void verify(Exchange exchange) {
        verifier.verify(exchange.getIn().getHeader("client-id", String.class),
                exchange.getIn().getHeader("request-time", String.class),
                exchange.getIn().getHeader("signature", String.class), exchange.getProperty(RAW, byte[].class));
        exchange.setProperty(NOTIFICATION, reader.read(exchange.getProperty(TEXT, String.class)));
    }

    /** True when this content was accepted before (Antom resends until it hears SUCCESS). */
    public boolean isDuplicate(Exchange exchange) {
        AntomResult n = exchange.getProperty(NOTIFICATION, AntomResult.class);
        if (!database.worthTrying()) {
            // the database failed a moment ago: 503 now (Antom resends), not after another wait on the pool
            throw new DatabaseOutage.StillDown();
        }
        boolean duplicate = applier.isDuplicate(n);
        database.worked("notifications");
        if (duplicate) {
            count("duplicate", n.notifyType());
            long leftOut = resendLog.admit(n.notifyType());
            if (leftOut >= 0) {
                LOG.info("notification {} for {} is a resend: no change{}", n.notifyType(), n.paymentRequestId(),
                        QuietLog.more(leftOut));
            } else {
                LOG.debug("notification {} for {} is a resend: no change", n.notifyType(), n.paymentRequestId());
            }
        }
        return duplicate;
    }

    public void apply(Exchange exchange) {
        AntomResult n = exchange.getProperty(NOTIFICATION, AntomResult.class);
        try (LogIds ids = LogIds.of(null, n.paymentRequestId(), n.paymentId())) {
            Applied applied = applier.apply(n, exchange.getProperty(TEXT, String.class));
            String outcome = applied.duplicate() ? "duplicate" : applied.outcome().name().toLowerCase();
            count(outcome, n.notifyType());
            LOG.info("notification {} {} {} for payment {} ({}): {}", n.notifyType(),
                    n.isDispute() ? n.disputeNotificationType() : n.resultStatus(),
                    n.isDispute() ? n.disputeId() : n.resultCode(), applied.paymentRequestId(), n.paymentId(), outcome);
        }
    }

    /** Answers an accepted notification (only once its effect is durable). */
    public String answer(Exchange exchange) {
        exchange.getIn().removeHeaders("*");
        exchange.getIn().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getIn().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        return SUCCESS;
    }

    /** Answers a rejected or failed notification with an error, so nothing is acknowledged that did not happen. */
    public String refuse(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        int status = 500;
        String code = "PROCESS_FAIL";
        if (cause instanceof RejectedNotificationException rejected) {
            status = rejected.httpStatus();
            code = rejected.code();
            count("rejected", code);
            // the message names a field or a limit, never a value from the body
            // the client-id is the caller's, unverified: quoted short, so no stranger writes kilobytes into the log;
            // a line per code every 10 s at most (anyone may post here: the counter has them all)
            long leftOut = rejectedLog.admit(code);
            if (leftOut >= 0) {
                LOG.warn("notification rejected: {} (client-id {}, {} bytes){}", rejected.getMessage(),
                        LogIds.quoted(exchange.getIn().getHeader("client-id", String.class)),
                        exchange.getProperty(RAW, byte[].class) == null ? 0
                                : exchange.getProperty(RAW, byte[].class).length, QuietLog.more(leftOut));
            }
        } else if (cause instanceof DatabaseOutage.StillDown) {
            status = 503;
            count("error", "DatabaseDown");
        } else if (cause instanceof DataAccessException || cause instanceof TransactionException) {
            status = 503;
            count("error", cause.getClass().getSimpleName());
            // Antom resends; one line when the database goes and one when it is back, not one per notification
            database.failed("notifications", cause);
        } else {
            status = 503;
            count("error", cause == null ? "unknown" : cause.getClass().getSimpleName());
            LOG.error("notification not applied, Antom will resend: {}", cause == null ? "?" : cause.toString());
        }
        exchange.getIn().removeHeaders("*");
        exchange.getIn().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getIn().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        return "{\"result\":{\"resultCode\":\"" + code + "\",\"resultStatus\":\"F\",\"resultMessage\":\"not accepted\"}}";
    }

    private void count(String outcome, String detail) {
        meters.counter("checkout.notifications", "outcome", outcome, "detail", detail == null ? "" : detail)
                .increment();
    }
}
