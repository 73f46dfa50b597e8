package com.checkoutroutes.localrun;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;

/**
 * A single-node Kafka (KRaft, broker and controller in one) inside this JVM, keeping its log in {@code logDir}:
 * the directory is formatted on first use and reused afterwards, so topics, records and committed offsets survive
 * a restart or a SIGKILL, as with a real broker. Tests give it a fresh directory, the local run {@code ./data/kafka}.
 */
public final class KraftBroker {

    /** Fixed, so a directory formatted once is the same cluster at every start. */
    private static final String CLUSTER_ID = "Y2hlY2tvdXQtcm91dGVzLQ";

    private final KafkaRaftServer server;
    private final int port;

    private KraftBroker(KafkaRaftServer server, int port) {
        this.server = server;
        this.port = port;
    }

    static KraftBroker start(Path logDir, int port, int partitions) {
        return start(logDir, port, partitions, true);
    }

    /** {@code autoCreateTopics} false: as many production brokers are, a topic exists only once it is created. */
    public static KraftBroker start(Path logDir, int port, int partitions, boolean autoCreateTopics) {
        int brokerPort = port > 0 ? port : freePort();
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        // below the ephemeral range and claimed (FreePort): a port 0 picked and released here could be taken by
        // another JVM's outgoing connection before Kafka binds it, and KafkaDownTest starts a broker again mid-test
        int controllerPort = com.checkoutroutes.testsupport.FreePort.find();
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", logDir.toAbsolutePath().toString());
        props.putAll(Map.of(
                "auto.create.topics.enable", String.valueOf(autoCreateTopics),
                "num.partitions", String.valueOf(partitions),
                "offsets.topic.num.partitions", "5",
                "offsets.topic.replication.factor", "1",
                "transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1",
                "group.initial.rebalance.delay.ms", "0"));
        // the log cleaner (it compacts __consumer_offsets) takes its dedupe buffer on the heap at start-up, 128 MB
        // by default: a quarter of the load benchmark's 512 MB JVM, which holds the service as well. The offsets of
        // a few groups need a small fraction of 8 MB (24 bytes per distinct key).
        props.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
        try {
            Files.createDirectories(logDir);
            KafkaConfig config = KafkaConfig.fromProps(props, false);
            new Formatter().setNodeId(1).setClusterId(CLUSTER_ID).setIgnoreFormatted(true)
                    .setControllerListenerName("CONTROLLER").setMetadataLogDirectory(config.metadataLogDir())
                    .addDirectory(logDir.toAbsolutePath().toString()).setPrintStream(new java.io.PrintStream(
                            java.io.OutputStream.nullOutputStream())).run();
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            return new KraftBroker(server, brokerPort);
        } catch (Exception e) {
            throw new IllegalStateException("the in-JVM Kafka broker did not start in " + logDir + ": " + e, e);
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public void stop() {
        server.shutdown();
        server.awaitShutdown();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
