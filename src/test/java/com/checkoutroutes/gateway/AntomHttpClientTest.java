package com.checkoutroutes.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.alipay.global.api.request.ams.pay.AlipayPayRequest;
import com.checkoutroutes.signature.RsaKeys;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Antom client's transport and settings: what it sends beyond the signed request, what it prints. */
class AntomHttpClientTest {

    private HttpServer server;
    private final List<String> cookieHeaders = new CopyOnWriteArrayList<>();
    private final List<Integer> statuses = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            cookieHeaders.add(String.valueOf(exchange.getRequestHeaders().getFirst("Cookie")));
            exchange.getResponseHeaders().add("Set-Cookie", "session=abc; Path=/");
            boolean redirect = exchange.getRequestURI().getPath().equals("/moved");
            if (redirect) {
                exchange.getResponseHeaders().add("Location", "/elsewhere");
            }
            exchange.sendResponseHeaders(redirect ? 307 : 200, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aCookieSetByOneAnswerIsNotSentWithTheNextRequest() throws Exception {
        try (CloseableHttpClient http = new GatewayConfiguration().antomHttpClient(settings())) {
            post(http, "/ams/api/v1/payments/pay");
            post(http, "/ams/api/v1/payments/pay");
        }
        assertThat(cookieHeaders).containsExactly("null", "null");
    }

    @Test
    void aRedirectIsAnsweredNotFollowed() throws Exception {
        try (CloseableHttpClient http = new GatewayConfiguration().antomHttpClient(settings())) {
            post(http, "/moved");
        }
        assertThat(statuses).containsExactly(307);
        assertThat(cookieHeaders).hasSize(1);
    }

    @Test
    void anAnswerLongerThanAnyOfAntomsIsRefusedWithoutBeingReadWhole() throws Exception {
        server.createContext("/ams/sandbox/api/v1/payments/pay", exchange -> {
            exchange.sendResponseHeaders(200, 0); // chunked, no length to refuse it by
            try (var body = exchange.getResponseBody()) {
                byte[] chunk = "x".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
                for (int sent = 0; sent < 8 * 1024 * 1024; sent += chunk.length) {
                    body.write(chunk);
                }
            } catch (IOException closedByTheClient) {
                // the client stops reading at its limit
            }
        });
        AntomSettings settings = settings();
        try (CloseableHttpClient http = new GatewayConfiguration().antomHttpClient(settings)) {
            AntomClient client = new AntomClient(settings, http,
                    RsaKeys.privateKey("config/sandbox-keys/merchant-private.pem", "merchant key"),
                    RsaKeys.publicKey("config/sandbox-keys/antom-public.pem", "antom key"), Clock.systemUTC());
            AlipayPayRequest pay = new AlipayPayRequest();
            pay.setPaymentRequestId("LONG-ANSWER-1");

            assertThatThrownBy(() -> client.execute(pay)).isInstanceOf(AntomCallException.class)
                    .hasMessageContaining("longer than " + AntomClient.MAX_ANSWER_CHARS)
                    .extracting(e -> ((AntomCallException) e).kind())
                    .isEqualTo(AntomCallException.Kind.MALFORMED_RESPONSE);
        }
    }

    @Test
    void theSettingsNeverPrintAKey() {
        AntomSettings inline = settings("-----BEGIN PRIVATE KEY-----MIIEvQ", "MIIBIjANBgkq");
        assertThat(inline.toString()).contains("SANDBOX_TEST").doesNotContain("MIIEvQ", "MIIBIjANBgkq");
    }

    private void post(CloseableHttpClient http, String path) throws Exception {
        statuses.add(http.execute(new HttpPost(baseUrl() + path), response -> response.getCode()));
    }

    private String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private AntomSettings settings() {
        return settings("unused", "unused");
    }

    private AntomSettings settings(String merchantPrivateKey, String antomPublicKey) {
        return new AntomSettings("SANDBOX_TEST", baseUrl(), merchantPrivateKey, antomPublicKey, 1, Duration.ofSeconds(2),
                Duration.ofSeconds(1), 4, "https://merchant.example/notify",
                new AntomSettings.Retry(1, Duration.ofMillis(10), 2, Duration.ofMillis(10)));
    }
}
