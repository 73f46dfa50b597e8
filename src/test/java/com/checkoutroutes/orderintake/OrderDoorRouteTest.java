package com.checkoutroutes.orderintake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import com.checkoutroutes.testsupport.RouteTestSupport;
import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

/**
 * routes/orders-http.yaml with its error answer (error-handling.yaml), fast: the HTTP door replaced by a direct
 * endpoint, the orders topic by a send that fails as Kafka's producer does when no broker answers within
 * max-block-ms. The caller hears 503 with a code and Retry-After, not a bare 500, and nothing is accepted.
 */
@TestPropertySource(properties = {RouteTestSupport.NO_DATABASE,
    "camel.main.routes-include-pattern=file:routes/orders-http.yaml,file:routes/error-handling.yaml"})
@org.springframework.context.annotation.Import(com.checkoutroutes.platform.InfrastructureFailures.class)
class OrderDoorRouteTest extends RouteTestSupport {

    @MockitoBean(name = "orderDoor")
    OrderDoor door;

    @Override
    protected void adviseRoutes() throws Exception {
        AdviceWith.adviceWith(camel, "order-http-door", route -> {
            route.replaceFromWith("direct:order-door");
            route.weaveByToUri("kafka:*").replace()
                    .throwException(new TimeoutException("Topic checkout.orders not present in metadata after 5000 ms."));
        });
    }

    @Test
    void anOrderKafkaDoesNotTakeIsAnswered503WithACodeAndRetryAfter() {
        doAnswer(call -> {
            Exchange exchange = call.getArgument(0);
            exchange.setProperty(OrderDoor.VERDICT, OrderDoor.Verdict.NEW.name());
            exchange.setProperty(OrderDoor.ORDER_ID, "ORD-DOOR-1");
            return null;
        }).when(door).check(any(), anyString());

        Exchange answer = producer.request("direct:order-door",
                e -> e.getIn().setBody("{\"orderId\":\"ORD-DOOR-1\"}".getBytes(StandardCharsets.UTF_8)));

        assertThat(answer.getException()).isNull();
        assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class)).isEqualTo(503);
        assertThat(answer.getMessage().getHeader("Retry-After", String.class)).isEqualTo("5");
        assertThat(answer.getMessage().getHeader("Content-Type", String.class)).isEqualTo("application/json");
        assertThat(answer.getMessage().getBody(String.class)).contains("\"accepted\":false")
                .contains("\"status\":\"NOT_PUBLISHED\"");
        // counted as not published, not as accepted
        verify(door).notPublished();
        verify(door, never()).published();
    }

    /** A bug is 500 with a code, not a 503 that tells the caller to post again and again. */
    @Test
    void aFailureOfTheDoorItselfIs500() {
        org.mockito.Mockito.doThrow(new NullPointerException("a bug")).when(door).check(any(), anyString());

        Exchange answer = producer.request("direct:order-door",
                e -> e.getIn().setBody("{}".getBytes(StandardCharsets.UTF_8)));

        assertThat(answer.getException()).isNull();
        assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class)).isEqualTo(500);
        assertThat(answer.getMessage().getHeader("Retry-After")).isNull();
        assertThat(answer.getMessage().getBody(String.class)).contains("\"status\":\"INTERNAL_ERROR\"");
        verify(door).failed();
    }
}
