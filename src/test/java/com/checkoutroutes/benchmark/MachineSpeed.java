package com.checkoutroutes.benchmark;

import com.checkoutroutes.signature.SignatureProviders;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;

/**
 * How fast the machine is right now, as RSA-2048 signatures a second on one thread (what {@code openssl speed rsa2048}
 * reports, through the native provider the app signs with, ACCP, where it loads: the JDK's own is Java code that
 * the JIT is still compiling when the first phase starts). Our machines are shared: the same one signed 4,685 a second at a session's
 * start and 3,585-4,095 an hour later, and every figure of a run moves with it. Taken before each phase, it tells a
 * slower build from a slower moment.
 */
final class MachineSpeed {

    private static final byte[] MESSAGE = "POST /ams/api/v1/payments/pay\nclient-id.2026-12-03T00:00:00Z.{}"
            .getBytes(StandardCharsets.UTF_8);
    private static PrivateKey key;

    private MachineSpeed() {
    }

    static double rsaSignsPerSecond(long millis) {
        try {
            Signature signature = signature();
            signature.initSign(key());
            long start = System.nanoTime();
            long end = start + millis * 1_000_000;
            int signed = 0;
            long now;
            do {
                signature.update(MESSAGE);
                signature.sign();
                signed++;
                now = System.nanoTime();
            } while (now < end);
            return Math.round(signed / ((now - start) / 1e9));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with SHA256withRSA", e);
        }
    }

    static String provider() {
        try {
            return signature().getProvider().getName();
        } catch (GeneralSecurityException e) {
            return "none";
        }
    }

    private static Signature signature() throws GeneralSecurityException {
        Provider corretto = SignatureProviders.corretto().orElse(null);
        return corretto != null ? Signature.getInstance("SHA256withRSA", corretto)
                : Signature.getInstance("SHA256withRSA");
    }

    private static synchronized PrivateKey key() throws GeneralSecurityException {
        if (key == null) {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            key = generator.generateKeyPair().getPrivate();
        }
        return key;
    }
}
