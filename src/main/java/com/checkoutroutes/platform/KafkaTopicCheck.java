package com.checkoutroutes.platform;

import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.AuthorizationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Whether the topics this service reads and writes exist on the broker. Where the broker does not create topics on
 * first use ({@code auto.create.topics.enable=false}, common in production), a missing one would otherwise show only
 * as a consumer's repeated {@code UNKNOWN_TOPIC_OR_PARTITION} warnings, or a producer blocked until its timeout with
 * its outbox shard behind it. Checked once the application is ready (an ERROR line naming them) and behind the
 * actuator's health ({@code kafkaTopics}: DOWN while such a topic is missing). Not part of readiness: refusing
 * Antom's notifications or orders over HTTP would create no topic.
 * <p>
 * Asked again every 30 s for the service's life (a line when the answer changes), so that the outbox's sends to a
 * topic such a broker lacks fail at once ({@link #refuseMissing}, routes/outbox.yaml) rather than each holding the
 * publisher's one thread for the producer's {@code max-block-ms} while every other order's event waits behind it.
 * <p>
 * It asks with Camel's Kafka component's own connection settings (brokers, TLS, SASL), so it sees what the routes see.
 */
@Component("kafkaTopics")
public class KafkaTopicCheck implements HealthIndicator {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaTopicCheck.class);
    /** The broker setting that decides whether a missing topic is a fault. */
    static final String AUTO_CREATE = "auto.create.topics.enable";
    /** Health is asked for by operators and scrapers; the broker at most this often. */
    private static final Duration RECHECK = Duration.ofSeconds(30);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    /** What the broker said: the expected topics it lacks, and whether it creates them on first use (null: unknown). */
    record Report(Set<String> expected, Set<String> missing, Boolean brokerCreatesTopics) {

        boolean fault() {
            return !missing.isEmpty() && !Boolean.TRUE.equals(brokerCreatesTopics);
        }

        Health health() {
            Health.Builder health = fault() ? Health.down() : Health.up();
            health.withDetail("topics", expected.size()).withDetail("missing", missing);
            if (brokerCreatesTopics != null) {
                health.withDetail("brokerCreatesTopics", brokerCreatesTopics);
            }
            return health.build();
        }
    }

    private final CamelContext camel;
    private final Environment environment;
    private final List<TopicsInUse> inUse;
    private final Duration recheck;
    private Health last;
    /** Topics the last answer named missing where the broker surely does not create them: sends fail at once. */
    private volatile Set<String> refused = Set.of();
    private Admin admin;
    private long checkedAtNanos;
    private Thread firstCheck;
    private boolean closed;

    @Autowired
    public KafkaTopicCheck(CamelContext camel, Environment environment, List<TopicsInUse> inUse) {
        this(camel, environment, inUse, RECHECK);
    }

    KafkaTopicCheck(CamelContext camel, Environment environment, List<TopicsInUse> inUse, Duration recheck) {
        this.camel = camel;
        this.environment = environment;
        this.inUse = List.copyOf(inUse);
        this.recheck = recheck;
    }

    /**
     * Off the start-up thread (a slow broker must not hold up start-up, and the routes report their own connection),
     * and asked again every 30 s: the first answer is logged whenever it comes, and then each that differs from the
     * last (a topic created or gone), so the outbox's refusals follow the broker.
     */
    @EventListener(ApplicationReadyEvent.class)
    public synchronized void checkOnceReady() {
        firstCheck = new Thread(() -> {
            Set<String> logged = null;
            boolean warned = false;
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Report report = ask();
                    if (!report.missing().equals(logged)) {
                        log(report);
                        logged = report.missing();
                    }
                } catch (RuntimeException e) {
                    if (!warned && logged == null) {
                        LOG.warn("could not ask the Kafka broker which topics exist ({}); asking again every {} s",
                                e.getMessage(), recheck.toSeconds());
                        warned = true;
                    }
                }
                try {
                    Thread.sleep(recheck.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "kafka-topic-check");
        firstCheck.setDaemon(true);
        firstCheck.start();
    }

    /** The last answer, asked again once it is older than 30 s; a broker that does not answer is UNKNOWN. */
    @Override
    public synchronized Health health() {
        long now = System.nanoTime();
        if (last == null || now - checkedAtNanos > recheck.toNanos()) {
            try {
                last = ask().health();
            } catch (RuntimeException e) {
                last = Health.unknown().withDetail("error", e.getMessage()).build();
            }
            checkedAtNanos = now;
        }
        return last;
    }

    /**
     * {@link #check}, its answer kept for {@link #refuseMissing}: the topics missing where the broker surely does not
     * create them (where it may, a send is what creates one).
     */
    Report ask() {
        Report report = check();
        refused = Boolean.FALSE.equals(report.brokerCreatesTopics()) ? Set.copyOf(report.missing()) : Set.of();
        return report;
    }

    /** Asks the broker; throws when it cannot be asked within the timeout. */
    Report check() {
        Set<String> expected = expectedTopics();
        try {
            Admin admin = admin();
            Set<String> existing = admin.listTopics().names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Set<String> missing = new TreeSet<>(expected);
            missing.removeAll(existing);
            return new Report(expected, missing, missing.isEmpty() ? null : brokerCreatesTopics(admin));
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the broker did not answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Refuses at once a send to a Kafka topic the last answer named missing on a broker that does not create topics
     * (the step before each of the outbox's Kafka sends, routes/outbox.yaml, with the endpoint's URI): the outbox holds
     * the event back and tries it again later, as after any failed send, but without waiting {@code max-block-ms}
     * for metadata that cannot come. A topic created since is sent to again within 30 s.
     */
    public void refuseMissing(String endpoint) {
        TopicsInUse.kafkaTopic(endpoint).filter(refused::contains).ifPresent(topic -> {
            throw new MissingTopicException(topic);
        });
    }

    private static void log(Report report) {
        if (report.missing().isEmpty()) {
            LOG.info("Kafka: all {} topics of this service exist", report.expected().size());
        } else if (Boolean.TRUE.equals(report.brokerCreatesTopics())) {
            LOG.info("Kafka: {} not there yet; the broker creates them on first use", report.missing());
        } else if (report.brokerCreatesTopics() == null) {
            LOG.warn("Kafka: topics {} do not exist, and the broker's {} could not be read: unless it creates them on "
                    + "first use, create them (README, Running in production)", report.missing(), AUTO_CREATE);
        } else {
            LOG.error("Kafka: topics {} do not exist and the broker does not create them ({}=false): create them "
                    + "(README, Running in production). Until then their consumers read nothing and what is sent to "
                    + "them waits", report.missing(), AUTO_CREATE);
        }
    }

    /** One client for the bean's life: it reconnects by itself, and a new one would log its whole configuration. */
    private synchronized Admin admin() {
        if (closed) {
            throw new IllegalStateException("shutting down");
        }
        if (admin == null) {
            admin = Admin.create(adminProperties());
        }
        return admin;
    }

    @PreDestroy
    public void close() {
        Admin closing;
        synchronized (this) {
            closed = true;
            if (firstCheck != null) {
                firstCheck.interrupt();
            }
            closing = admin;
            admin = null;
        }
        if (closing != null) {
            closing.close(TIMEOUT);
        }
    }

    /**
     * Null when this service may not read the broker's configuration (no DescribeConfigs permission); a broker that
     * does not answer throws, as for the topics.
     */
    private static Boolean brokerCreatesTopics(Admin admin)
            throws InterruptedException, ExecutionException, TimeoutException {
        try {
            Collection<Node> nodes = admin.describeCluster().nodes().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (nodes.isEmpty()) {
                return null;
            }
            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, nodes.iterator().next().idString());
            Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(broker)).all()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            ConfigEntry entry = configs.get(broker).get(AUTO_CREATE);
            return entry == null ? null : Boolean.valueOf(entry.value());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AuthorizationException) {
                return null;
            }
            throw e;
        }
    }

    /** checkout.topics.*, and the topics the capabilities name ({@link TopicsInUse}: the channels that are topics). */
    Set<String> expectedTopics() {
        Set<String> topics = new TreeSet<>(Binder.get(environment)
                .bind("checkout.topics", Bindable.mapOf(String.class, String.class)).orElse(Map.of()).values());
        inUse.forEach(source -> topics.addAll(source.topics()));
        return topics;
    }

    /** The connection settings of Camel's Kafka component that an admin client understands. */
    private Properties adminProperties() {
        KafkaConfiguration kafka = camel.getComponent("kafka", KafkaComponent.class).getConfiguration();
        Properties producer = kafka.createProducerProperties();
        Properties admin = new Properties();
        Set<String> known = AdminClientConfig.configNames();
        producer.forEach((key, value) -> {
            String name = String.valueOf(key);
            // config.providers: what resolves ${file:...} placeholders in, say, the JAAS configuration
            if (value != null && (known.contains(name) || name.startsWith(AbstractConfig.CONFIG_PROVIDERS_CONFIG))) {
                admin.put(key, value);
            }
        });
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokers());
        // one id per instance: a second one in the JVM (test contexts) would clash in JMX
        admin.put(AdminClientConfig.CLIENT_ID_CONFIG, "checkout-routes-topic-check-" + INSTANCES.incrementAndGet());
        admin.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        admin.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        return admin;
    }
}
