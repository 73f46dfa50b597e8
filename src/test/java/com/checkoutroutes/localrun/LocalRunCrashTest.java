package com.checkoutroutes.localrun;

import static org.assertj.core.api.Assertions.assertThat;

import com.checkoutroutes.testsupport.ApplicationProcess;
import com.checkoutroutes.testsupport.DemoCredentials;
import com.checkoutroutes.testsupport.FreePort;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.FileSystemUtils;

/**
 * The local run ({@code ./mvnw spring-boot:test-run}) keeps its data: started in an operator's folder with the
 * shipped config/ and routes/, SIGKILLed while orders are being paid and again while buyers pay, restarted each
 * time: every accepted order is paid exactly once, no paymentId is handed out twice, no attempt is left stuck.
 */
@Tag("flow")
class LocalRunCrashTest {

    private static final int ORDERS = Integer.getInteger("localrun.orders", 40);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void killedAndRestartedTheLocalRunPaysEveryAcceptedOrderOnce(@TempDir Path operator) throws Exception {
        FileSystemUtils.copyRecursively(Path.of("config"), operator.resolve("config"));
        FileSystemUtils.copyRecursively(Path.of("routes"), operator.resolve("routes"));
        int sandboxPort = FreePort.find();
        Map<String, String> settings = new HashMap<>();
        settings.put("checkout.kafka.embedded.port", String.valueOf(FreePort.find()));
        settings.put("checkout.sandbox.port", String.valueOf(sandboxPort));
        // Antom's resend schedule, compressed a hundredfold (2 min -> 1.2 s), so a resend lands within the test
        settings.put("checkout.sandbox.time-scale", "0.01");
        ApplicationProcess app = ApplicationProcess.localRun(operator, settings, FreePort.find(),
                Path.of("target", "localrun-crash"));
        String run = "LR" + System.nanoTime() % 100000 + "-";
        List<String> accepted = new ArrayList<>();
        try {
            app.start();
            // half the orders, killed while they are being paid at Antom
            for (int i = 0; i < ORDERS / 2; i++) {
                accepted.add(postOrder(app, run + i));
            }
            awaitAttempts(app, accepted, ORDERS / 8);
            app.kill();

            app.start();
            for (int i = ORDERS / 2; i < ORDERS; i++) {
                accepted.add(postOrder(app, run + i));
            }
            Map<String, String> paymentIds = awaitOnePendingPaymentEach(app, accepted);

            // buyers pay; killed while the notifications are under way, restarted
            paymentIds.values().forEach(paymentId -> buyerPays(sandboxPort, paymentId));
            app.kill();
            app.start();

            // Antom's resends bring the notifications within seconds of the restart. One whose early resends all failed
            // (the app down or starting, or busy) waits for a later one (49 s, 121 s, then 337 s after the first at this
            // time scale), or for the janitor: its first inquiry is due checkout.janitor.first-check.pending (3 min in
            // config/) after the attempt became PENDING, on the janitor's next 30 s run. The wait covers the janitor;
            // the orders it settled are listed below with what the sandbox sent them (CI once saw one still PENDING
            // 2 min after the restart)
            try {
                Awaitility.await().atMost(Duration.ofSeconds(270)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                        assertThat(accepted).allSatisfy(orderId ->
                                assertThat(attempts(app, orderId)).singleElement().satisfies(attempt ->
                                        assertThat(attempt.path("state").asText()).isEqualTo("SUCCEEDED"))));
            } catch (ConditionTimeoutException e) {
                try {
                    describe(app, sandboxPort, accepted.stream().filter(orderId -> !isPaidOnce(app, orderId)).toList());
                } catch (Exception | AssertionError unreadable) {
                    e.addSuppressed(unreadable);
                }
                throw e;
            }
            List<String> settledByTheJanitor = accepted.stream().filter(orderId -> attempts(app, orderId).get(0)
                    .path("history").findValuesAsText("cause").contains("INQUIRY")).toList();
            System.out.printf("local run crash: %d of %d orders settled by notifications, %d by the janitor's inquiry%n",
                    accepted.size() - settledByTheJanitor.size(), accepted.size(), settledByTheJanitor.size());
            if (!settledByTheJanitor.isEmpty()) {
                describe(app, sandboxPort, settledByTheJanitor);
            }
            assertOnePaymentPerOrderAtTheSandbox(sandboxPort, app, accepted);
        } finally {
            app.stop();
        }
    }

    private String postOrder(ApplicationProcess app, String orderId) throws IOException, InterruptedException {
        String order = """
                {"orderId":"%s","amount":{"currency":"USD","value":"1250"},"description":"local run crash",
                 "paymentMethodType":"ALIPAY_CN","integration":"API",
                 "channel":{"terminalType":"WEB","clientIp":"203.0.113.7"},
                 "resultPageUrl":"https://shop.example/orders/%s/result"}""".formatted(orderId, orderId);
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(uri(app, "/orders"))
                .header("Authorization", DemoCredentials.basic(DemoCredentials.ORDER_SYSTEM))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(order)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        return orderId;
    }

    private void awaitAttempts(ApplicationProcess app, List<String> orderIds, int atLeast) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() ->
                orderIds.stream().filter(orderId -> !attempts(app, orderId).isEmpty()).count() >= atLeast);
    }

    /** Every order has exactly one attempt, PENDING at Antom with a paymentId; returns orderId -> paymentId. */
    private Map<String, String> awaitOnePendingPaymentEach(ApplicationProcess app, List<String> orderIds) {
        Map<String, String> paymentIds = new HashMap<>();
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            for (String orderId : orderIds) {
                assertThat(attempts(app, orderId)).as(orderId).singleElement().satisfies(attempt -> {
                    assertThat(attempt.path("state").asText()).isEqualTo("PENDING");
                    paymentIds.put(orderId, attempt.path("paymentId").asText());
                });
            }
        });
        assertThat(new HashSet<>(paymentIds.values())).as("no paymentId handed out twice").hasSize(orderIds.size());
        return paymentIds;
    }

    private void assertOnePaymentPerOrderAtTheSandbox(int sandboxPort, ApplicationProcess app, List<String> orderIds)
            throws Exception {
        JsonNode payments = get(URI.create("http://127.0.0.1:" + sandboxPort + "/sandbox/control/payments"))
                .path("payments");
        Map<String, JsonNode> byRequestId = new HashMap<>();
        Set<String> paymentIds = new HashSet<>();
        payments.forEach(p -> {
            byRequestId.put(p.path("paymentRequestId").asText(), p);
            assertThat(paymentIds.add(p.path("paymentId").asText())).as("paymentId reused: " + p).isTrue();
        });
        assertThat(payments).as("one payment at Antom per order").hasSize(orderIds.size());
        for (String orderId : orderIds) {
            JsonNode attempt = attempts(app, orderId).get(0);
            JsonNode atAntom = byRequestId.get(attempt.path("paymentRequestId").asText());
            assertThat(atAntom).as(orderId + " at the sandbox").isNotNull();
            assertThat(atAntom.path("paymentId").asText()).isEqualTo(attempt.path("paymentId").asText());
            assertThat(atAntom.path("paymentStatus").asText()).isEqualTo("SUCCESS");
        }
    }

    private void buyerPays(int sandboxPort, String paymentId) {
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(
                            "http://127.0.0.1:" + sandboxPort + "/sandbox/buyer/" + paymentId + "/pay"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<JsonNode> attempts(ApplicationProcess app, String orderId) {
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(uri(app, "/payments/" + orderId))
                            .header("Authorization", DemoCredentials.basic(DemoCredentials.OPERATOR)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 404) {
                return List.of();
            }
            List<JsonNode> attempts = new ArrayList<>();
            json.readTree(answer.body()).forEach(attempts::add);
            return attempts;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean isPaidOnce(ApplicationProcess app, String orderId) {
        List<JsonNode> found = attempts(app, orderId);
        return found.size() == 1 && "SUCCEEDED".equals(found.get(0).path("state").asText());
    }

    /** For the report: each order's attempts, what the sandbox sent since the restart, and the app's log lines. */
    private void describe(ApplicationProcess app, int sandboxPort, List<String> orderIds) throws Exception {
        for (String orderId : orderIds) {
            List<JsonNode> found = attempts(app, orderId);
            System.out.printf("local run crash: %s: %s%n", orderId, found);
            for (JsonNode attempt : found) {
                String paymentRequestId = attempt.path("paymentRequestId").asText();
                System.out.printf("  sandbox notifications since the restart: %s%n", get(URI.create("http://127.0.0.1:"
                        + sandboxPort + "/sandbox/control/notifications?paymentRequestId=" + paymentRequestId)));
                for (Path log : app.logs()) {
                    String name = log.getFileName().toString();
                    try (var lines = Files.lines(log)) {
                        lines.filter(l -> l.contains(paymentRequestId) || l.contains(orderId))
                                .forEach(l -> System.out.printf("  %s: %s%n", name, l));
                    }
                }
            }
        }
    }

    private JsonNode get(URI uri) throws IOException, InterruptedException {
        return json.readTree(http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
                .body());
    }

    private static URI uri(ApplicationProcess app, String path) {
        return URI.create("http://127.0.0.1:" + app.port() + path);
    }
}
