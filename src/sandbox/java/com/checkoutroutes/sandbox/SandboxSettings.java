package com.checkoutroutes.sandbox;

import java.nio.file.Path;

/**
 * Everything a sandbox run needs. Keys are paths or PEM/base64 text (see {@code RsaKeys}); a null
 * {@code publicBaseUrl} means "http://localhost:&lt;bound port&gt;". {@code timeScale} multiplies Antom's
 * notification resend delays (1.0 = real 2 min/10 min/...; tests use e.g. 0.0005).
 * {@code faultsJson} is an optional JSON array of fault rules that stay active for the whole run.
 * {@code stateDir} is where payments, ids and pending notifications are kept across restarts; null keeps
 * everything in memory only (see {@link SandboxJournal}). The control API ({@code /sandbox/control/*}: mark paid,
 * faults, reset, clock) answers callers on loopback only unless {@code controlFromAnywhere}; Antom's API and the
 * buyer pages answer everyone.
 */
public record SandboxSettings(int port, String clientId, String antomPrivateKey, String merchantPublicKey,
                              String publicBaseUrl, double timeScale, Path reportDir, long defaultLatencyMs,
                              String faultsJson, Path stateDir, boolean controlFromAnywhere) {

    public static final String DEFAULT_CLIENT_ID = "SANDBOX_CHECKOUT_ROUTES";
    public static final String DEFAULT_KEY_DIR = "config/sandbox-keys";

    public SandboxSettings {
        if (clientId == null || clientId.isBlank()) {
            clientId = DEFAULT_CLIENT_ID;
        }
        if (timeScale <= 0) {
            timeScale = 1.0;
        }
        if (reportDir == null) {
            reportDir = Path.of("target", "sandbox-reports");
        }
    }

    /** Port 8089, the repository's sandbox keys, real-time resend delays. */
    public static SandboxSettings defaults() {
        return new SandboxSettings(8089, DEFAULT_CLIENT_ID, DEFAULT_KEY_DIR + "/antom-private.pem",
                DEFAULT_KEY_DIR + "/merchant-public.pem", null, 1.0, Path.of("target", "sandbox-reports"), 0, null,
                null, false);
    }

    public SandboxSettings withPort(int newPort) {
        return new SandboxSettings(newPort, clientId, antomPrivateKey, merchantPublicKey, publicBaseUrl, timeScale,
                reportDir, defaultLatencyMs, faultsJson, stateDir, controlFromAnywhere);
    }

    public SandboxSettings withTimeScale(double newTimeScale) {
        return new SandboxSettings(port, clientId, antomPrivateKey, merchantPublicKey, publicBaseUrl, newTimeScale,
                reportDir, defaultLatencyMs, faultsJson, stateDir, controlFromAnywhere);
    }

    public SandboxSettings withReportDir(Path newReportDir) {
        return new SandboxSettings(port, clientId, antomPrivateKey, merchantPublicKey, publicBaseUrl, timeScale,
                newReportDir, defaultLatencyMs, faultsJson, stateDir, controlFromAnywhere);
    }

    public SandboxSettings withDefaultLatencyMs(long newLatencyMs) {
        return new SandboxSettings(port, clientId, antomPrivateKey, merchantPublicKey, publicBaseUrl, timeScale,
                reportDir, newLatencyMs, faultsJson, stateDir, controlFromAnywhere);
    }

    public SandboxSettings withFaultsJson(String newFaultsJson) {
        return new SandboxSettings(port, clientId, antomPrivateKey, merchantPublicKey, publicBaseUrl, timeScale,
                reportDir, defaultLatencyMs, newFaultsJson, stateDir, controlFromAnywhere);
    }

    /** Null = in memory only. */
    public SandboxSettings withStateDir(Path newStateDir) {
        return new SandboxSettings(port, clientId, antomPrivateKey, merchantPublicKey, publicBaseUrl, timeScale,
                reportDir, defaultLatencyMs, faultsJson, newStateDir, controlFromAnywhere);
    }

    /** True: the control API answers callers on any address, not only loopback. */
    public SandboxSettings withControlFromAnywhere(boolean open) {
        return new SandboxSettings(port, clientId, antomPrivateKey, merchantPublicKey, publicBaseUrl, timeScale,
                reportDir, defaultLatencyMs, faultsJson, stateDir, open);
    }
}
