package com.checkoutroutes.continuation;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Signs a continuation POSTed to an HTTP(S) channel, so the receiver can trust it and refuse a replay (README, "HTTP
 * channels"): {@code X-Checkout-Signature: sha256=<hex>}, the HMAC-SHA256 under {@code checkout.channels.http.hmac-secret}
 * of {@code <X-Checkout-Timestamp>.<X-Checkout-Event-Id>.<body>} (the body's exact UTF-8 bytes). The timestamp is
 * epoch seconds at signing; the event id is the same for every copy of one message, so the receiver drops repeats.
 */
@Component
public class ChannelSignature {

    public static final String EVENT_ID = "X-Checkout-Event-Id";
    public static final String TIMESTAMP = "X-Checkout-Timestamp";
    public static final String SIGNATURE = "X-Checkout-Signature";
    private static final String ALGORITHM = "HmacSHA256";

    private final byte[] secret;
    private final Clock clock;

    public ChannelSignature(ChannelSettings settings, Clock clock) {
        String configured = settings.http().hmacSecret();
        this.secret = configured == null ? new byte[0] : configured.strip().getBytes(StandardCharsets.UTF_8);
        this.clock = clock;
    }

    /**
     * The route's signing step: the body becomes the bytes that are signed and sent, with the timestamp and signature
     * headers beside the event id header the deliverer set.
     */
    public void sign(Exchange exchange) {
        if (secret.length == 0) {
            throw new IllegalStateException("checkout.channels.http.hmac-secret is not set: HTTP channel messages "
                    + "are not sent unsigned");
        }
        byte[] body = exchange.getIn().getBody(String.class).getBytes(StandardCharsets.UTF_8);
        String eventId = exchange.getIn().getHeader(EVENT_ID, String.class);
        long timestamp = clock.instant().getEpochSecond();
        exchange.getIn().setBody(body);
        exchange.getIn().setHeader(TIMESTAMP, String.valueOf(timestamp));
        exchange.getIn().setHeader(SIGNATURE, "sha256=" + hmac(secret, timestamp, eventId, body));
    }

    /** Hex HMAC-SHA256 of {@code <timestamp>.<eventId>.<body>}: what a receiver computes to check a message. */
    public static String hmac(byte[] secret, long timestamp, String eventId, byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret, ALGORITHM));
            mac.update((timestamp + "." + eventId + ".").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
