package com.checkoutroutes.localrun;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One in-JVM KRaft broker per JVM, for the one-command local run and the tests (there is no Docker here).
 * Shared by every Spring context in the JVM so that cached test contexts keep talking to the same broker.
 */
public final class EmbeddedKafka {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static KraftBroker broker;

    private EmbeddedKafka() {
    }

    /** Starts a broker with its log in a fresh temporary folder (tests) and returns its bootstrap address. */
    public static synchronized String bootstrapServers(int port, int partitions) {
        if (broker != null) {
            return broker.bootstrapServers();
        }
        try {
            Path dir = Files.createTempDirectory("checkout-kafka");
            dir.toFile().deleteOnExit();
            return bootstrapServers(dir, port, partitions);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the broker on first use, its log kept in {@code logDir}, and returns its bootstrap address. */
    private static Thread stopHook;

    public static synchronized String bootstrapServers(Path logDir, int port, int partitions) {
        if (broker == null) {
            long started = System.nanoTime();
            broker = KraftBroker.start(logDir, port, partitions);
            stopHook = new Thread(EmbeddedKafka::stop, "embedded-kafka-stop");
            Runtime.getRuntime().addShutdownHook(stopHook);
            LOG.info("In-JVM Kafka (KRaft) started at {} with its log in {}, in {} ms", broker.bootstrapServers(),
                    logDir, (System.nanoTime() - started) / 1_000_000);
        }
        return broker.bootstrapServers();
    }

    /**
     * The caller stops the broker (after its application has stopped, so the consumers leave their group and the
     * last commits land before it goes); otherwise a shutdown hook stops it, at the same time as everything else.
     */
    public static synchronized void stopWhenToldOnly() {
        if (stopHook != null) {
            Runtime.getRuntime().removeShutdownHook(stopHook);
            stopHook = null;
        }
    }

    public static synchronized void stop() {
        if (broker != null) {
            try {
                broker.stop();
            } catch (RuntimeException e) {
                LOG.debug("embedded Kafka stop", e);
            }
            broker = null;
        }
    }
}
