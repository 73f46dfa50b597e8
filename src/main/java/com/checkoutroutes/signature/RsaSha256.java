package com.checkoutroutes.signature;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SHA256withRSA from one provider, with a {@link Signature} per thread (getInstance is a provider lookup each time)
 * that stays initialised while the same key comes again, and keys translated once into the provider's own form
 * (ACCP would otherwise re-import a JDK key into native form on every init).
 */
public final class RsaSha256 {

    private static final String ALGORITHM = "SHA256withRSA";
    /** Keys are parsed once at start-up, so a handful is all we ever see; the bound only guards against misuse. */
    private static final int MAX_TRANSLATED_KEYS = 32;

    private final Provider provider;
    private final Map<Key, Key> translated = new ConcurrentHashMap<>();
    private final ThreadLocal<Engine> signers = ThreadLocal.withInitial(this::newEngine);
    private final ThreadLocal<Engine> verifiers = ThreadLocal.withInitial(this::newEngine);

    private RsaSha256(Provider provider) {
        this.provider = provider;
    }

    public static RsaSha256 jdk() {
        return new RsaSha256(null);
    }

    public static RsaSha256 with(Provider provider) {
        return new RsaSha256(provider);
    }

    /** The provider's name, e.g. {@code AmazonCorrettoCryptoProvider} or {@code SunRsaSign}. */
    public String providerName() {
        return provider != null ? provider.getName() : newEngine().signature.getProvider().getName();
    }

    public byte[] sign(byte[] data, PrivateKey key) throws GeneralSecurityException {
        Engine engine = signers.get();
        Key own = own(key);
        try {
            if (engine.key != own) {
                engine.key = null;
                engine.signature.initSign((PrivateKey) own);
                engine.key = own;
            }
            engine.signature.update(data);
            return engine.signature.sign();
        } catch (GeneralSecurityException | RuntimeException e) {
            engine.key = null; // state unknown: initialise again next time
            throw e;
        }
    }

    public boolean verify(byte[] data, byte[] signatureBytes, PublicKey key) throws GeneralSecurityException {
        Engine engine = verifiers.get();
        Key own = own(key);
        try {
            if (engine.key != own) {
                engine.key = null;
                engine.signature.initVerify((PublicKey) own);
                engine.key = own;
            }
            engine.signature.update(data);
            return engine.signature.verify(signatureBytes);
        } catch (GeneralSecurityException | RuntimeException e) {
            engine.key = null;
            throw e;
        }
    }

    private Key own(Key key) {
        if (provider == null) {
            return key;
        }
        Key known = translated.get(key);
        if (known != null) {
            return known;
        }
        if (translated.size() >= MAX_TRANSLATED_KEYS) {
            translated.clear();
        }
        Key own;
        try {
            // generated from the encoding, not translateKey: ACCP marks a translated key "ephemeral" and destroys it
            // when a Signature that used it is initialised with another key, which would kill it for every thread
            KeyFactory factory = KeyFactory.getInstance("RSA", provider);
            own = key instanceof PrivateKey ? factory.generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()))
                    : factory.generatePublic(new X509EncodedKeySpec(key.getEncoded()));
        } catch (GeneralSecurityException | RuntimeException e) {
            own = key; // the provider still accepts the JDK key, only more slowly
        }
        translated.put(key, own);
        return own;
    }

    private Engine newEngine() {
        try {
            return new Engine(provider != null ? Signature.getInstance(ALGORITHM, provider) : Signature.getInstance(ALGORITHM));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(ALGORITHM + " is not available", e);
        }
    }

    private static final class Engine {
        final Signature signature;
        Key key;

        Engine(Signature signature) {
            this.signature = signature;
        }
    }
}
