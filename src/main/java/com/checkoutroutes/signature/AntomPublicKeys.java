package com.checkoutroutes.signature;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Antom's public key, and while Antom rotates it the key it signed with until now: a signature (an answer's, a
 * notification's) is checked against the current key first, then the previous one, so answers and notifications
 * keep verifying whichever key Antom signs with during the change. What only the previous key verified is counted
 * (and logged once), so operators see when Antom stopped using it and the previous key can go.
 */
public final class AntomPublicKeys {

    private static final Logger LOG = LoggerFactory.getLogger(AntomPublicKeys.class);

    private final PublicKey current;
    private final PublicKey previous;
    private final AtomicLong verifiedByPrevious = new AtomicLong();
    private final AtomicBoolean previousLogged = new AtomicBoolean();

    /** {@code previous}: null when no rotation is under way; never the current key itself. */
    public AntomPublicKeys(PublicKey current, PublicKey previous) {
        if (previous != null && previous.equals(current)) {
            throw new RsaKeys.InvalidKeyConfigException("checkout.antom.antom-previous-public-key is the same key as "
                    + "checkout.antom.antom-public-key: give the key Antom signed with before the replacement, or none");
        }
        this.current = current;
        this.previous = previous;
    }

    /** From the settings' values (a path, PEM or base64); a blank previous key is none. */
    public static AntomPublicKeys of(String current, String previous) {
        return new AntomPublicKeys(RsaKeys.publicKey(current, "checkout.antom.antom-public-key"),
                previous == null || previous.isBlank() ? null
                        : RsaKeys.publicKey(previous, "checkout.antom.antom-previous-public-key"));
    }

    /** Whether Antom's current key, or else its previous one, verifies {@code encodedSignature} over {@code content}. */
    public boolean verify(String content, String encodedSignature) {
        if (AntomSignature.verify(content, encodedSignature, current)) {
            return true;
        }
        if (previous == null || !AntomSignature.verify(content, encodedSignature, previous)) {
            return false;
        }
        verifiedByPrevious.incrementAndGet();
        if (previousLogged.compareAndSet(false, true)) {
            LOG.info("a signature verified with checkout.antom.antom-previous-public-key: Antom still signs with its "
                    + "previous key (checkout_antom_signatures_previous_key_total counts them)");
        }
        return true;
    }

    /**
     * SHA-256 of the encoding of the Antom sandbox's public key shipped in config/sandbox-keys/antom-public.pem, whose
     * private half is published beside it: with it, anyone can sign a notification this service accepts.
     */
    static final String PUBLISHED_SANDBOX_KEY = "3fd9bc504b6790c2217e8b2f7160c64289bf280da8fb41e7bd1c6e1ba8a9a148";

    /**
     * Refuses the published sandbox key unless the client id is a sandbox's ({@code SANDBOX_...}): a deployment whose
     * settings were copied from docker-compose.yml would otherwise accept notifications anyone can sign.
     */
    public void refusePublishedKeyOutsideSandbox(String clientId) {
        boolean published = isPublishedSandboxKey(current) || (previous != null && isPublishedSandboxKey(previous));
        if (published && (clientId == null || !clientId.startsWith("SANDBOX_"))) {
            throw new RsaKeys.InvalidKeyConfigException("checkout.antom.antom-public-key is the Antom sandbox key of "
                    + "config/sandbox-keys, whose private half is published: anyone could sign a notification this "
                    + "service accepts. It is taken only with a sandbox client id (SANDBOX_...); give Antom's own "
                    + "public key for client id " + clientId);
        }
    }

    static boolean isPublishedSandboxKey(PublicKey key) {
        try {
            return PUBLISHED_SANDBOX_KEY.equals(HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(key.getEncoded())));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Antom's current key. */
    PublicKey current() {
        return current;
    }

    /** Whether a previous key is configured. */
    public boolean rotating() {
        return previous != null;
    }

    /** How many signatures only the previous key verified, since start-up. */
    public long verifiedByPrevious() {
        return verifiedByPrevious.get();
    }
}
