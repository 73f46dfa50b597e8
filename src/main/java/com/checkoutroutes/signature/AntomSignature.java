package com.checkoutroutes.signature;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;

/**
 * Antom's signature scheme (SHA256withRSA over {@code "<METHOD> <path>\n<client-id>.<time>.<body>"}, base64, then
 * URL-encoded), byte for byte what the SDK's {@code SignatureTool} produces, with keys parsed once.
 */
public final class AntomSignature {

    private static final String ALGORITHM = "SHA256withRSA";

    private AntomSignature() {
    }

    public static String content(String httpMethod, String path, String clientId, String time, String body) {
        return httpMethod + " " + path + "\n" + clientId + "." + time + "." + body;
    }

    /** Signs content; returns the URL-encoded base64 value that goes after {@code signature=} in the header. */
    public static String sign(String content, PrivateKey key) {
        try {
            Signature signature = Signature.getInstance(ALGORITHM);
            signature.initSign(key);
            signature.update(content.getBytes(StandardCharsets.UTF_8));
            String base64 = Base64.getEncoder().encodeToString(signature.sign());
            return URLEncoder.encode(base64, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing failed", e);
        }
    }

    /** Verifies a URL-encoded (or plain) base64 signature; any malformed input is simply "not valid". */
    public static boolean verify(String content, String encodedSignature, PublicKey key) {
        if (encodedSignature == null || encodedSignature.isEmpty()) {
            return false;
        }
        try {
            byte[] raw = Base64.getDecoder().decode(URLDecoder.decode(encodedSignature, StandardCharsets.UTF_8));
            Signature signature = Signature.getInstance(ALGORITHM);
            signature.initVerify(key);
            signature.update(content.getBytes(StandardCharsets.UTF_8));
            return signature.verify(raw);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return false;
        }
    }
}
