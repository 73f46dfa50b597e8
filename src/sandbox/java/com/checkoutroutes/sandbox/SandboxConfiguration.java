package com.checkoutroutes.sandbox;

import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Starts the Antom sandbox inside the application when {@code checkout.sandbox.enabled=true} (local runs and
 * docker-compose). The only Spring-aware class of the sandbox.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "checkout.sandbox.enabled", havingValue = "true")
public class SandboxConfiguration {

    @Bean(destroyMethod = "stop")
    public SandboxServer antomSandboxServer(
            @Value("${checkout.sandbox.port:8089}") int port,
            @Value("${checkout.sandbox.client-id:" + SandboxSettings.DEFAULT_CLIENT_ID + "}") String clientId,
            @Value("${checkout.sandbox.antom-private-key:config/sandbox-keys/antom-private.pem}") String antomKey,
            @Value("${checkout.sandbox.merchant-public-key:config/sandbox-keys/merchant-public.pem}") String merchantKey,
            @Value("${checkout.sandbox.public-base-url:}") String publicBaseUrl,
            @Value("${checkout.sandbox.time-scale:1.0}") double timeScale,
            @Value("${checkout.sandbox.report-dir:target/sandbox-reports}") String reportDir,
            @Value("${checkout.sandbox.latency-ms:0}") long latencyMs,
            @Value("${checkout.sandbox.faults:}") String faultsJson,
            @Value("${checkout.sandbox.state-dir:}") String stateDir,
            @Value("${checkout.sandbox.control-from-anywhere:false}") boolean controlFromAnywhere,
            @Value("${checkout.sandbox.keep-payments:0}") int keepPayments) {
        SandboxSettings settings = new SandboxSettings(port, clientId, antomKey, merchantKey,
                publicBaseUrl.isBlank() ? null : publicBaseUrl, timeScale, Path.of(reportDir), latencyMs,
                faultsJson.isBlank() ? null : faultsJson, stateDir.isBlank() ? null : Path.of(stateDir),
                controlFromAnywhere);
        SandboxServer sandbox = new SandboxServer(settings);
        sandbox.keepAtMost(keepPayments);
        return sandbox.start();
    }
}
