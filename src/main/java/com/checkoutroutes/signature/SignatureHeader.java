package com.checkoutroutes.signature;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** The {@code signature} header: {@code algorithm=RSA256,keyVersion=1,signature=<url-encoded base64>}. */
public final class SignatureHeader {

    private static final Set<String> PARAMETERS = Set.of("algorithm", "keyVersion", "signature");
    private static final Pattern KEY_VERSION = Pattern.compile("[1-9][0-9]{0,8}");

    private SignatureHeader() {
    }

    public static String format(int keyVersion, String encodedSignature) {
        return "algorithm=RSA256,keyVersion=" + keyVersion + ",signature=" + encodedSignature;
    }

    /**
     * The signature value, if the header is well formed: {@code algorithm} (RSA256), {@code keyVersion} (a positive
     * number) and a non-empty {@code signature}, each exactly once, in any order, and nothing else. A second
     * {@code signature=} or an unknown parameter is refused, not read as whichever came last: two parsers of the
     * same header must never see two different signatures.
     */
    public static Optional<String> signatureOf(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        Map<String, String> parameters = new HashMap<>();
        for (String part : header.split(",", -1)) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                return Optional.empty();
            }
            String name = part.substring(0, eq).strip();
            if (!PARAMETERS.contains(name) || parameters.put(name, part.substring(eq + 1).strip()) != null) {
                return Optional.empty();
            }
        }
        String signature = parameters.get("signature");
        if (!"RSA256".equals(parameters.get("algorithm")) || parameters.get("keyVersion") == null
                || !KEY_VERSION.matcher(parameters.get("keyVersion")).matches()
                || signature == null || signature.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(signature);
    }
}
