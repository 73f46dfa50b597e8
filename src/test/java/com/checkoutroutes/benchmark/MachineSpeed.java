package com.checkoutroutes.benchmark;

import com.checkoutroutes.signature.AntomSignature;
import com.checkoutroutes.signature.RsaKeys;
import java.security.PrivateKey;

/**
 * How fast the machine is right now, as RSA-2048 signatures a second on one thread (what {@code openssl speed rsa2048}
 * reports), signed as the app signs ({@link AntomSignature}: ACCP where it loads, the run's
 * {@code setup.signatureProvider}). Our machines are shared: the same one signed 4,685 a second at a session's start
 * and 3,585-4,095 an hour later, and every figure of a run moves with it. Taken before each phase, it tells a slower
 * build from a slower moment.
 */
final class MachineSpeed {

    private static final PrivateKey KEY = RsaKeys.privateKey("config/sandbox-keys/merchant-private.pem",
            "machine speed");
    private static final String CONTENT = AntomSignature.content("POST", "/ams/api/v1/payments/pay", "client-id",
            "2026-12-03T00:00:00Z", "{}");

    private MachineSpeed() {
    }

    static double rsaSignsPerSecond(long millis) {
        long start = System.nanoTime();
        long end = start + millis * 1_000_000;
        int signed = 0;
        long now;
        do {
            AntomSignature.sign(CONTENT, KEY);
            signed++;
            now = System.nanoTime();
        } while (now < end);
        return Math.round(signed / ((now - start) / 1e9));
    }
}
