package com.checkoutroutes.localrun;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.util.FileSystemUtils;

/**
 * One in-JVM KRaft broker per JVM, for the one-command local run and the tests (there is no Docker here).
 * Shared by every Spring context in the JVM so that cached test contexts keep talking to the same broker.
 */
public final class EmbeddedKafka {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static KraftBroker broker;
    /** The temporary log folder this class made, deleted when the broker stops (deleteOnExit skips a full folder). */
    private static Path temporaryLogDir;

    private EmbeddedKafka() {
    }

    /** Starts a broker with its log in a fresh temporary folder (tests) and returns its bootstrap address. */
    public static synchronized String bootstrapServers(int port, int partitions) {
        if (broker != null) {
            return broker.bootstrapServers();
        }
        try {
            Path dir = Files.createTempDirectory("checkout-kafka");
            temporaryLogDir = dir; // each test JVM's broker log is about 100 MB: left behind, CI runs fill /tmp
            return bootstrapServers(dir, port, partitions);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the broker on first use, its log kept in {@code logDir}, and returns its bootstrap address. */
    public static synchronized String bootstrapServers(Path logDir, int port, int partitions) {
        if (broker == null) {
            long started = System.nanoTime();
            broker = KraftBroker.start(logDir, port, partitions);
            // after every Spring context of the JVM has closed: their consumers leave and commit while the broker is
            // still there (a JVM shutdown hook of its own raced them, and a closing consumer then waited out its
            // timeouts against a stopped broker)
            SpringApplication.getShutdownHandlers().add(EmbeddedKafka::stop);
            LOG.info("In-JVM Kafka (KRaft) started at {} with its log in {}, in {} ms", broker.bootstrapServers(),
                    logDir, (System.nanoTime() - started) / 1_000_000);
        }
        return broker.bootstrapServers();
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
        if (temporaryLogDir != null) {
            try {
                FileSystemUtils.deleteRecursively(temporaryLogDir);
            } catch (IOException e) {
                LOG.debug("embedded Kafka log folder {} not deleted", temporaryLogDir, e);
            }
            temporaryLogDir = null;
        }
    }
}
