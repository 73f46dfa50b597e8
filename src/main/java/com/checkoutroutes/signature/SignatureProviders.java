package com.checkoutroutes.signature;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.Provider;
import java.security.Signature;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses, once, who computes SHA256withRSA: Amazon Corretto Crypto Provider (native, about 3x the JDK's signing
 * rate on our machines) when it loads and passes its self-tests, else the JDK. ACCP is only asked for explicitly;
 * it is never installed JVM-wide, so TLS and everything else keep the JDK providers.
 */
public final class SignatureProviders {

    /** {@code -Dcheckout.signature.provider=jdk} forces the JDK provider (benchmarks, diagnosing). */
    public static final String FORCE_PROPERTY = "checkout.signature.provider";

    private static final Logger log = LoggerFactory.getLogger(SignatureProviders.class);

    private SignatureProviders() {
    }

    /** ACCP if it is usable on this platform; empty on another OS/arch, a load failure or a failed self-test. */
    public static Optional<Provider> corretto() {
        try {
            AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
            if (accp.getLoadingError() != null) {
                return Optional.empty();
            }
            accp.assertHealthy();
            Signature.getInstance("SHA256withRSA", accp);
            return Optional.of(accp);
        } catch (Throwable e) {
            // LinkageError (jar or native library missing) and failed self-tests alike mean: use the JDK
            return Optional.empty();
        }
    }

    /** The engine every {@link AntomSignature} call uses; the choice is logged once. */
    static RsaSha256 chooseDefault() {
        if ("jdk".equalsIgnoreCase(System.getProperty(FORCE_PROPERTY, ""))) {
            log.info("Antom signatures: SHA256withRSA from the JDK provider (forced by -D{}=jdk)", FORCE_PROPERTY);
            return RsaSha256.jdk();
        }
        Optional<Provider> accp = corretto();
        if (accp.isPresent()) {
            log.info("Antom signatures: SHA256withRSA from {} {} (native)", accp.get().getName(),
                    accp.get().getVersionStr());
            return RsaSha256.with(accp.get());
        }
        log.info("Antom signatures: SHA256withRSA from the JDK provider (Amazon Corretto Crypto Provider unavailable: {})",
                loadingProblem());
        return RsaSha256.jdk();
    }

    private static String loadingProblem() {
        try {
            Throwable error = AmazonCorrettoCryptoProvider.INSTANCE.getLoadingError();
            return error != null ? error.toString() : "failed its self-test";
        } catch (Throwable e) {
            return e.toString();
        }
    }
}
