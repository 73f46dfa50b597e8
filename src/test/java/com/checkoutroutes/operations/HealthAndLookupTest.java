package com.checkoutroutes.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.checkoutroutes.ledger.OrderConsults;
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.testsupport.DemoCredentials;
import com.checkoutroutes.testsupport.FlowTestSupport;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/** What operators and the orchestrator see over HTTP: health, readiness, and the payment lookup. */
class HealthAndLookupTest extends FlowTestSupport {

    @Value("${checkout.http.payments-path}")
    String paymentsPath;
    @Autowired
    CamelContext camel;
    @Autowired
    OrderConsults consults;
    /** the operator API on the doors' port, the actuator on the management port, and a probe (no user) there */
    OperatorHttp http;
    private static final String UTC_SECONDS = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+00:00";
    OperatorHttp actuator;
    OperatorHttp probe;

    @BeforeEach
    void operator() {
        http = new OperatorHttp(port, DemoCredentials.OPERATOR);
        actuator = new OperatorHttp(managementPort, DemoCredentials.OPERATOR);
        probe = new OperatorHttp(managementPort, null);
    }

    @Test
    void healthShowsCamelTheKafkaConsumerTheTopicsAndTheDatabase() {
        var response = actuator.get("/actuator/health");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode components = read(response.body()).path("components");
        assertThat(components.path("db").path("status").asText()).isEqualTo("UP");
        assertThat(components.path("db").path("details").path("database").asText()).isEqualTo("PostgreSQL");
        JsonNode camelChecks = components.path("camelHealth").path("details");
        assertThat(components.path("camelHealth").path("status").asText()).isEqualTo("UP");
        assertThat(camelChecks.path("route:order-intake").asText()).isEqualTo("UP");
        // camel-kafka's consumer health check: the order consumers are connected to the brokers
        assertThat(camelChecks.path("consumer:order-intake").asText()).isEqualTo("UP");
        assertThat(camelChecks.path("consumer:order-intake.data").path("check.id").asText())
                .isEqualTo("consumer:kafka-order-intake");
        // this service's topics, which the tests' broker creates on first use
        assertThat(components.path("kafkaTopics").path("status").asText()).isEqualTo("UP");
        assertThat(components.path("kafkaTopics").path("details").path("topics").asInt()).isEqualTo(11);
    }

    @Test
    void readyOnlyWhileTheRoutesRun() throws Exception {
        assertThat(probe.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
        assertThat(read(probe.get("/actuator/health/readiness").body()).path("status").asText()).isEqualTo("UP");
        try {
            camel.getRouteController().stopRoute("order-intake");
            await().atMost(Duration.ofSeconds(20)).until(() -> probe.get("/actuator/health/readiness").statusCode(),
                    status -> status == 503);
            assertThat(probe.get("/actuator/health/liveness").statusCode()).as("alive, just not ready").isEqualTo(200);
        } finally {
            camel.getRouteController().startRoute("order-intake");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> probe.get("/actuator/health/readiness").statusCode(),
                status -> status == 200);
    }

    @Test
    void lookupByOrderAndByState() {
        String orderId = newOrderId();
        publish(order(orderId));
        awaitChannelMessage("WEB", orderId);
        PaymentAttempt attempt = onlyAttempt(orderId);

        var byOrder = http.get(paymentsPath + "/" + orderId);
        assertThat(byOrder.statusCode()).isEqualTo(200);
        JsonNode view = read(byOrder.body()).get(0);
        assertThat(view.path("paymentRequestId").asText()).isEqualTo(attempt.paymentRequestId());
        assertThat(view.path("state").asText()).isEqualTo("PENDING");
        assertThat(view.path("paymentId").asText()).isEqualTo(attempt.paymentId());
        assertThat(view.path("lastChannelMessage").path("action").asText()).isEqualTo("REDIRECT");
        assertThat(view.path("history").findValuesAsText("to")).containsExactly("CREATED", "REQUESTED", "PENDING");
        // one offset convention for everything published: Antom's format at UTC
        assertThat(view.path("expiresAt").asText()).matches(UTC_SECONDS);
        assertThat(view.path("history").findValuesAsText("at")).allSatisfy(at -> assertThat(at).matches(UTC_SECONDS));
        assertThat(view.path("lastChannelMessage").path("expiresAt").asText()).matches(UTC_SECONDS);

        JsonNode pending = read(http.get(paymentsPath + "?state=PENDING&limit=1000").body());
        assertThat(pending.findValuesAsText("paymentRequestId")).contains(attempt.paymentRequestId());
        JsonNode failed = read(http.get(paymentsPath + "?state=FAILED").body());
        assertThat(failed.findValuesAsText("paymentRequestId")).doesNotContain(attempt.paymentRequestId());

        assertThat(http.get(paymentsPath + "/NO-SUCH-ORDER").statusCode()).isEqualTo(404);
        assertThat(http.get(paymentsPath + "?state=NOT_A_STATE").statusCode()).isEqualTo(400);
        assertThat(read(http.get(paymentsPath + "?state=NOT_A_STATE").body()).path("code").asText())
                .isEqualTo("INVALID_STATE");
        // was a 500 with a PSQLException in the log for -1
        for (String limit : new String[] {"-1", "0", "1001", "ten", "99999999999"}) {
            var answer = http.get(paymentsPath + "?state=PENDING&limit=" + limit);
            assertThat(answer.statusCode()).as(limit).isEqualTo(400);
            assertThat(read(answer.body()).path("code").asText()).as(limit).isEqualTo("INVALID_LIMIT");
        }
    }

    @Test
    void anOrderWithoutAMethodIsVisibleAsItsConsult() {
        String orderId = newOrderId();
        publish(orderWithoutMethod(orderId));
        awaitChannelMessage("WEB", orderId);

        var byOrder = http.get(paymentsPath + "/" + orderId);
        assertThat(byOrder.statusCode()).as(byOrder.body()).isEqualTo(200);
        JsonNode consult = read(byOrder.body()).get(0);
        assertThat(consult.path("kind").asText()).isEqualTo("consult");
        assertThat(consult.path("state").asText()).isEqualTo("CHOOSE_METHOD");
        assertThat(consult.path("resultCode").asText()).isEqualTo("SUCCESS");
        assertThat(consult.path("consultedAt").asText()).matches(UTC_SECONDS);
        assertThat(consult.path("lastChannelMessage").path("action").asText()).isEqualTo("CHOOSE_METHOD");
        assertThat(consult.path("lastChannelMessage").path("paymentOptions")).isNotEmpty();
    }

    @Test
    void anOrderConsultedOverAndOverShowsItsNewestConsultsOnly() {
        String orderId = newOrderId();
        for (int i = 1; i <= OrderConsults.MAX_SHOWN + 5; i++) {
            consults.record(orderId, i, "FAILED", "CODE_" + i, "consult " + i, "{}");
        }

        List<OrderConsults.Consult> shown = consults.of(orderId);
        assertThat(shown).extracting(OrderConsults.Consult::resultCode)
                .containsExactlyElementsOf(IntStream.rangeClosed(6, OrderConsults.MAX_SHOWN + 5)
                        .mapToObj(i -> "CODE_" + i).toList());
        var byOrder = http.get(paymentsPath + "/" + orderId);
        assertThat(read(byOrder.body())).hasSize(OrderConsults.MAX_SHOWN);
    }
}
