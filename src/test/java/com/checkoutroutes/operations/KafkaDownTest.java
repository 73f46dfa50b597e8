package com.checkoutroutes.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.localrun.KraftBroker;
import com.checkoutroutes.testsupport.AntomNotifier;
import com.checkoutroutes.testsupport.FlowTestSupport;
import com.checkoutroutes.testsupport.FreePort;
import com.checkoutroutes.testsupport.ServiceHttp;
import com.checkoutroutes.testsupport.TopicWatcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * The service with its Kafka brokers gone, as the README's "Kafka outage" says: readiness goes DOWN (camel-kafka's
 * consumer check sees no broker node ready), an Antom notification that still reaches it is applied (it needs only
 * the database) and its result event waits in the outbox, and once the broker is back readiness is UP again and the
 * event is published. A broker of its own (the other flow tests share one), stopped and started again on the same
 * port and log; the context is closed after, its clients pointing at a broker gone.
 */
@TestPropertySource(properties = "checkout.kafka.embedded.enabled=false")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@Import(KafkaDownTest.BrokerStopsLast.class)
class KafkaDownTest extends FlowTestSupport {

    /**
     * The broker stops after the service's consumers and producers, in the context's close (the last lifecycle
     * phase), and its log goes with it: JUnit's own {@code @AfterAll} runs before the context is closed, and the
     * service's clients would wait out their timeouts against a broker gone.
     */
    @TestConfiguration
    static class BrokerStopsLast {
        @Bean
        SmartLifecycle brokerStopsAfterTheService() {
            return new SmartLifecycle() {
                private volatile boolean running;

                @Override
                public void start() {
                    running = true;
                    contextStarted = true;
                }

                @Override
                public void stop() {
                    running = false;
                    stopBroker();
                }

                @Override
                public boolean isRunning() {
                    return running;
                }

                @Override
                public int getPhase() {
                    return Integer.MIN_VALUE;
                }
            };
        }
    }

    private static final int BROKER_PORT = FreePort.find();
    private static Path brokerLog;
    private static KraftBroker broker;
    private static TopicWatcher watcher;

    @Autowired
    JdbcTemplate jdbc;

    static {
        // as a deployment's environment gives it (CHECKOUT_KAFKA_BROKERS): the settings checks read it before a
        // test's dynamic properties exist. Other contexts' in-JVM broker is put above it (EmbeddedKafkaEnvironment)
        try {
            brokerLog = Files.createTempDirectory("kafka-down-");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        broker = KraftBroker.start(brokerLog, BROKER_PORT, 3, true);
        System.setProperty("checkout.kafka.brokers", broker.bootstrapServers());
        System.setProperty("camel.component.kafka.brokers", broker.bootstrapServers());
    }

    /** Whether the context started: then it stops the broker as it closes, after this class's {@code @AfterAll}. */
    private static volatile boolean contextStarted;

    @AfterAll
    static void settingsGone() {
        System.clearProperty("checkout.kafka.brokers");
        System.clearProperty("camel.component.kafka.brokers");
        if (!contextStarted) {
            stopBroker(); // a context that failed to start stops no lifecycle
        }
    }

    /** When the context closes (BrokerStopsLast), after the service's clients. */
    static synchronized void stopBroker() {
        if (watcher != null) {
            watcher.close();
            watcher = null;
        }
        if (broker != null) {
            broker.stop();
            broker = null;
            org.springframework.util.FileSystemUtils.deleteRecursively(brokerLog.toFile());
        }
    }

    @Override
    protected synchronized TopicWatcher kafka() {
        if (watcher == null) {
            watcher = new TopicWatcher(broker.bootstrapServers());
        }
        return watcher;
    }

    @Test
    void readinessGoesDownNotificationsAreAppliedAndTheirEventsLeaveOnceKafkaIsBack() {
        ServiceHttp http = new ServiceHttp(port, managementPort);
        PaymentAttempt pending = pendingWallet();
        String paid = AntomNotifier.paymentResult("PAYMENT_RESULT", "S", "SUCCESS", pending.paymentRequestId(),
                pending.paymentId(), pending.currency(), pending.amountValue());
        assertThat(http.get("/actuator/health/readiness").status()).isEqualTo(200);

        broker.stop();
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> http.get("/actuator/health/readiness").status(), status -> status == 503);
            assertThat(http.get("/actuator/health/liveness").status()).as("alive, just not ready").isEqualTo(200);

            assertThat(antomNotifier().send(paid).status()).as("applied: it needs only the database").isEqualTo(200);
            assertThat(state(pending)).isEqualTo(PaymentState.SUCCEEDED);
            assertThat(waiting(pending)).as("its result event waits in the outbox").isPositive();
        } finally {
            broker = KraftBroker.start(brokerLog, BROKER_PORT, 3, true);
        }

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> http.get("/actuator/health/readiness").status(), status -> status == 200);
        await().atMost(Duration.ofSeconds(60)).until(() -> waiting(pending) == 0);
        kafka().await(resultsTopic, r -> r.value().contains(pending.paymentRequestId())
                && r.value().contains("\"state\":\"SUCCEEDED\""));
    }

    private int waiting(PaymentAttempt attempt) {
        return jdbc.queryForObject("SELECT count(*) FROM outbox_event WHERE published_at IS NULL AND payload LIKE ?",
                Integer.class, "%" + attempt.paymentRequestId() + "%");
    }
}
