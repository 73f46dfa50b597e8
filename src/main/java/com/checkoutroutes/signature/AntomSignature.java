package com.checkoutroutes.signature;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Base64;

/**
 * Antom's signature scheme (SHA256withRSA over {@code "<METHOD> <path>\n<client-id>.<time>.<body>"}, base64, then
 * URL-encoded), byte for byte what the SDK's {@code SignatureTool} produces (PKCS#1 v1.5 is deterministic), with
 * keys parsed once and the RSA work done by the provider {@link SignatureProviders} chose (ACCP when healthy).
 */
public final class AntomSignature {

    private static final RsaSha256 ENGINE = SignatureProviders.chooseDefault();

    private AntomSignature() {
    }

    /** Who computes the signatures; calling it early makes the start-up log say so. */
    public static String providerName() {
        return ENGINE.providerName();
    }

    public static String content(String httpMethod, String path, String clientId, String time, String body) {
        return httpMethod + " " + path + "\n" + clientId + "." + time + "." + body;
    }

    /** Signs content; returns the URL-encoded base64 value that goes after {@code signature=} in the header. */
    public static String sign(String content, PrivateKey key) {
        return sign(content, key, ENGINE);
    }

    public static String sign(String content, PrivateKey key, RsaSha256 engine) {
        try {
            String base64 = Base64.getEncoder().encodeToString(engine.sign(content.getBytes(StandardCharsets.UTF_8), key));
            return URLEncoder.encode(base64, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing failed", e);
        }
    }

    /** Verifies a URL-encoded (or plain) base64 signature; any malformed input is simply "not valid". */
    public static boolean verify(String content, String encodedSignature, PublicKey key) {
        return verify(content, encodedSignature, key, ENGINE);
    }

    public static boolean verify(String content, String encodedSignature, PublicKey key, RsaSha256 engine) {
        if (encodedSignature == null || encodedSignature.isEmpty()) {
            return false;
        }
        try {
            byte[] raw = Base64.getDecoder().decode(URLDecoder.decode(encodedSignature, StandardCharsets.UTF_8));
            return engine.verify(content.getBytes(StandardCharsets.UTF_8), raw, key);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return false;
        }
    }
}
