package com.checkoutroutes.notifications;

import com.checkoutroutes.gateway.AntomSettings;
import com.checkoutroutes.signature.AntomPublicKeys;
import com.checkoutroutes.signature.AntomSignature;
import com.checkoutroutes.signature.SignatureHeader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Checks a notification as the SDK's {@code WebhookTool} does: Antom's public key over
 * {@code "POST <notify path>\n<client-id>.<request-time>.<raw body>"}, with the path of the paymentNotifyUrl we
 * gave Antom (the path Antom signs, even behind a proxy), on the raw bytes before any parsing. The headers are read
 * strictly first: the signature header's three parameters once each, a request-time that is a time.
 */
@Component
public class NotificationVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationVerifier.class);
    /** Epoch milliseconds as the SDK writes them (1685599933871), from 2001 on: "1" or "-5" is no request time. */
    private static final Pattern EPOCH_MILLIS = Pattern.compile("[1-9][0-9]{12}");

    private final String clientId;
    private final String signedPath;
    private final AntomPublicKeys antomKeys;
    private final Duration staleAfter;
    private final Duration maxAge;
    private final Clock clock;

    public NotificationVerifier(AntomSettings settings, AntomPublicKeys antomKeys, NotificationSettings notifications,
            Clock clock) {
        this.clientId = settings.clientId();
        this.signedPath = URI.create(settings.notifyUrl()).getRawPath();
        this.antomKeys = antomKeys;
        this.staleAfter = notifications.staleAfter();
        this.maxAge = notifications.maxAge();
        this.clock = clock;
    }

    public void verify(String clientIdHeader, String requestTime, String signatureHeader, byte[] rawBody) {
        if (clientIdHeader == null || requestTime == null || signatureHeader == null) {
            throw new RejectedNotificationException(401, "MISSING_SIGNATURE_HEADERS",
                    "client-id, request-time and signature headers are required");
        }
        if (!clientId.equals(clientIdHeader)) {
            throw new RejectedNotificationException(401, "UNKNOWN_CLIENT_ID", "client-id is not ours");
        }
        String signature = SignatureHeader.signatureOf(signatureHeader).orElseThrow(() ->
                new RejectedNotificationException(401, "MALFORMED_SIGNATURE_HEADER",
                        "signature header must be algorithm=RSA256,keyVersion=<n>,signature=<value>, each once"));
        Instant sent = sentAt(requestTime);
        String body = new String(rawBody, StandardCharsets.UTF_8);
        if (!antomKeys.verify(AntomSignature.content("POST", signedPath, clientIdHeader, requestTime, body),
                signature)) {
            throw new RejectedNotificationException(401, "INVALID_SIGNATURE", "signature does not verify");
        }
        fresh(sent);
    }

    /** The request-time header: epoch milliseconds (the SDK) or ISO-8601 with an offset. */
    private static Instant sentAt(String requestTime) {
        if (EPOCH_MILLIS.matcher(requestTime).matches()) {
            return Instant.ofEpochMilli(Long.parseLong(requestTime));
        }
        try {
            return OffsetDateTime.parse(requestTime).toInstant();
        } catch (DateTimeParseException e) {
            throw new RejectedNotificationException(401, "INVALID_REQUEST_TIME",
                    "request-time must be epoch milliseconds or ISO-8601 with an offset");
        }
    }

    /**
     * Antom does not say whether a resend (up to a day later) is signed anew with a new request-time, so by default
     * an old one is only logged; checkout.notifications.max-age refuses older ones once that is known.
     */
    private void fresh(Instant sent) {
        Duration age = Duration.between(sent, clock.instant());
        if (!maxAge.isZero() && age.compareTo(maxAge) > 0) {
            throw new RejectedNotificationException(401, "STALE_REQUEST_TIME",
                    "request-time is " + age.toSeconds() + " s old, more than checkout.notifications.max-age");
        }
        if (age.compareTo(staleAfter) > 0) {
            LOG.info("notification signed {} s ago (request-time older than checkout.notifications.stale-after)",
                    age.toSeconds());
        }
    }
}
