package com.checkoutroutes.benchmark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the load driver's JVM spent its CPU, from a JFR recording's execution samples (Java frames only: the JIT,
 * the GC and native code are not in them). The JVM holds the service and its neighbours, so each sample is first
 * given to whoever started the work: the sandbox (Antom), the Kafka broker, the driver, else the service; the
 * service's samples are then split by the code at the top of the stack (JDBC, the Antom call, Camel...).
 */
final class ProfileSplit {

    private ProfileSplit() {
    }

    /** Shares of all samples, in percent: {"owners": {...}, "service": {...}, "samples": n}. */
    static Map<String, Object> of(Path recording) throws IOException {
        Map<String, Integer> owners = new TreeMap<>();
        Map<String, Integer> service = new TreeMap<>();
        int samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
                continue;
            }
            List<RecordedFrame> frames = event.getStackTrace().getFrames();
            samples++;
            String owner = owner(frames);
            owners.merge(owner, 1, Integer::sum);
            if (owner.equals("service")) {
                service.merge(serviceArea(frames), 1, Integer::sum);
            }
        }
        Map<String, Object> split = new LinkedHashMap<>();
        split.put("samples", samples);
        split.put("ownersPercent", percent(owners, samples));
        split.put("servicePercentOfAll", percent(service, samples));
        return split;
    }

    private static String owner(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String type = type(frame);
            if (type.startsWith("com.checkoutroutes.sandbox.")) {
                return "sandbox";
            }
            if (type.startsWith("com.checkoutroutes.benchmark.")) {
                return "driver";
            }
            if (type.startsWith("kafka.") || type.startsWith("org.apache.kafka.storage.")
                    || type.startsWith("org.apache.kafka.raft.") || type.startsWith("org.apache.kafka.server.")
                    || type.startsWith("org.apache.kafka.controller.") || type.startsWith("org.apache.kafka.metadata.")
                    || type.startsWith("org.apache.kafka.coordinator.") || type.startsWith("org.apache.kafka.network.")
                    || type.startsWith("org.apache.kafka.image.")) {
                return "broker";
            }
        }
        return "service"; // including the Kafka clients, of which the driver's few producers are a small part
    }

    /** The service's code at the top of the stack, past the JDK's own frames. */
    private static String serviceArea(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String type = type(frame);
            if (type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun.")
                    || type.startsWith("com.sun.")) {
                continue;
            }
            if (type.startsWith("org.postgresql.") || type.startsWith("com.zaxxer.hikari.")
                    || type.startsWith("org.springframework.jdbc.")) {
                return "database client (JDBC, Hikari)";
            }
            if (type.startsWith("com.alipay.") || type.startsWith("com.alibaba.fastjson.")
                    || type.startsWith("org.apache.hc.") || type.startsWith("com.amazon.corretto.")
                    || type.startsWith("com.checkoutroutes.signature.") || type.startsWith("com.checkoutroutes.gateway.")) {
                return "Antom call (SDK, JSON, HTTP, signing)";
            }
            if (type.startsWith("org.apache.kafka.")) {
                return "Kafka clients";
            }
            if (type.startsWith("org.apache.camel.")) {
                return "Camel";
            }
            if (type.startsWith("com.fasterxml.jackson.") || type.startsWith("com.networknt.")) {
                return "JSON (orders, events)";
            }
            if (type.startsWith("ch.qos.logback.") || type.startsWith("org.slf4j.")) {
                return "logging";
            }
            if (type.startsWith("com.checkoutroutes.")) {
                return "our code";
            }
            if (type.startsWith("org.apache.catalina.") || type.startsWith("org.apache.tomcat.")
                    || type.startsWith("org.apache.coyote.")) {
                return "Tomcat";
            }
            return "other libraries (" + type.substring(0, Math.max(0, type.indexOf('.', type.indexOf('.') + 1))) + ")";
        }
        return "JDK only";
    }

    private static String type(RecordedFrame frame) {
        return frame.getMethod() == null || frame.getMethod().getType() == null ? ""
                : frame.getMethod().getType().getName();
    }

    private static Map<String, Double> percent(Map<String, Integer> counts, int total) {
        Map<String, Double> shares = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .forEach(e -> shares.put(e.getKey(), Math.round(e.getValue() * 1000.0 / Math.max(1, total)) / 10.0));
        return shares;
    }
}
