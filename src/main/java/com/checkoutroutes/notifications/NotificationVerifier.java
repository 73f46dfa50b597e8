package com.checkoutroutes.notifications;

import com.checkoutroutes.gateway.AntomSettings;
import com.checkoutroutes.signature.AntomSignature;
import com.checkoutroutes.signature.RsaKeys;
import com.checkoutroutes.signature.SignatureHeader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import org.springframework.stereotype.Component;

/**
 * Checks a notification as the SDK's {@code WebhookTool} does: Antom's public key over
 * {@code "POST <notify path>\n<client-id>.<request-time>.<raw body>"}, with the path of the paymentNotifyUrl we
 * gave Antom (the path Antom signs, even behind a proxy), on the raw bytes before any parsing.
 */
@Component
public class NotificationVerifier {

    private final String clientId;
    private final String signedPath;
    private final PublicKey antomKey;

    public NotificationVerifier(AntomSettings settings) {
        this.clientId = settings.clientId();
        this.signedPath = URI.create(settings.notifyUrl()).getRawPath();
        this.antomKey = RsaKeys.publicKey(settings.antomPublicKey(), "checkout.antom.antom-public-key");
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
                new RejectedNotificationException(401, "MALFORMED_SIGNATURE_HEADER", "signature header is malformed"));
        String body = new String(rawBody, StandardCharsets.UTF_8);
        if (!AntomSignature.verify(AntomSignature.content("POST", signedPath, clientIdHeader, requestTime, body),
                signature, antomKey)) {
            throw new RejectedNotificationException(401, "INVALID_SIGNATURE", "signature does not verify");
        }
    }
}
