package com.checkoutroutes.signature;

import java.util.Optional;

/** The {@code signature} header: {@code algorithm=RSA256,keyVersion=1,signature=<url-encoded base64>}. */
public final class SignatureHeader {

    private SignatureHeader() {
    }

    public static String format(int keyVersion, String encodedSignature) {
        return "algorithm=RSA256,keyVersion=" + keyVersion + ",signature=" + encodedSignature;
    }

    /** The signature value, if the header is well formed (RSA256 and a non-empty signature). */
    public static Optional<String> signatureOf(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String algorithm = null;
        String signature = null;
        for (String part : header.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String name = part.substring(0, eq).strip();
            String value = part.substring(eq + 1).strip();
            if (name.equals("algorithm")) {
                algorithm = value;
            } else if (name.equals("signature")) {
                signature = value;
            }
        }
        if (!"RSA256".equals(algorithm) || signature == null || signature.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(signature);
    }
}
