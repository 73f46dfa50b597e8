package com.checkoutroutes.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Spring factory method builds and starts a working sandbox from the checkout.sandbox.* values. */
class SandboxConfigurationTest {

    @Test
    void factoryMethodStartsTheSandbox(@TempDir Path reports, @TempDir Path state) throws Exception {
        SandboxServer server = new SandboxConfiguration().antomSandboxServer(0, "SANDBOX_FROM_SPRING",
                "config/sandbox-keys/antom-private.pem", "config/sandbox-keys/merchant-public.pem",
                "https://sandbox.example", 0.5, reports.toString(), 0, "", state.resolve("sandbox").toString(), false, 0);
        try {
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + server.port() + "/sandbox/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(server.settings().clientId()).isEqualTo("SANDBOX_FROM_SPRING");
            assertThat(server.settings().timeScale()).isEqualTo(0.5);
            assertThat(server.baseUrl()).isEqualTo("https://sandbox.example");
            assertThat(server.settings().stateDir()).isEqualTo(state.resolve("sandbox"));
            assertThat(state.resolve("sandbox").resolve(SandboxJournal.FILE_NAME)).exists();
        } finally {
            server.stop();
        }
    }

    @Test
    void aBlankStateDirKeepsEverythingInMemory(@TempDir Path reports) {
        SandboxServer server = new SandboxConfiguration().antomSandboxServer(0, "SANDBOX_FROM_SPRING",
                "config/sandbox-keys/antom-private.pem", "config/sandbox-keys/merchant-public.pem", "", 1.0,
                reports.toString(), 0, "", " ", false, 0);
        try {
            assertThat(server.settings().stateDir()).isNull();
        } finally {
            server.stop();
        }
    }
}
