package com.checkoutroutes.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * The control API (mark paid, faults, reset, clock) answers this host only unless opened; the decision is checked
 * for other addresses without sending them anything (tests send traffic to loopback only).
 */
class ControlOnLoopbackTest {

    @Test
    void byDefaultOnlyLoopbackCallersControlTheSandbox() throws Exception {
        try (SandboxServer sandbox = new SandboxServer(SandboxSettings.defaults().withPort(0)).start()) {
            assertThat(sandbox.controlAllowedFrom(InetAddress.getByName("127.0.0.1"))).isTrue();
            assertThat(sandbox.controlAllowedFrom(InetAddress.getByName("::1"))).isTrue();
            assertThat(sandbox.controlAllowedFrom(InetAddress.getByName("10.1.2.3"))).isFalse();
            assertThat(sandbox.controlAllowedFrom(InetAddress.getByName("203.0.113.7"))).isFalse();
            assertThat(sandbox.controlAllowedFrom(InetAddress.getByName("::ffff:198.51.100.1"))).isFalse();
            // a loopback caller still gets the control API over HTTP
            HttpResponse<String> payments = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + sandbox.port() + "/sandbox/control/payments")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(payments.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void openedItAnswersEveryAddress() throws Exception {
        SandboxSettings open = SandboxSettings.defaults().withPort(0).withControlFromAnywhere(true);
        try (SandboxServer sandbox = new SandboxServer(open).start()) {
            assertThat(sandbox.controlAllowedFrom(InetAddress.getByName("203.0.113.7"))).isTrue();
        }
    }
}
