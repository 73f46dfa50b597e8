package com.checkoutroutes.continuation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import com.checkoutroutes.platform.KafkaTopicCheck;
import com.checkoutroutes.platform.MissingTopicException;
import com.checkoutroutes.testsupport.RouteTestSupport;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.apache.camel.EndpointInject;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.model.ToDynamicDefinition;
import org.apache.camel.test.spring.junit5.MockEndpointsAndSkip;
import org.junit.jupiter.api.Test;
import java.time.Clock;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

/**
 * routes/continuations.yaml with the HTTP channels' retry rules (error-handling.yaml), fast: WEB is the shipped Kafka
 * topic (its end mocked and skipped, {@code @MockEndpointsAndSkip}), WAP an HTTP(S) endpoint whose receiver is a mock
 * endpoint (AdviceWith). A Kafka channel's message goes to its
 * topic; an HTTP channel's is queued (the queue a Mockito bean), never sent from the outbox's thread; the POST route
 * signs what it sends and retries a receiver that is down or busy, but not one that refused the message.
 */
@TestPropertySource(properties = {RouteTestSupport.NO_DATABASE,
    "camel.main.routes-include-pattern=file:routes/continuations.yaml,file:routes/error-handling.yaml",
    "checkout.channels.wap=https://bff.example/continuations",
    "checkout.channels.http.hmac-secret=" + ContinuationRoutesTest.SECRET})
@Import(ContinuationRoutesTest.Beans.class)
@MockEndpointsAndSkip("kafka:*")
class ContinuationRoutesTest extends RouteTestSupport {

    static final String SECRET = "route-test-channel-secret-0123456789abcdef";
    private static final String MESSAGE = "{\"type\":\"CONTINUATION\",\"action\":\"REDIRECT\",\"orderId\":\"ORD-C1\"}";

    /** The real signer under the name the route uses. */
    @TestConfiguration
    static class Beans {
        @Bean
        ChannelSignature channelSignature(ChannelSettings settings, Clock clock) {
            return new ChannelSignature(settings, clock);
        }
    }

    @MockitoBean(name = "httpChannels")
    HttpChannels httpChannels;
    @MockitoBean(name = "kafkaTopics")
    KafkaTopicCheck kafkaTopics;
    @EndpointInject("mock:kafka:checkout.continuations.web")
    MockEndpoint webTopic;
    @EndpointInject("mock:receiver")
    MockEndpoint receiver;

    @Override
    protected void adviseRoutes() throws Exception {
        // the receiver's end of the POST: a mock endpoint in place of camel-http
        AdviceWith.adviceWith(camel, "channel-http-post",
                route -> route.weaveByType(ToDynamicDefinition.class).replace().to("mock:receiver"));
    }

    @Test
    void aKafkaChannelsMessageGoesToItsTopic() throws Exception {
        webTopic.expectedBodiesReceived(MESSAGE);
        webTopic.expectedHeaderReceived(KafkaConstants.KEY, "ORD-C1");

        continuation("WEB");

        webTopic.assertIsSatisfied();
        verify(httpChannels, never()).enqueue(anyString(), anyString(), anyString(), anyString());
        verify(kafkaTopics).refuseMissing("kafka:checkout.continuations.web");
    }

    /**
     * A channel's topic the broker lacks and does not create is refused before the send, at once: the outbox holds
     * the event back rather than its one publisher thread waiting the producer's max-block-ms for each.
     */
    @Test
    void aChannelTopicTheBrokerLacksIsRefusedBeforeTheSend() {
        doThrow(new MissingTopicException("checkout.continuations.web")).when(kafkaTopics)
                .refuseMissing("kafka:checkout.continuations.web");

        Exchange sent = continuation("WEB");

        assertThat(sent.getException()).isInstanceOf(MissingTopicException.class);
        assertThat(webTopic.getReceivedCounter()).isZero();
    }

    @Test
    void anHttpChannelsMessageIsQueuedNotSentFromTheOutbox() {
        NotifyBuilder routed = new NotifyBuilder(camel).fromRoute("continuation-to-channel").whenDone(1).create();

        continuation("WAP");

        assertThat(routed.matches(5, TimeUnit.SECONDS)).isTrue();
        verify(httpChannels).enqueue("42", "ORD-C1", "https://bff.example/continuations", MESSAGE);
        assertThat(webTopic.getReceivedCounter()).isZero();
        assertThat(receiver.getReceivedCounter()).isZero();
    }

    @Test
    void aTerminalWithoutAChannelIsAnError() {
        Exchange sent = continuation("KIOSK");

        assertThat(sent.getException()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no channel for terminal type KIOSK");
    }

    @Test
    void thePostIsSignedOverTimestampEventIdAndTheBytesSent() throws Exception {
        receiver.expectedMessageCount(1);

        Exchange sent = post();

        receiver.assertIsSatisfied();
        assertThat(sent.getException()).isNull();
        var received = receiver.getExchanges().get(0).getIn();
        byte[] body = received.getBody(byte[].class);
        assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo(MESSAGE);
        String timestamp = received.getHeader(ChannelSignature.TIMESTAMP, String.class);
        assertThat(received.getHeader(ChannelSignature.SIGNATURE, String.class)).isEqualTo("sha256="
                + ChannelSignature.hmac(SECRET.getBytes(StandardCharsets.UTF_8), Long.parseLong(timestamp), "42", body));
        assertThat(received.getHeader(ChannelSignature.EVENT_ID)).isEqualTo("42");
    }

    @Test
    void aReceiverThatIsDownIsTriedThreeMoreTimesThenTheFailureGoesBackToTheSenders() throws Exception {
        receiver.whenAnyExchangeReceived(exchange -> {
            throw new HttpOperationFailedException("https://bff.example/continuations", 503, "Service Unavailable",
                    null, null, null);
        });
        receiver.expectedMessageCount(4);

        Exchange sent = post();

        receiver.assertIsSatisfied();
        assertThat(HttpChannels.reasonOf(sent.getException())).isEqualTo("HTTP 503");
    }

    @Test
    void aRefusedMessageIsNotTriedAgain() throws Exception {
        receiver.whenAnyExchangeReceived(exchange -> {
            throw new HttpOperationFailedException("https://bff.example/continuations", 401, "Unauthorized", null,
                    null, null);
        });

        Exchange sent = post();

        assertThat(receiver.getReceivedCounter()).isEqualTo(1);
        assertThat(HttpChannels.reasonOf(sent.getException())).isEqualTo("HTTP 401");
    }

    @Test
    void aFailureThatIsNotTheReceiversIsToldApart() {
        assertThat(HttpChannels.reasonOf(new ConnectException("Connection refused")))
                .isEqualTo("ConnectException: Connection refused");
        assertThat(HttpChannels.reasonOf(new IllegalStateException("Camel is stopping"))).isNull();
        assertThat(HttpChannels.display("https://user:pass@bff.example:8443/continuations?token=abc"))
                .isEqualTo("https://bff.example:8443/continuations");
    }

    private Exchange continuation(String terminal) {
        return producer.send("direct:continuation-out", exchange -> {
            exchange.getIn().setBody(MESSAGE);
            exchange.getIn().setHeader("terminalType", terminal);
            exchange.getIn().setHeader("checkoutEventId", "42");
            exchange.getIn().setHeader(KafkaConstants.KEY, "ORD-C1");
        });
    }

    /** What the senders hand the POST route for one queued message. */
    private Exchange post() {
        return producer.send(HttpChannels.POST_ROUTE, exchange -> {
            exchange.setProperty(HttpChannels.ENDPOINT, "https://bff.example/continuations");
            exchange.getIn().setHeader(ChannelSignature.EVENT_ID, "42");
            exchange.getIn().setBody(MESSAGE);
        });
    }
}
