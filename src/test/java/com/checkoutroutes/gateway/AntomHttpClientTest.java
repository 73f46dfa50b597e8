package com.checkoutroutes.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
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
    void theSettingsNeverPrintAKey() {
        AntomSettings inline = new AntomSettings("SANDBOX_TEST", "https://open-sea-global.alipay.com",
                "-----BEGIN PRIVATE KEY-----MIIEvQ", "MIIBIjANBgkq", 1, Duration.ofSeconds(2), Duration.ofSeconds(1), 4,
                "https://merchant.example/notify", new AntomSettings.Retry(1, Duration.ofMillis(10), 2, Duration.ofMillis(10)));
        assertThat(inline.toString()).contains("SANDBOX_TEST").doesNotContain("MIIEvQ", "MIIBIjANBgkq");
    }

    private void post(CloseableHttpClient http, String path) throws Exception {
        statuses.add(http.execute(new HttpPost(baseUrl() + path), response -> response.getCode()));
    }

    private String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private AntomSettings settings() {
        return new AntomSettings("SANDBOX_TEST", baseUrl(), "unused", "unused", 1, Duration.ofSeconds(2),
                Duration.ofSeconds(1), 4, "https://merchant.example/notify",
                new AntomSettings.Retry(1, Duration.ofMillis(10), 2, Duration.ofMillis(10)));
    }
}
