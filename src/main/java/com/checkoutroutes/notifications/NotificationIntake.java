package com.checkoutroutes.notifications;

import com.checkoutroutes.notifications.NotificationApplier.Applied;
import com.checkoutroutes.platform.LogIds;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The steps of the notification route: receive the raw body, verify its signature, recognise a resend, apply it
 * to the ledger, answer. Logs carry ids and outcomes, never bodies or signatures.
 */
@Component
public class NotificationIntake {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationIntake.class);
    /** The acknowledgement Antom expects, byte for byte. */
    public static final String SUCCESS =
            "{\"result\":{\"resultCode\":\"SUCCESS\",\"resultStatus\":\"S\",\"resultMessage\":\"success\"}}";
    static final String RAW = "checkoutNotificationRaw";
    static final String NOTIFICATION = "checkoutNotification";

    private final NotificationVerifier verifier;
    private final NotificationApplier applier;
    private final ObjectMapper json;
    private final MeterRegistry meters;
    private final int maxBytes;

    public NotificationIntake(NotificationVerifier verifier, NotificationApplier applier, ObjectMapper json,
            MeterRegistry meters, @Value("${checkout.notifications.max-bytes:65536}") int maxBytes) {
        this.verifier = verifier;
        this.applier = applier;
        this.json = json;
        this.meters = meters;
        this.maxBytes = maxBytes;
    }

    /** Keeps the exact bytes Antom signed; nothing may reformat them before the signature is checked. */
    public void receive(Exchange exchange) {
        byte[] raw = exchange.getIn().getBody(byte[].class);
        if (raw == null || raw.length == 0) {
            throw new RejectedNotificationException(400, "EMPTY_BODY", "the notification has no body");
        }
        if (raw.length > maxBytes) {
            throw new RejectedNotificationException(413, "PAYLOAD_TOO_LARGE", raw.length + " bytes");
        }
        exchange.setProperty(RAW, raw);
    }

    public void verify(Exchange exchange) {
        byte[] raw = exchange.getProperty(RAW, byte[].class);
        verifier.verify(exchange.getIn().getHeader("client-id", String.class),
                exchange.getIn().getHeader("request-time", String.class),
                exchange.getIn().getHeader("signature", String.class), raw);
        JsonNode body;
        try {
            body = json.readTree(raw);
        } catch (Exception e) {
            throw new RejectedNotificationException(400, "MALFORMED_BODY", "the body is not JSON");
        }
        if (body == null || !body.isObject() || !body.hasNonNull("notifyType") || !body.path("result").isObject()) {
            throw new RejectedNotificationException(400, "MALFORMED_BODY", "notifyType and result are required");
        }
        exchange.setProperty(NOTIFICATION, AntomNotification.from(body));
    }

    /** True when this content was accepted before (Antom resends until it hears SUCCESS). */
    public boolean isDuplicate(Exchange exchange) {
        AntomNotification n = exchange.getProperty(NOTIFICATION, AntomNotification.class);
        boolean duplicate = applier.isDuplicate(n);
        if (duplicate) {
            count("duplicate", n.notifyType());
            LOG.info("notification {} for {} is a resend: no change", n.notifyType(), n.paymentRequestId());
        }
        return duplicate;
    }

    public void apply(Exchange exchange) {
        AntomNotification n = exchange.getProperty(NOTIFICATION, AntomNotification.class);
        byte[] raw = exchange.getProperty(RAW, byte[].class);
        try (LogIds ids = LogIds.of(null, n.paymentRequestId(), n.paymentId())) {
            Applied applied = applier.apply(n, new String(raw, StandardCharsets.UTF_8));
            String outcome = applied.duplicate() ? "duplicate" : applied.outcome().name().toLowerCase();
            count(outcome, n.notifyType());
            LOG.info("notification {} {} {} for payment {} ({}): {}", n.notifyType(), n.resultStatus(),
                    n.resultCode(), applied.paymentRequestId(), n.paymentId(), outcome);
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
            LOG.warn("notification rejected: {} (client-id {}, {} bytes)", code,
                    exchange.getIn().getHeader("client-id", String.class),
                    exchange.getProperty(RAW, byte[].class) == null ? 0 : exchange.getProperty(RAW, byte[].class).length);
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
