package com.checkoutroutes.orderintake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import com.checkoutroutes.deadletter.DeadLetterArchive;
import com.checkoutroutes.deadletter.DeadLetters;
import com.checkoutroutes.platform.InfrastructureFailures;
import com.checkoutroutes.testsupport.RouteTestSupport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.camel.EndpointInject;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.model.PausableDefinition;
import org.apache.camel.test.spring.junit5.MockEndpointsAndSkip;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import com.checkoutroutes.ledger.PaymentLedger;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * routes/orders.yaml with error-handling.yaml, fast: the Kafka consumer and the dead-letter topic replaced with
 * AdviceWith, the real reader and rules, and the payment start (Antom, the ledger) a Mockito bean. An order is read
 * and paid and its continuation flushed; a refused one is dead-lettered at once with its reason; a bug is retried
 * twice, then dead-lettered; a database failure is not handled, so the lane sends the order again.
 */
@TestPropertySource(properties = {RouteTestSupport.NO_DATABASE,
    "camel.main.routes-include-pattern=file:routes/orders.yaml,file:routes/error-handling.yaml",
    "checkout.orders.infrastructure-retry-delay=1"})
@Import({OrderRoutesTest.Beans.class, OrderReader.class, OrderRules.class, DeadLetters.class,
    InfrastructureFailures.class})
@MockEndpointsAndSkip("direct:outbox-flush")
class OrderRoutesTest extends RouteTestSupport {

    /** The route's beans under the names the route uses: the real order steps over a mocked payment start. */
    @TestConfiguration
    static class Beans {
        @Bean
        OrderIntake orderIntake(OrderReader reader, PaymentStarter payments, MeterRegistry meters,
                PaymentLedger ledger) {
            return new OrderIntake(reader, payments, meters, ledger);
        }
    }

    @MockitoBean
    PaymentStarter payments;
    /** Asked only whether an order the rules refuse was stored before: never here. */
    @MockitoBean
    PaymentLedger ledger;
    /** The dead letters kept for the console: a database write, out of these route tests' reach. */
    @MockitoBean(name = "deadLetterArchive")
    DeadLetterArchive deadLetterArchive;
    @Autowired
    ObjectMapper json;
    @EndpointInject("mock:direct:outbox-flush")
    MockEndpoint outboxFlush;
    @EndpointInject("mock:dead-letter-topic")
    MockEndpoint deadLetterTopic;

    @Override
    protected void adviseRoutes() throws Exception {
        // the Kafka consumer, its pause/resume listener and the order lanes give way to a direct endpoint
        AdviceWith.adviceWith(camel, "order-intake", route -> {
            route.replaceFromWith("direct:orders");
            route.weaveByType(PausableDefinition.class).remove();
            route.weaveByToUri("key-ordered:*").replace().to("direct:order-payment");
        });
        AdviceWith.adviceWith(camel, "order-dead-letter",
                route -> route.weaveByToUri("kafka:*").replace().to("mock:dead-letter-topic"));
    }

    @Test
    void anOrderIsReadItsPaymentStartedAndItsContinuationFlushed() throws Exception {
        NotifyBuilder paid = new NotifyBuilder(camel).fromRoute("order-intake").whenCompleted(1).create();
        outboxFlush.expectedMessageCount(1);
        deadLetterTopic.expectedMessageCount(0);

        send(validOrder("ORD-R1"));

        assertThat(paid.matches(5, TimeUnit.SECONDS)).isTrue();
        ArgumentCaptor<OrderMessage> order = ArgumentCaptor.forClass(OrderMessage.class);
        verify(payments).start(order.capture());
        assertThat(order.getValue().orderId()).isEqualTo("ORD-R1");
        assertThat(order.getValue().amount().value()).isEqualTo("1250");
        MockEndpoint.assertIsSatisfied(outboxFlush, deadLetterTopic);
    }

    @Test
    void aRefusedOrderIsDeadLetteredAtOnceWithItsReason() throws Exception {
        deadLetterTopic.expectedMessageCount(1);
        deadLetterTopic.expectedHeaderReceived(KafkaConstants.KEY, "ORD-R2");

        send(validOrder("ORD-R2").replace("\"USD\"", "\"XYZ\""));

        deadLetterTopic.assertIsSatisfied();
        JsonNode letter = json.readTree(deadLetterTopic.getExchanges().get(0).getIn().getBody(String.class));
        assertThat(letter.path("reason").path("code").asText()).isEqualTo("INVALID_CURRENCY");
        assertThat(letter.path("orderId").asText()).isEqualTo("ORD-R2");
        verify(payments, never()).start(any());
        verify(deadLetterArchive).keep(any()); // kept for the console before it is published
    }

    @Test
    void aBugIsTriedTwiceMoreThenDeadLettered() throws Exception {
        doThrow(new IllegalStateException("a bug")).when(payments).start(any());
        deadLetterTopic.expectedMessageCount(1);

        send(validOrder("ORD-R3"));

        deadLetterTopic.assertIsSatisfied();
        verify(payments, times(3)).start(any());
        JsonNode letter = json.readTree(deadLetterTopic.getExchanges().get(0).getIn().getBody(String.class));
        assertThat(letter.path("reason").path("code").asText()).isEqualTo("PROCESSING_ERROR");
        assertThat(letter.path("reason").path("message").asText()).contains("a bug");
    }

    /**
     * As the database's failures really arrive: Spring's exception over the driver's (pgjdbc's PSQLException, Hikari's
     * SQLTransientConnectionException), not only the bare exception. Camel matches a clause on the deepest cause
     * first, where only the catch-all matched an SQLException: such an order was retried twice and dead-lettered.
     */
    static Stream<Arguments> databaseFailures() {
        return Stream.of(
                Arguments.of("bare", new DataAccessResourceFailureException("database down")),
                Arguments.of("connection reset", new DataAccessResourceFailureException("database down",
                        new PSQLException("An I/O error occurred while sending to the backend.",
                                PSQLState.CONNECTION_FAILURE))),
                Arguments.of("no connection from the pool", new CannotCreateTransactionException("no connection",
                        new SQLTransientConnectionException("checkout - Connection is not available"))),
                Arguments.of("lock not acquired", new CannotAcquireLockException("lock timeout",
                        new PSQLException("canceling statement due to lock timeout", PSQLState.UNKNOWN_STATE))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databaseFailures")
    void aDatabaseFailureIsLeftToTheLaneToSendTheOrderAgain(String name, RuntimeException failure) throws Exception {
        doThrow(failure).when(payments).start(any());

        Exchange result = send(validOrder("ORD-R4"));

        assertThat(result.getException()).isSameAs(failure);
        verify(payments, times(1)).start(any());
        assertThat(deadLetterTopic.getReceivedCounter()).isZero();
        assertThat(outboxFlush.getReceivedCounter()).isZero();
    }

    private Exchange send(String order) {
        return producer.send("direct:orders", exchange -> {
            exchange.getIn().setBody(order.getBytes(StandardCharsets.UTF_8));
            exchange.getIn().setHeader(KafkaConstants.KEY, order.contains("ORD-R") ? order.replaceAll(
                    "(?s).*\"orderId\":\"([^\"]+)\".*", "$1") : null);
        });
    }

    private static String validOrder(String orderId) {
        return "{\"orderId\":\"" + orderId + "\",\"amount\":{\"currency\":\"USD\",\"value\":\"1250\"},"
                + "\"description\":\"Two cups of coffee\",\"paymentMethodType\":\"ALIPAY_CN\",\"integration\":\"API\","
                + "\"channel\":{\"terminalType\":\"WEB\",\"clientIp\":\"203.0.113.7\"},"
                + "\"resultPageUrl\":\"https://shop.example/orders/" + orderId + "/result\"}";
    }
}
