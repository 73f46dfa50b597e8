package com.checkoutroutes.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ch.qos.logback.classic.Level;
import com.alipay.global.api.request.ams.pay.AlipayPayRequest;
import com.alipay.global.api.response.ams.pay.AlipayPayResponse;
import com.checkoutroutes.signature.AntomPublicKeys;
import com.checkoutroutes.signature.AntomSignature;
import com.checkoutroutes.signature.RsaKeys;
import com.checkoutroutes.signature.SignatureHeader;
import com.checkoutroutes.testsupport.LogLines;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
        AtomicLong written = new AtomicLong();
        server.createContext("/ams/sandbox/api/v1/payments/pay", exchange -> {
            exchange.sendResponseHeaders(200, 0); // chunked, no length to refuse it by
            try (var body = exchange.getResponseBody()) {
                byte[] chunk = "x".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
                while (written.get() < 64L * 1024 * 1024) {
                    body.write(chunk);
                    written.addAndGet(chunk.length);
                }
            } catch (IOException closedByTheClient) {
                // the client drops the connection at its limit
            }
        });
        AntomSettings settings = settings();
        try (CloseableHttpClient http = new GatewayConfiguration().antomHttpClient(settings)) {
            AntomClient client = withSandboxKeys(settings, http);
            AlipayPayRequest pay = new AlipayPayRequest();
            pay.setPaymentRequestId("LONG-ANSWER-1");

            assertThatThrownBy(() -> client.execute(pay)).isInstanceOf(AntomCallException.class)
                    .hasMessageContaining("longer than " + AntomClient.MAX_ANSWER_CHARS)
                    .extracting(e -> ((AntomCallException) e).kind())
                    .isEqualTo(AntomCallException.Kind.MALFORMED_RESPONSE);
        }
        // the rest is not read off the wire to keep the connection: what the socket buffers took, not 64 MB
        assertThat(written.get()).isLessThan(16L * 1024 * 1024);
    }

    /** An answer that trickles in, each byte within the read timeout, is cut off at the attempt's deadline. */
    @Test
    void anAnswerTricklingInIsCutOffAtTheAttemptsDeadline() throws Exception {
        CountDownLatch cutOff = new CountDownLatch(1);
        server.createContext("/ams/sandbox/api/v1/payments/pay", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (var body = exchange.getResponseBody()) {
                while (true) {
                    body.write('{');
                    body.flush();
                    Thread.sleep(200); // well within the read timeout (2 s here)
                }
            } catch (IOException closedByTheClient) {
                cutOff.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        AntomSettings settings = settings();
        try (CloseableHttpClient http = new GatewayConfiguration().antomHttpClient(settings)) {
            AntomClient client = withSandboxKeys(settings, http);
            AlipayPayRequest pay = new AlipayPayRequest();
            pay.setPaymentRequestId("TRICKLE-1");

            long started = System.nanoTime();
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThatThrownBy(() -> client.execute(pay))
                    .isInstanceOf(AntomCallException.class)
                    .hasMessageContaining("no whole answer within " + settings.attemptDeadline())
                    .extracting(e -> ((AntomCallException) e).kind())
                    .isEqualTo(AntomCallException.Kind.TIMEOUT));
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .isGreaterThanOrEqualTo(settings.attemptDeadline());
            assertThat(cutOff.await(10, TimeUnit.SECONDS)).as("the connection is closed").isTrue();
        }
    }

    /** An answer whose header never ends is cut off at the bound on an answer's head, not read into the heap. */
    @Test
    void anAnswerWithAnEndlessHeaderIsCutOff() throws Exception {
        AtomicLong written = new AtomicLong();
        try (ServerSocket endless = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread answering = new Thread(() -> {
                try (Socket connection = endless.accept(); OutputStream out = connection.getOutputStream()) {
                    out.write("HTTP/1.1 200 OK\r\nX-Endless: ".getBytes(StandardCharsets.US_ASCII));
                    byte[] chunk = "a".repeat(8192).getBytes(StandardCharsets.US_ASCII);
                    while (written.get() < 64L * 1024 * 1024) {
                        out.write(chunk);
                        written.addAndGet(chunk.length);
                    }
                } catch (IOException closedByTheClient) {
                    // the client stops at its limit
                }
            }, "endless-header");
            answering.setDaemon(true);
            answering.start();
            AntomSettings settings = settings("http://127.0.0.1:" + endless.getLocalPort());
            try (CloseableHttpClient http = new GatewayConfiguration().antomHttpClient(settings)) {
                AntomClient client = withSandboxKeys(settings, http);
                AlipayPayRequest pay = new AlipayPayRequest();
                pay.setPaymentRequestId("ENDLESS-HEADER-1");

                assertThatThrownBy(() -> client.execute(pay)).isInstanceOf(AntomCallException.class)
                        .hasMessageContaining("line length")
                        .extracting(e -> ((AntomCallException) e).kind())
                        .isEqualTo(AntomCallException.Kind.IO);
            }
            answering.join(10_000);
        }
        assertThat(written.get()).isLessThan(16L * 1024 * 1024);
    }

    /**
     * A signed answer whose id is longer than any of Antom's is refused as malformed (its outcome stays unknown and
     * is asked again), instead of failing the ledger's update at every retry; a message of any length passes, cut
     * to its first 512 characters.
     */
    @Test
    void anIdOrCodeLongerThanAntomsIsRefused() throws Exception {
        String path = "/ams/sandbox/api/v1/payments/pay";
        String[] answer = {""};
        server.createContext(path, exchange -> {
            String time = String.valueOf(System.currentTimeMillis());
            String signature = AntomSignature.sign(AntomSignature.content("POST", path, "SANDBOX_TEST", time,
                    answer[0]), RsaKeys.privateKey("config/sandbox-keys/antom-private.pem", "antom key"));
            exchange.getResponseHeaders().add("response-time", time);
            exchange.getResponseHeaders().add("signature", SignatureHeader.format(1, signature));
            byte[] body = answer[0].getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (var out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        String result = "{\"resultStatus\":\"S\",\"resultCode\":\"%s\",\"resultMessage\":\"%s\"}";
        AntomSettings settings = settings();
        try (CloseableHttpClient http = new GatewayConfiguration().antomHttpClient(settings)) {
            AntomClient client = withSandboxKeys(settings, http);
            AlipayPayRequest pay = new AlipayPayRequest();
            pay.setPaymentRequestId("LONG-ID-1");

            answer[0] = "{\"result\":" + result.formatted("SUCCESS", "\\u0000" + "m".repeat(5000))
                    + ",\"paymentId\":\"" + "p".repeat(64) + "\"}";
            AlipayPayResponse answered = client.execute(pay);
            assertThat(answered.getPaymentId()).hasSize(64);
            assertThat(answered.getResult().getResultMessage()).as("quoted by events and channel messages")
                    .isEqualTo("m".repeat(512));

            String ok = "{\"result\":" + result.formatted("SUCCESS", "ok");
            Map<String, String> refused = new LinkedHashMap<>();
            refused.put("paymentId", ok + ",\"paymentId\":\"" + "p".repeat(65) + "\"}");
            refused.put("resultCode", "{\"result\":" + result.formatted("C".repeat(65), "ok") + "}");
            refused.put("captureId", ok + ",\"captureId\":\"c\\u0000\"}");
            // an inquiry's: its payment's result code, its transactions' ids
            refused.put("paymentResultCode", ok + ",\"paymentResultCode\":\"" + "C".repeat(65) + "\"}");
            refused.put("transactionId", ok + ",\"transactions\":[{\"transactionId\":\"" + "t".repeat(65) + "\"}]}");
            refused.forEach((field, body) -> {
                answer[0] = body;
                assertThatThrownBy(() -> client.execute(pay)).as(field).isInstanceOf(AntomCallException.class)
                        .hasMessageEndingWith(field + " from " + path
                                + " longer than 64 characters or with a NUL character");
            });
        }
    }

    /**
     * While Antom rotates its key, an answer signed with the key it used until now verifies with
     * antom-previous-public-key (counted); one that neither key verifies is refused.
     */
    @Test
    void anAnswerSignedWithAntomsPreviousKeyVerifiesDuringARotation() throws Exception {
        String path = "/ams/sandbox/api/v1/payments/pay";
        String body = "{\"result\":{\"resultStatus\":\"S\",\"resultCode\":\"SUCCESS\",\"resultMessage\":\"ok\"}}";
        server.createContext(path, exchange -> {
            String time = String.valueOf(System.currentTimeMillis());
            String signature = AntomSignature.sign(AntomSignature.content("POST", path, "SANDBOX_TEST", time, body),
                    RsaKeys.privateKey("config/sandbox-keys/antom-private.pem", "antom key"));
            exchange.getResponseHeaders().add("response-time", time);
            exchange.getResponseHeaders().add("signature", SignatureHeader.format(1, signature));
            exchange.sendResponseHeaders(200, body.length());
            try (var out = exchange.getResponseBody()) {
                out.write(body.getBytes(StandardCharsets.UTF_8));
            }
        });
        // Antom's new key: not the one the answers are signed with
        String newKey = Base64.getEncoder().encodeToString(newPublicKey().getEncoded());
        AntomPublicKeys rotating = AntomPublicKeys.of(newKey, "config/sandbox-keys/antom-public.pem");
        AntomSettings settings = settings();
        try (CloseableHttpClient http = new GatewayConfiguration().antomHttpClient(settings)) {
            AlipayPayRequest pay = new AlipayPayRequest();
            pay.setPaymentRequestId("ROTATING-1");

            assertThat(withAntomKeys(settings, http, rotating).execute(pay).getResult().getResultCode())
                    .isEqualTo("SUCCESS");
            assertThat(rotating.verifiedByPrevious()).isEqualTo(1);
            assertThatThrownBy(() -> withAntomKeys(settings, http, AntomPublicKeys.of(newKey, null)).execute(pay))
                    .isInstanceOf(AntomCallException.class).hasMessageContaining("no valid Antom signature");
        }
    }

    private static java.security.PublicKey newPublicKey() throws Exception {
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair().getPublic();
    }

    @Test
    void theSettingsNeverPrintAKey() {
        AntomSettings inline = settings("-----BEGIN PRIVATE KEY-----MIIEvQ", "MIIBIjANBgkq");
        assertThat(inline.toString()).contains("SANDBOX_TEST").doesNotContain("MIIEvQ", "MIIBIjANBgkq");
    }

    /** A production client id with a plain-http gateway is warned about at start-up; a sandbox one is not. */
    @Test
    void aPlainHttpGatewayForAProductionClientIdIsWarnedAbout() throws Exception {
        try (LogLines lines = LogLines.of(GatewayConfiguration.class)) {
            for (String clientId : List.of("2188120000000001", "SANDBOX_TEST")) {
                AntomSettings settings = new AntomSettings(clientId, "http://antom-egress.internal",
                        "config/sandbox-keys/merchant-private.pem", "config/sandbox-keys/antom-public.pem", null, 1,
                        Duration.ofSeconds(2), Duration.ofSeconds(1), 4, "https://merchant.example/notify",
                        new AntomSettings.Retry(1, Duration.ofMillis(10), 2, Duration.ofMillis(10)));
                try (CloseableHttpClient http = new GatewayConfiguration().antomHttpClient(settings)) {
                    new GatewayConfiguration().antomClient(settings, http,
                            AntomPublicKeys.of("config/sandbox-keys/antom-public.pem", null), Clock.systemUTC());
                }
            }
            assertThat(lines.atLeast(Level.WARN)).filteredOn(line -> line.contains("plain http")).singleElement()
                    .satisfies(line -> assertThat(line).contains("2188120000000001"));
        }
    }

    /** The client with the sandbox's merchant key, trusting the sandbox's "Antom" key. */
    private static AntomClient withSandboxKeys(AntomSettings settings, CloseableHttpClient http) {
        return withAntomKeys(settings, http, AntomPublicKeys.of("config/sandbox-keys/antom-public.pem", null));
    }

    private static AntomClient withAntomKeys(AntomSettings settings, CloseableHttpClient http, AntomPublicKeys keys) {
        return new AntomClient(settings, http,
                RsaKeys.privateKey("config/sandbox-keys/merchant-private.pem", "merchant key"), keys,
                Clock.systemUTC());
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

    private AntomSettings settings(String gatewayUrl) {
        return settings(gatewayUrl, "unused", "unused");
    }

    private AntomSettings settings(String merchantPrivateKey, String antomPublicKey) {
        return settings(baseUrl(), merchantPrivateKey, antomPublicKey);
    }

    private AntomSettings settings(String gatewayUrl, String merchantPrivateKey, String antomPublicKey) {
        return new AntomSettings("SANDBOX_TEST", gatewayUrl, merchantPrivateKey, antomPublicKey, null, 1,
                Duration.ofSeconds(2),
                Duration.ofSeconds(1), 4, "https://merchant.example/notify",
                new AntomSettings.Retry(1, Duration.ofMillis(10), 2, Duration.ofMillis(10)));
    }
}
