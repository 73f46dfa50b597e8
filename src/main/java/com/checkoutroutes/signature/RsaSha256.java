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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SHA256withRSA from one provider, with {@link Signature}s kept between calls (getInstance is a provider lookup each
 * time) that stay initialised while the same key comes again, and keys translated once into the provider's own form
 * (ACCP would otherwise re-import a JDK key into native form on every init). The signatures are lent from a small
 * pool, not kept per thread: orders run on virtual threads, a new one each, so a per-thread signature would be
 * looked up and initialised again for every order.
 */
public final class RsaSha256 {

    private static final String ALGORITHM = "SHA256withRSA";
    /** Keys are parsed once at start-up, so a handful is all we ever see; the bound only guards against misuse. */
    private static final int MAX_TRANSLATED_KEYS = 32;
    /** Signatures kept between calls: at most this many idle per direction; more are made when needed, then dropped. */
    private static final int MAX_IDLE = 64;

    private final Provider provider;
    private final Map<Key, Key> translated = new ConcurrentHashMap<>();
    private final BlockingQueue<Engine> signers = new ArrayBlockingQueue<>(MAX_IDLE);
    private final BlockingQueue<Engine> verifiers = new ArrayBlockingQueue<>(MAX_IDLE);

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
        Engine engine = borrow(signers);
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
        } finally {
            signers.offer(engine); // dropped when MAX_IDLE are already idle
        }
    }

    public boolean verify(byte[] data, byte[] signatureBytes, PublicKey key) throws GeneralSecurityException {
        Engine engine = borrow(verifiers);
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
        } finally {
            verifiers.offer(engine);
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
            // not KeyFactory.translateKey: ACCP marks a translated key "ephemeral" and destroys it when the Signature
            // that used it is initialised with another key, which breaks every other thread sharing it (the
            // sandbox's intermittent HTTP 500 "Key has been destroyed"). Keys generated from their encoding are kept.
            KeyFactory factory = KeyFactory.getInstance("RSA", provider);
            own = key instanceof PrivateKey
                    ? factory.generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()))
                    : factory.generatePublic(new X509EncodedKeySpec(key.getEncoded()));
        } catch (GeneralSecurityException | RuntimeException e) {
            own = key; // the provider still accepts the JDK key, only more slowly
        }
        translated.put(key, own);
        return own;
    }

    private Engine borrow(BlockingQueue<Engine> idle) {
        Engine engine = idle.poll();
        return engine != null ? engine : newEngine();
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
