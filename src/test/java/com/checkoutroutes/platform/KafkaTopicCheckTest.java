package com.checkoutroutes.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
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
import java.util.concurrent.atomic.AtomicInteger;
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
        KafkaTopicCheck check = new KafkaTopicCheck(camelOn(broker.bootstrapServers()), settings(prefix),
                List.of(() -> Set.of(prefix + "continuations.web")));
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

        // the outbox's sends to it are refused at once (routes/outbox.yaml), as Kafka's trouble; others go
        assertThatThrownBy(() -> check.refuseMissing("kafka:" + prefix + "duplicate-payments"))
                .isInstanceOf(MissingTopicException.class).isInstanceOf(org.apache.kafka.common.KafkaException.class)
                .hasMessageContaining(prefix + "duplicate-payments");
        assertThat(InfrastructureFailures.isInfrastructure(catchThrowable(
                () -> check.refuseMissing("kafka://" + prefix + "duplicate-payments?retries=3")))).isTrue();
        assertThatThrownBy(() -> check.refuseMissing(" KAFKA:" + prefix + "duplicate-payments "))
                .as("any case, padded").isInstanceOf(MissingTopicException.class);
        check.refuseMissing("kafka:" + prefix + "orders");
        check.refuseMissing("direct:" + prefix + "duplicate-payments");
        check.refuseMissing("kafka:" + prefix + "duplicate-payments?brokers=another-cluster:9092");

        createTopics(prefix + "duplicate-payments");
        // created once the controller has it; listed once the broker's metadata has it too
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            KafkaTopicCheck.Report report = check.ask();
            assertThat(report.missing()).isEmpty();
            assertThat(report.health().getStatus()).isEqualTo(Status.UP);
        });
        check.refuseMissing("kafka:" + prefix + "duplicate-payments");
        check.close();
    }

    /** Where the broker may create a topic on first use, a send is what creates it: nothing is refused. */
    @Test
    void nothingIsRefusedWhereTheBrokerMayCreateTheTopic() {
        KafkaTopicCheck check = new KafkaTopicCheck(camelOn("127.0.0.1:1"), settings("n."), List.of()) {
            @Override
            Report check() {
                return new Report(Set.of("n.orders"), Set.of("n.orders"), null);
            }
        };
        assertThat(check.health().getStatus()).isEqualTo(Status.DOWN);
        check.refuseMissing("kafka:n.orders");
        check.close();
    }


    @Test
    void theTopicsExpectedAreTheSettingsAndTheTopicsTheCapabilitiesName() {
        MockEnvironment env = new MockEnvironment()
                .withProperty("checkout.topics.orders", "checkout.orders")
                .withProperty("checkout.topics.results", "checkout.payment-results");
        TopicsInUse channels = () -> Set.of("checkout.continuations.app", "checkout.continuations.web");

        assertThat(new KafkaTopicCheck(camelOn("127.0.0.1:1"), env, List.of(channels)).expectedTopics())
                .containsExactly("checkout.continuations.app", "checkout.continuations.web", "checkout.orders",
                        "checkout.payment-results");
    }

    /** A broker not there when the service became ready is asked again until it answers; its answer is logged. */
    @Test
    void theFirstCheckIsAskedAgainUntilTheBrokerAnswers() {
        String prefix = "r" + System.nanoTime() + ".";
        AtomicInteger asked = new AtomicInteger();
        KafkaTopicCheck check = new KafkaTopicCheck(camelOn(broker.bootstrapServers()), settings(prefix), List.of(),
                Duration.ofMillis(100)) {
            @Override
            Report check() {
                if (asked.incrementAndGet() < 3) {
                    throw new IllegalStateException("the broker did not answer: connection refused");
                }
                return super.check();
            }
        };
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger logger = (Logger) LoggerFactory.getLogger(KafkaTopicCheck.class);
        logger.addAppender(logs);
        try {
            check.checkOnceReady();
            await().atMost(Duration.ofSeconds(20)).until(() -> logs.list.size() >= 2);
        } finally {
            logger.detachAppender(logs);
            check.close();
        }
        assertThat(asked.get()).as("asked again every recheck after that, a line only when the answer changes")
                .isGreaterThanOrEqualTo(3);
        assertThat(logs.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.ERROR);
        assertThat(logs.list.get(0).getFormattedMessage()).contains("connection refused", "asking again");
        assertThat(logs.list.get(1).getFormattedMessage()).contains(prefix + "orders", prefix + "duplicate-payments");
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
        var check = new KafkaTopicCheck(camelOn("127.0.0.1:" + FreePort.find()), settings("x."), List.of());
        assertThat(check.health().getStatus()).isEqualTo(Status.UNKNOWN);
        check.close();
    }

    private static MockEnvironment settings(String prefix) {
        return new MockEnvironment()
                .withProperty("checkout.topics.orders", prefix + "orders")
                .withProperty("checkout.topics.duplicate-payments", prefix + "duplicate-payments");
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
