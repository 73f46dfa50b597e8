package com.checkoutroutes.signature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Parses RSA keys once, from a PEM file, a PEM string or the bare base64 that Antom's Dashboard and SDK use
 * (PKCS#8 private keys, X.509 public keys). Errors name the source, never the key material.
 */
public final class RsaKeys {

    private RsaKeys() {
    }

    /** Reads a key from a file path, or accepts the PEM/base64 text itself when it does not look like a path. */
    public static String readKeyText(String pathOrKey, String what) {
        if (pathOrKey == null || pathOrKey.isBlank()) {
            throw new InvalidKeyConfigException(what + " is not configured");
        }
        String value = pathOrKey.strip();
        if (value.startsWith("-----BEGIN") || value.startsWith("MII")) {
            return value;
        }
        Path path = Path.of(value.startsWith("file:") ? value.substring("file:".length()) : value);
        if (!Files.isReadable(path)) {
            throw new InvalidKeyConfigException(what + ": key file " + path.toAbsolutePath() + " is missing or unreadable");
        }
        try {
            return Files.readString(path, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(what + ": cannot read " + path.toAbsolutePath(), e);
        }
    }

    /** The bare base64 body of a PEM (what the SDK's {@code SignatureTool} expects). */
    public static String base64Body(String pemOrBase64) {
        return pemOrBase64.replaceAll("-----(BEGIN|END)[A-Z ]*-----", "").replaceAll("\\s", "");
    }

    public static PrivateKey privateKey(String pathOrKey, String what) {
        String text = readKeyText(pathOrKey, what);
        String body = base64Body(text);
        if (text.contains("RSA PRIVATE KEY")) {
            throw new InvalidKeyConfigException(what + " is a PKCS#1 key; convert it to PKCS#8 "
                    + "(openssl pkcs8 -topk8 -nocrypt -in key.pem) as Antom's SDK requires");
        }
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(decode(body, what)));
        } catch (GeneralSecurityException e) {
            throw new InvalidKeyConfigException(what + " is not an RSA PKCS#8 private key (" + e.getClass().getSimpleName() + ")");
        }
    }

    public static PublicKey publicKey(String pathOrKey, String what) {
        String body = base64Body(readKeyText(pathOrKey, what));
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(decode(body, what)));
        } catch (GeneralSecurityException e) {
            throw new InvalidKeyConfigException(what + " is not an RSA X.509 public key (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static byte[] decode(String body, String what) {
        try {
            return Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new InvalidKeyConfigException(what + " is not valid base64");
        }
    }

    /** Raised at start-up so that a missing or malformed key fails fast with a clear message. */
    public static final class InvalidKeyConfigException extends IllegalStateException {
        public InvalidKeyConfigException(String message) {
            super(message);
        }
    }
}
