package com.checkoutroutes.access;

import static com.checkoutroutes.testsupport.DemoCredentials.MONITOR;
import static com.checkoutroutes.testsupport.DemoCredentials.OPERATOR;
import static com.checkoutroutes.testsupport.DemoCredentials.ORDER_SYSTEM;
import static org.assertj.core.api.Assertions.assertThat;

import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.testsupport.DemoCredentials;
import com.checkoutroutes.testsupport.FlowTestSupport;
import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.filter.FormContentFilter;

/**
 * The door suite: every HTTP door × anonymous / wrong role / right role, through the shipped config and routes.
 * The demo users (HTTP Basic) and bearer JWTs from a stand-in identity provider (its key set on loopback) both hold
 * roles. Notifications stay open (Antom's signature guards them); the actuator lives on the management port only,
 * probes and the health status open to anyone, details, metrics and prometheus to operators only.
 */
@ExtendWith(OutputCaptureExtension.class)
class DoorsTest extends FlowTestSupport {

    private static final RSAKey IDP_KEY = rsaKey("idp");
    private static final RSAKey FORGER_KEY = rsaKey("idp"); // same key id, another key: a forged token
    private static final HttpServer IDP = identityProvider();
    /** The stand-in identity provider answers its key set with 502 while true. */
    private static volatile boolean IDP_FAILING;

    private final HttpClient http = HttpClient.newHttpClient();

    @Autowired
    MeterRegistry meters;
    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcTemplate jdbc;

    @Value("${checkout.http.orders-path}")
    String ordersPath;
    @Value("${checkout.http.payments-path}")
    String paymentsPath;
    @Value("${checkout.http.shipment-checks-path}")
    String shipmentChecksPath;
    @Value("${management.server.address}")
    String managementAddress;

    @DynamicPropertySource
    static void bearerTokensFromTheStandInIdentityProvider(DynamicPropertyRegistry registry) {
        registry.add("checkout.access.jwt.jwk-set-uri",
                () -> "http://127.0.0.1:" + IDP.getAddress().getPort() + "/jwks");
        registry.add("checkout.access.jwt.audience", () -> "checkout-routes");
        // one endpoint more than shipped, as an operator might expose: operators only, not monitors
        registry.add("management.endpoints.web.exposure.include",
                () -> "health,info,prometheus,metrics,camel,loggers");
    }

    @AfterAll
    static void stopIdentityProvider() {
        IDP.stop(0);
    }

    // ---- the doors' port

    @Test
    void theOrderDoorTakesOrdersFromOrderPublishersOnly() {
        assertThat(postOrder(null).statusCode()).isEqualTo(401);
        assertThat(postOrder(basic(ORDER_SYSTEM, "wrong-password")).statusCode()).isEqualTo(401);
        assertThat(postOrder(basic(OPERATOR)).statusCode()).as("an operator publishes no orders").isEqualTo(403);
        assertThat(postOrder(bearer(IDP_KEY, "OPERATOR")).statusCode()).isEqualTo(403);
        assertThat(postOrder(bearer(FORGER_KEY, "ORDER_PUBLISHER")).statusCode()).as("forged token").isEqualTo(401);
        assertThat(postOrder(bearer(IDP_KEY, "ORDER_PUBLISHER", -60)).statusCode()).as("expired token").isEqualTo(401);
        assertThat(postOrder(bearer(IDP_KEY, "ORDER_PUBLISHER", NO_EXPIRY)).statusCode())
                .as("a token that never expires").isEqualTo(401);
        assertThat(postOrder(bearer(IDP_KEY, "ORDER_PUBLISHER", 300, "another-service")).statusCode())
                .as("a token for another audience").isEqualTo(401);
        assertThat(postOrder("Bearer not-a-token").statusCode()).isEqualTo(401);

        String orderId = newOrderId();
        double acceptedBefore = meters.counter("checkout.orders.http", "outcome", "accepted").count();
        HttpResponse<String> accepted = send("POST", port, ordersPath, basic(ORDER_SYSTEM), orderJson(orderId));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        assertThat(meters.counter("checkout.orders.http", "outcome", "accepted").count() - acceptedBefore)
                .as("counted once Kafka took it").isEqualTo(1);
        awaitChannelMessage("WEB", orderId);
        assertThat(postOrder(bearer(IDP_KEY, "ORDER_PUBLISHER")).statusCode()).isEqualTo(202);
    }

    /** A door's requests are measured once, by Spring MVC, and not again filter by filter by Spring Security. */
    @Test
    void requestsAreMeasuredWithoutSpringSecuritysOwnObservations() {
        assertThat(postOrder(null).statusCode()).isEqualTo(401);
        assertThat(send("POST", port, ordersPath, basic(ORDER_SYSTEM), orderJson(newOrderId())).statusCode())
                .isEqualTo(202);

        assertThat(meters.find("http.server.requests").timers()).as("the request metric").isNotEmpty();
        assertThat(meters.getMeters()).as("no meter of Spring Security's observations")
                .noneMatch(m -> m.getId().getName().startsWith("spring.security."));
    }

    @Test
    void theOperatorApiAnswersOperatorsOnly() {
        PaymentAttempt attempt = pendingWallet();
        String orderId = attempt.orderId();
        for (String path : List.of(paymentsPath + "/" + orderId, paymentsPath + "?state=PENDING&limit=5",
                shipmentChecksPath + "/" + orderId)) {
            assertThat(get(port, path, null).statusCode()).as("anonymous " + path).isEqualTo(401);
            assertThat(get(port, path, basic(OPERATOR, "wrong-password")).statusCode()).as(path).isEqualTo(401);
            assertThat(get(port, path, basic(ORDER_SYSTEM)).statusCode()).as("order system " + path).isEqualTo(403);
            assertThat(get(port, path, bearer(IDP_KEY, "ORDER_PUBLISHER")).statusCode()).as(path).isEqualTo(403);
            assertThat(get(port, path, basic(MONITOR)).statusCode()).as("monitor " + path).isEqualTo(403);
            assertThat(get(port, path, basic(OPERATOR)).statusCode()).as("operator " + path).isEqualTo(200);
            assertThat(get(port, path, bearer(IDP_KEY, "OPERATOR")).statusCode()).as(path).isEqualTo(200);
        }
        assertThat(read(get(port, paymentsPath + "/" + orderId, basic(OPERATOR)).body()).get(0)
                .path("paymentRequestId").asText()).isEqualTo(attempt.paymentRequestId());
    }

    @Test
    void antomsNotificationsNeedNoUser() {
        // the sandbox (as Antom) notifies without credentials; the payment is applied
        paidWallet();
        // and a caller without a signature is refused by the signature check (its own 401), not asked to log in
        HttpResponse<String> unsigned = send("POST", port, notificationsPath, null, "{}");
        assertThat(unsigned.statusCode()).isEqualTo(401);
        assertThat(unsigned.body()).contains("MISSING_SIGNATURE_HEADERS");
        assertThat(unsigned.headers().allValues("WWW-Authenticate")).isEmpty();
        // no credential is read there: a made-up bearer token or Basic password changes nothing of the answer
        for (String credential : List.of("Bearer not.a.token", basic(OPERATOR, "wrong-password"))) {
            HttpResponse<String> with = send("POST", port, notificationsPath, credential, "{}");
            assertThat(with.statusCode()).as(credential).isEqualTo(401);
            assertThat(with.body()).as(credential).contains("MISSING_SIGNATURE_HEADERS");
        }
    }

    @Test
    void anythingElseOnTheDoorsPortIsClosed() {
        for (String path : List.of("/actuator/health", "/actuator/health/readiness", "/actuator/prometheus",
                "/actuator", "/no-such-door")) {
            assertThat(get(port, path, null).statusCode()).as("anonymous " + path).isEqualTo(401);
            HttpResponse<String> operator = get(port, path, basic(OPERATOR));
            assertThat(operator.statusCode()).as("the actuator is not on the doors' port: " + path).isEqualTo(403);
            assertThat(operator.body()).doesNotContain("\"status\"");
        }
        assertThat(send("DELETE", port, paymentsPath + "/X", basic(OPERATOR), null).statusCode()).isEqualTo(403);
        HttpResponse<String> anonymous = get(port, paymentsPath + "/X", null);
        assertThat(anonymous.headers().allValues("WWW-Authenticate")).anySatisfy(v -> assertThat(v).startsWith("Basic"));
    }

    /**
     * Spring's form-content filter reads the whole body of a form PUT, PATCH or DELETE into memory at order -9900,
     * before Spring Security refuses an anonymous caller without reading it and before the doors' size limit: a
     * stranger's unbounded body. The shipped configuration switches it off.
     */
    @Test
    void noFilterReadsABodyBeforeTheCallerAndTheLimitAreChecked() {
        assertThat(context.getBeanNamesForType(FormContentFilter.class)).isEmpty();
        HttpResponse<String> anonymous = send("PUT", port, "/no-such-door", null, "a&".repeat(10_000));
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }

    // ---- the management port

    @Test
    void probesAndTheHealthStatusAnswerAnyone() {
        assertThat(managementAddress).as("shipped: loopback").isEqualTo("127.0.0.1");
        assertThat(managementPort).isNotEqualTo(port);
        for (String probe : List.of("/actuator/health/liveness", "/actuator/health/readiness", "/actuator/health")) {
            HttpResponse<String> answer = get(managementPort, probe, null);
            assertThat(answer.statusCode()).as(probe).isEqualTo(200);
            JsonNode body = read(answer.body());
            assertThat(body.path("status").asText()).isEqualTo("UP");
            assertThat(body.has("components")).as("no details for anonymous " + probe).isFalse();
        }
        assertThat(read(get(managementPort, "/actuator/health", basic(ORDER_SYSTEM)).body()).has("components"))
                .as("no details for the order system").isFalse();
        // nor a component's page (the database, the disk path)
        for (String component : List.of("/actuator/health/db", "/actuator/health/diskSpace")) {
            HttpResponse<String> answer = get(managementPort, component, null);
            assertThat(answer.body()).as(component).doesNotContain("details").doesNotContain("PostgreSQL")
                    .doesNotContain("path");
            assertThat(get(managementPort, component, basic(OPERATOR)).body()).as(component).contains("details");
        }
    }

    @Test
    void healthDetailsMetricsAndPrometheusOnlyToOperatorsAndMonitors() {
        JsonNode health = read(get(managementPort, "/actuator/health", basic(OPERATOR)).body());
        assertThat(health.path("components").path("db").path("status").asText()).isEqualTo("UP");
        assertThat(read(get(managementPort, "/actuator/health", basic(MONITOR)).body()).has("components")).isTrue();
        assertThat(read(get(managementPort, "/actuator/health", bearer(IDP_KEY, "OPERATOR")).body())
                .has("components")).isTrue();
        for (String path : List.of("/actuator/prometheus", "/actuator/metrics", "/actuator/info", "/actuator")) {
            assertThat(get(managementPort, path, null).statusCode()).as("anonymous " + path).isEqualTo(401);
            assertThat(get(managementPort, path, basic(ORDER_SYSTEM)).statusCode()).as(path).isEqualTo(403);
            assertThat(get(managementPort, path, basic(OPERATOR)).statusCode()).as("operator " + path).isEqualTo(200);
            assertThat(get(managementPort, path, basic(MONITOR)).statusCode()).as("monitor " + path).isEqualTo(200);
        }
        assertThat(get(managementPort, "/actuator/prometheus", basic(MONITOR)).body())
                .contains("checkout_orders_received_total");
    }

    /**
     * A monitoring client's credential (Prometheus keeps it in its config) opens neither the console, whose actions
     * refund and cancel, nor Camel's consoles.
     */
    @Test
    void anEndpointExposedBeyondTheShippedOnesIsForOperatorsOnly() {
        assertThat(get(managementPort, "/actuator/loggers", basic(MONITOR)).statusCode()).isEqualTo(403);
        assertThat(get(managementPort, "/actuator/loggers", basic(OPERATOR)).statusCode()).isEqualTo(200);
        assertThat(get(managementPort, "/actuator/metrics/jvm.memory.used", basic(MONITOR)).statusCode())
                .as("a metric of its own").isEqualTo(200);
    }

    @Test
    void aMonitorReadsTheActuatorButNotTheConsole() {
        for (String path : List.of("/console/attention", "/console/confirm/refund?orderId=X", "/actuator/camel/route")) {
            assertThat(get(managementPort, path, basic(MONITOR)).statusCode()).as("monitor " + path).isEqualTo(403);
            assertThat(get(managementPort, path, basic(OPERATOR)).statusCode()).as("operator " + path)
                    .isNotIn(401, 403);
        }
    }

    /**
     * HTTP Basic opens the console's pages to an operator's client but runs no action: Basic opens no session, and
     * the cookie's CSRF token is the sign-in form's only, so a cookie planted beside a forged form (another service on
     * the same host sets cookies for every port) cannot stand in for the session's.
     */
    @Test
    void aConsoleActionSentWithBasicCredentialsIsRefusedWhateverCsrfCookieComesWithIt() throws Exception {
        String orderId = newOrderId();
        HttpRequest action = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort
                        + "/console/actions/check-with-antom"))
                .header("Authorization", basic(OPERATOR))
                .header("Cookie", "XSRF-TOKEN=planted-by-another-service")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + masked("planted-by-another-service")
                        + "&orderId=" + orderId + "&reason=forged"))
                .build();

        HttpResponse<String> answer = http.send(action, HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(answer.headers().allValues("Set-Cookie")).as("the sign-in form's token is left as it is")
                .noneMatch(cookie -> cookie.startsWith("XSRF-TOKEN"));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM console_action WHERE order_id = ?", Integer.class,
                orderId)).isZero();
    }

    /** A token as a form carries it (Spring Security's XOR masking, which anyone can apply to a token they know). */
    private static String masked(String token) {
        byte[] plain = token.getBytes(StandardCharsets.UTF_8);
        byte[] combined = new byte[plain.length * 2];
        for (int i = 0; i < plain.length; i++) {
            combined[i] = (byte) (i * 7 + 1);
            combined[plain.length + i] = (byte) (combined[i] ^ plain[i]);
        }
        return java.util.Base64.getUrlEncoder().encodeToString(combined);
    }

    @Test
    void theManagementPortServesNoDoor() {
        HttpResponse<String> order = send("POST", managementPort, ordersPath, basic(ORDER_SYSTEM),
                orderJson(newOrderId()));
        assertThat(order.statusCode()).isIn(403, 404);
        assertThat(get(managementPort, paymentsPath + "?state=PENDING", basic(OPERATOR)).statusCode()).isIn(403, 404);
    }

    @Test
    void credentialsNeverReachTheLog(CapturedOutput output) {
        postOrder(basic(ORDER_SYSTEM));
        postOrder(basic(ORDER_SYSTEM, "a-wrong-secret"));
        get(port, paymentsPath + "/X", basic(OPERATOR));
        assertThat(output.getAll()).doesNotContain(DemoCredentials.PASSWORD).doesNotContain("a-wrong-secret")
                .doesNotContain(basic(ORDER_SYSTEM).substring("Basic ".length()))
                .doesNotContain(DemoCredentials.ORDER_SYSTEM_HASH.substring("{bcrypt}".length()));
    }

    // ---- helpers

    private HttpResponse<String> postOrder(String authorization) {
        return send("POST", port, ordersPath, authorization, orderJson(newOrderId()));
    }

    private String orderJson(String orderId) {
        try {
            return json.writeValueAsString(order(orderId));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> get(int toPort, String path, String authorization) {
        return send("GET", toPort, path, authorization, null);
    }

    private HttpResponse<String> send(String method, int toPort, String path, String authorization, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + toPort + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path, e);
        }
    }

    private static String basic(String user) {
        return DemoCredentials.basic(user);
    }

    /**
     * The identity provider answers 502 when a token of a key id the service has not seen (a rotated key) comes: the
     * token could not be checked, so the order system hears 503 and tries again, not 500.
     */
    @Test
    void aTokenTheIdentityProviderCannotCheckNowIs503() throws Exception {
        IDP_FAILING = true;
        try {
            HttpResponse<String> answer = postOrder(bearer(rsaKey("rotated-" + UUID.randomUUID()), "ORDER_PUBLISHER"));
            assertThat(answer.statusCode()).isEqualTo(503);
            assertThat(answer.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(answer.body()).contains("TOKEN_NOT_CHECKED");
            // the same token in the DPoP scheme (Spring Security's DPoP filter, which rethrows what it could not
            // check): refused 401, not 500
            String token = bearer(rsaKey("rotated-" + UUID.randomUUID()), "ORDER_PUBLISHER").substring(7);
            HttpResponse<String> dpop = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + ordersPath)).header("Authorization", "DPoP " + token).header("DPoP", token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(orderJson(newOrderId()))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(dpop.statusCode()).isEqualTo(401);
        } finally {
            IDP_FAILING = false;
        }
        assertThat(postOrder(bearer(FORGER_KEY, "ORDER_PUBLISHER")).statusCode()).as("a forged one stays 401")
                .isEqualTo(401);
    }

    private static String basic(String user, String password) {
        return DemoCredentials.basic(user, password);
    }

    private static String bearer(RSAKey key, String role) {
        return bearer(key, role, 300);
    }

    private static String bearer(RSAKey key, String role, long seconds) {
        return bearer(key, role, seconds, "checkout-routes");
    }

    /** For {@link #bearer}: a token without an expiry ({@code exp}). */
    private static final long NO_EXPIRY = Long.MAX_VALUE;

    /**
     * A token signed with {@code key}, listing {@code role} in the roles claim, expiring in {@code seconds}
     * ({@link #NO_EXPIRY}: never).
     */
    private static String bearer(RSAKey key, String role, long seconds, String audience) {
        try {
            long now = System.currentTimeMillis();
            JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("svc-" + role.toLowerCase()).audience(audience)
                    .issueTime(new Date(now - 120_000)).expirationTime(seconds == NO_EXPIRY ? null : new Date(now + seconds * 1000))
                    .claim("roles", List.of(role)).build();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                    claims);
            jwt.sign(new RSASSASigner(key));
            return "Bearer " + jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static RSAKey rsaKey(String keyId) {
        try {
            return new RSAKeyGenerator(2048).keyID(keyId).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The identity provider's key set (public key only), on loopback. */
    private static HttpServer identityProvider() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            byte[] keys = new JWKSet(IDP_KEY.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
            server.createContext("/jwks", exchange -> {
                if (IDP_FAILING) {
                    exchange.sendResponseHeaders(502, -1);
                    exchange.close();
                    return;
                }
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, keys.length);
                exchange.getResponseBody().write(keys);
                exchange.close();
            });
            server.start();
            return server;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
