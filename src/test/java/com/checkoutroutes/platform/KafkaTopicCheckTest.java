package com.checkoutroutes.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.checkoutroutes.localrun.KraftBroker;
import com.checkoutroutes.testsupport.FreePort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.health.Status;
import org.springframework.mock.env.MockEnvironment;

/**
 * Against a real broker that, as many production ones, does not create topics on first use: the topics of
 * checkout.topics and of the channels that are topics are expected, a missing one is named in an ERROR line and
 * turns the health component DOWN, and one created since turns it UP again.
 */
@Tag("flow") // a Kafka broker of its own: not in the fast tier, which needs none
class KafkaTopicCheckTest {

    @TempDir
    static Path logDir;
    static KraftBroker broker;

    @BeforeAll
    static void brokerWithoutAutoCreate() {
        broker = KraftBroker.start(logDir, 0, 1, false);
    }

    @AfterAll
    static void brokerGone() {
        broker.stop();
    }

    @Test
    void aTopicTheBrokerDoesNotCreateIsNamedAndHealthIsDownUntilItExists() throws Exception {
        String prefix = "t" + System.nanoTime() + ".";
        createTopics(prefix + "orders", prefix + "continuations.web");
        KafkaTopicCheck check = new KafkaTopicCheck(camelOn(broker.bootstrapServers()), settings(prefix));
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger logger = (Logger) LoggerFactory.getLogger(KafkaTopicCheck.class);
        logger.addAppender(logs);
        try {
            check.checkOnceReady();
            await().atMost(Duration.ofSeconds(20)).until(() -> !logs.list.isEmpty());
        } finally {
            logger.detachAppender(logs);
        }
        assertThat(logs.list).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.ERROR);
            assertThat(e.getFormattedMessage()).contains("[" + prefix + "duplicate-payments]")
                    .contains("auto.create.topics.enable=false");
        });
        var health = check.health();
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("missing", Set.of(prefix + "duplicate-payments"))
                .containsEntry("brokerCreatesTopics", false).containsEntry("topics", 3);

        createTopics(prefix + "duplicate-payments");
        // created once the controller has it; listed once the broker's metadata has it too
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            KafkaTopicCheck.Report report = check.check();
            assertThat(report.missing()).isEmpty();
            assertThat(report.health().getStatus()).isEqualTo(Status.UP);
        });
        check.close();
    }

    @Test
    void theTopicsExpectedAreTheSettingsAndTheChannelsThatAreTopics() {
        MockEnvironment env = new MockEnvironment()
                .withProperty("checkout.topics.orders", "checkout.orders")
                .withProperty("checkout.topics.results", "checkout.payment-results")
                .withProperty("checkout.channels.web", "kafka:checkout.continuations.web?requestRequiredAcks=all")
                .withProperty("checkout.channels.wap", "https://bff.example/continuations")
                .withProperty("checkout.channels.app", "kafka:checkout.continuations.app");

        assertThat(new KafkaTopicCheck(camelOn("127.0.0.1:1"), env).expectedTopics()).containsExactly(
                "checkout.continuations.app", "checkout.continuations.web", "checkout.orders",
                "checkout.payment-results");
    }

    @Test
    void aBrokerThatCreatesTopicsOnFirstUseIsNoFault() {
        var report = new KafkaTopicCheck.Report(Set.of("a", "b"), Set.of("b"), true);
        assertThat(report.health().getStatus()).isEqualTo(Status.UP);
        assertThat(report.health().getDetails()).containsEntry("missing", Set.of("b"));
        assertThat(new KafkaTopicCheck.Report(Set.of("a"), Set.of("a"), null).health().getStatus())
                .as("whether it creates them is unknown").isEqualTo(Status.DOWN);
    }

    @Test
    void aBrokerThatDoesNotAnswerLeavesHealthUnknown() {
        var check = new KafkaTopicCheck(camelOn("127.0.0.1:" + FreePort.find()), settings("x."));
        assertThat(check.health().getStatus()).isEqualTo(Status.UNKNOWN);
        check.close();
    }

    private static MockEnvironment settings(String prefix) {
        return new MockEnvironment()
                .withProperty("checkout.topics.orders", prefix + "orders")
                .withProperty("checkout.topics.duplicate-payments", prefix + "duplicate-payments")
                .withProperty("checkout.channels.web", "kafka:" + prefix + "continuations.web");
    }

    private static CamelContext camelOn(String brokers) {
        KafkaComponent kafka = new KafkaComponent();
        kafka.getConfiguration().setBrokers(brokers);
        CamelContext camel = new DefaultCamelContext();
        camel.addComponent("kafka", kafka);
        return camel;
    }

    private static void createTopics(String... names) throws Exception {
        var servers = Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (Admin admin = Admin.create(servers)) {
            admin.createTopics(List.of(names).stream().map(n -> new NewTopic(n, Optional.of(1), Optional.empty()))
                    .toList()).all().get();
        }
    }
}
