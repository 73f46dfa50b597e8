package com.checkoutroutes.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.checkoutroutes.testsupport.FreePort;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Antom sandbox is its own deliverable: {@code java -jar target/antom-sandbox.jar} serves signed answers. */
@Tag("flow")
class SandboxJarIT {

    private final PackagedJar jar = PackagedJar.named("antom-sandbox.jar");

    @Test
    void runsStandaloneAndSignsItsAnswers(@TempDir Path workingDirectory) throws Exception {
        int port = FreePort.find();
        Path keys = Path.of("config", "sandbox-keys").toAbsolutePath();
        Process sandbox = jar.launch(workingDirectory, Map.of(
                "SANDBOX_PORT", String.valueOf(port),
                "SANDBOX_ANTOM_PRIVATE_KEY", keys.resolve("antom-private.pem").toString(),
                "SANDBOX_MERCHANT_PUBLIC_KEY", keys.resolve("merchant-public.pem").toString(),
                "SANDBOX_REPORT_DIR", workingDirectory.resolve("reports").toString()))
                .redirectOutput(workingDirectory.resolve("sandbox.log").toFile()).start();
        HttpClient http = HttpClient.newHttpClient();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/sandbox/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode() == 200);

            // an unsigned pay: refused the way Antom refuses it, and the refusal itself is signed with Antom's key
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/ams/sandbox/api/v1/payments/pay"))
                    .header("Content-Type", "application/json; charset=UTF-8")
                    .header("client-id", "SANDBOX_CHECKOUT_ROUTES")
                    .header("request-time", "2026-12-01T10:00:00+08:00")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"paymentRequestId\":\"jar-check\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).contains("INVALID_SIGNATURE");
            assertThat(answer.headers().firstValue("signature")).hasValueSatisfying(signature ->
                    assertThat(signature).contains("algorithm=RSA256").contains("signature="));
        } finally {
            sandbox.destroy();
        }
    }
}
