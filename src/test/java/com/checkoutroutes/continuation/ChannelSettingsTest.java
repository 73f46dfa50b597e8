package com.checkoutroutes.continuation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Which channels are Kafka topics (the broker's topic check asks for them) and which are HTTP(S) endpoints. */
class ChannelSettingsTest {

    private static final ChannelSettings.Http HTTP = new ChannelSettings.Http(null, Duration.ofSeconds(30), 500, 3);

    @Test
    void theChannelsThatAreTopicsAreNamedWithoutTheirOptions() {
        ChannelSettings channels = new ChannelSettings("kafka:checkout.continuations.web?requestRequiredAcks=all",
                "https://bff.example/continuations", " KAFKA://checkout.continuations.app ", HTTP);

        assertThat(channels.topics()).containsExactly("checkout.continuations.app", "checkout.continuations.web");
        assertThat(channels.anyHttp()).isTrue();
    }

    @Test
    void anEndpointThatIsNeitherNamesNoTopic() {
        assertThat(ChannelSettings.kafkaTopic("http://bff.example/continuations")).isEmpty();
        assertThat(ChannelSettings.kafkaTopic("kafka:?brokers=elsewhere")).isEmpty();
        assertThat(ChannelSettings.kafkaTopic("direct:continuations")).isEmpty();
        assertThat(ChannelSettings.isHttp("kafka:checkout.continuations.web")).isFalse();
    }
}
