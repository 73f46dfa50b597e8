package com.checkoutroutes.signature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Parses RSA keys once, from a PEM file, a PEM string or the bare base64 that Antom's Dashboard and SDK use
 * (PKCS#8 private keys, X.509 public keys). Errors name the source, never the key material.
 */
public final class RsaKeys {

    /** Longer than any key file's path we expect, shorter than any key (a 2048-bit one is about 1,600 characters). */
    private static final int MAX_PATH = 512;
    /** 64 base64 letters in a row: a key's text; a file name is rarely a word of 64 letters and digits. */
    private static final Pattern BASE64_RUN = Pattern.compile("[A-Za-z0-9+=]{64}");

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
        Path path = pathOf(value);
        if (path == null || !Files.isReadable(path)) {
            if (path == null || !looksLikeAPath(value)) {
                // a key written some other way (quoted, after a byte-order mark, PKCS#1 base64): never echo it
                throw new InvalidKeyConfigException(what + " is neither a PEM key (-----BEGIN ...), a base64 key "
                        + "(MII...) nor the path of a readable key file; the value (" + value.length()
                        + " characters) is not shown");
            }
            throw new InvalidKeyConfigException(what + ": key file " + path.toAbsolutePath() + " is missing or unreadable");
        }
        try {
            return Files.readString(path, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(what + ": cannot read " + path.toAbsolutePath(), e);
        }
    }

    /** The value as a path, {@code file:} or not; null when the file system takes no such name. */
    private static Path pathOf(String value) {
        try {
            return Path.of(value.startsWith("file:") ? value.substring("file:".length()) : value);
        } catch (InvalidPathException e) {
            return null;
        }
    }

    /**
     * Whether a value that names no readable file may be shown as the path it was meant to be: short, one line, no
     * PEM marker, no long run of base64 letters. A key's text, however written, fails one of these.
     */
    private static boolean looksLikeAPath(String value) {
        return value.length() <= MAX_PATH && value.chars().noneMatch(c -> c < ' ' || c == '\uFEFF')
                && !value.contains("BEGIN") && !BASE64_RUN.matcher(value).find();
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
