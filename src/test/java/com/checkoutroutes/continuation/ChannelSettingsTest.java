package com.checkoutroutes.continuation;

import static org.assertj.core.api.Assertions.assertThat;

import com.checkoutroutes.platform.TopicsInUse;
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
        assertThat(TopicsInUse.kafkaTopic("http://bff.example/continuations")).isEmpty();
        assertThat(TopicsInUse.kafkaTopic("kafka:?requestRequiredAcks=all")).isEmpty();
        assertThat(TopicsInUse.kafkaTopic("direct:continuations")).isEmpty();
        assertThat(TopicsInUse.kafkaTopic(null)).isEmpty();
        assertThat(ChannelSettings.isHttp("kafka:checkout.continuations.web")).isFalse();
    }

    /** A topic on another cluster (its own brokers option): the topic check cannot see it, so it names none. */
    @Test
    void aTopicOnOtherBrokersIsNotNamed() {
        assertThat(TopicsInUse.kafkaTopic("kafka:checkout.continuations.web?brokers=other:9092")).isEmpty();
        assertThat(TopicsInUse.kafkaTopic("kafka:t?requestRequiredAcks=all&Brokers=other:9092")).isEmpty();
        assertThat(TopicsInUse.kafkaTopic("kafka:t?requestRequiredAcks=all")).contains("t");
    }
}
