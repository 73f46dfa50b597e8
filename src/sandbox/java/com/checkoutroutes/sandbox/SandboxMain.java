package com.checkoutroutes.sandbox;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the sandbox on its own: {@code java -jar target/antom-sandbox.jar} (built by {@code ./mvnw package}).
 * Configured by SANDBOX_* environment variables; defaults use the repository's sandbox keys on port 8089 and keep
 * no state across restarts unless SANDBOX_STATE_DIR is set.
 */
public final class SandboxMain {

    private SandboxMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        SandboxSettings defaults = SandboxSettings.defaults();
        SandboxSettings settings = new SandboxSettings(
                Integer.parseInt(env("SANDBOX_PORT", String.valueOf(defaults.port()))),
                env("SANDBOX_CLIENT_ID", defaults.clientId()),
                env("SANDBOX_ANTOM_PRIVATE_KEY", defaults.antomPrivateKey()),
                env("SANDBOX_MERCHANT_PUBLIC_KEY", defaults.merchantPublicKey()),
                env("SANDBOX_PUBLIC_BASE_URL", null),
                Double.parseDouble(env("SANDBOX_TIME_SCALE", "1.0")),
                Path.of(env("SANDBOX_REPORT_DIR", defaults.reportDir().toString())),
                Long.parseLong(env("SANDBOX_LATENCY_MS", "0")),
                env("SANDBOX_FAULTS", null),
                Optional.ofNullable(env("SANDBOX_STATE_DIR", null)).map(Path::of).orElse(null),
                // the control API (mark paid, faults, reset, clock) answers loopback callers only unless "true"
                Boolean.parseBoolean(env("SANDBOX_CONTROL_FROM_ANYWHERE", "false")));
        SandboxServer server = new SandboxServer(settings).start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "sandbox-shutdown"));
        System.out.println("Antom sandbox listening on " + server.baseUrl() + " (client-id " + settings.clientId()
                + ", time scale " + settings.timeScale() + ", state "
                + (settings.stateDir() == null ? "in memory only" : "in " + settings.stateDir().toAbsolutePath())
                + ", control API " + (settings.controlFromAnywhere() ? "open to every address" : "on loopback only")
                + ")");
        new CountDownLatch(1).await();
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
