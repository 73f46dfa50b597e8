package com.checkoutroutes.orderintake;

import static org.assertj.core.api.Assertions.assertThat;

import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.sandbox.ApiCall;
import com.checkoutroutes.sandbox.FaultRule;
import com.checkoutroutes.sandbox.FaultType;
import com.checkoutroutes.testsupport.FlowTestSupport;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Timeouts, 5xx and U are retried with the same paymentRequestId; F is final and reaches the channel. */
class GatewayRetryTest extends FlowTestSupport {

    @Test
    void aTimedOutPayIsRetriedWithTheSameRequestAndSucceeds() {
        sandbox.addFault(FaultRule.of(FaultType.TIMEOUT).forApi("pay").withDelayMs(1600).withTimes(1));
        assertRetriedOnceThenPending();
    }

    @Test
    void a5xxIsRetriedWithTheSameRequest() {
        sandbox.addFault(FaultRule.of(FaultType.HTTP_5XX).forApi("pay").withHttpStatus(503).withTimes(1));
        assertRetriedOnceThenPending();
    }

    @Test
    void anUnknownExceptionIsRetriedWithTheSameRequest() {
        sandbox.addFault(FaultRule.of(FaultType.UNKNOWN_EXCEPTION).forApi("pay").withTimes(1));
        assertRetriedOnceThenPending();
    }

    @Test
    void whenRetriesRunOutTheAttemptIsLeftUnknownForTheJanitor() throws Exception {
        // left for the janitor, which is stopped here: its look would send the pay again moments later
        try (AutoCloseable jobs = scheduledJobsStopped()) {
            sandbox.addFault(FaultRule.of(FaultType.HTTP_5XX).forApi("pay").withHttpStatus(500).withTimes(0));
            String orderId = newOrderId();
            publish(order(orderId));

            JsonNode message = awaitChannelMessage("WEB", orderId);
            assertThat(message.path("action").asText()).isEqualTo("RESULT_UNKNOWN");
            PaymentAttempt attempt = onlyAttempt(orderId);
            assertThat(attempt.state()).isEqualTo(PaymentState.UNKNOWN);
            assertThat(sandbox.requests("pay", attempt.paymentRequestId())).hasSize(3);
        }
    }

    @Test
    void aFailedPaymentReachesTheChannelWithAntomsCode() {
        String orderId = newOrderId();
        Map<String, Object> order = cardOrder(orderId, null);
        order.put("amount", Map.of("currency", "EUR", "value", "10051"));
        publish(order);

        JsonNode message = awaitChannelMessage("WEB", orderId);
        assertThat(message.path("action").asText()).isEqualTo("FAILED");
        assertThat(message.path("result").path("code").asText()).isEqualTo("DO_NOT_HONOR");
        PaymentAttempt attempt = onlyAttempt(orderId);
        assertThat(attempt.state()).isEqualTo(PaymentState.FAILED);
        assertThat(attempt.resultCode()).isEqualTo("DO_NOT_HONOR");
        assertThat(sandbox.requests("pay", attempt.paymentRequestId())).hasSize(1);
        JsonNode event = read(kafka().await(resultsTopic, r -> orderId.equals(r.key())
                && r.value().contains("\"FAILED\"")).value());
        assertThat(event.path("result").path("code").asText()).isEqualTo("DO_NOT_HONOR");
    }

    private void assertRetriedOnceThenPending() {
        String orderId = newOrderId();
        publish(order(orderId));

        JsonNode message = awaitChannelMessage("WEB", orderId);
        assertThat(message.path("action").asText()).isEqualTo("REDIRECT");
        PaymentAttempt attempt = onlyAttempt(orderId);
        assertThat(attempt.state()).isEqualTo(PaymentState.PENDING);
        List<ApiCall> calls = sandbox.requests("pay", attempt.paymentRequestId());
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0).fault()).isNotNull();
        assertThat(calls.get(1).resultCode()).isEqualTo("PAYMENT_IN_PROCESS");
    }
}
