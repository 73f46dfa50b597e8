package com.checkoutroutes.benchmark;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes orders at a fixed rate as the order system would, remembering when each one was sent. */
final class OrderLoad implements AutoCloseable {

    private final KafkaProducer<String, String> producer;

    OrderLoad(String brokers) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        // names its network thread, so that CpuByOwner counts it as the driver's
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "load-driver-orders");
        producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    /**
     * One phase's orders: ids and send times (System.nanoTime), index for index; {@code startWallMicros} is the wall
     * clock at {@code startNanos}, to compare with the ledger's timestamps.
     */
    record Sent(List<String> orderIds, long[] sentNanos, long startNanos, long endNanos, long startWallMicros) {

        double achievedRate() {
            return orderIds.size() / ((endNanos - startNanos) / 1e9);
        }

        /** A System.nanoTime of this run as microseconds since the epoch. */
        long wallMicros(long nanos) {
            return startWallMicros + (nanos - startNanos) / 1_000;
        }
    }

    /** {@code ratePerSecond <= 0} publishes as fast as the producer takes them. */
    Sent publish(String topic, String prefix, int count, double ratePerSecond, String amountValue) {
        List<String> ids = new ArrayList<>(count);
        long[] sent = new long[count];
        long start = System.nanoTime();
        long startWallMicros = epochMicros(Instant.now());
        for (int i = 0; i < count; i++) {
            if (ratePerSecond > 0) {
                Pacer.awaitSlot(start, i, ratePerSecond);
            }
            String orderId = prefix + "-" + i;
            ids.add(orderId);
            sent[i] = System.nanoTime();
            producer.send(new ProducerRecord<>(topic, orderId, order(orderId, amountValue)));
        }
        producer.flush();
        return new Sent(ids, sent, start, System.nanoTime(), startWallMicros);
    }

    static long epochMicros(Instant time) {
        return TimeUnit.SECONDS.toMicros(time.getEpochSecond()) + time.getNano() / 1_000;
    }

    static String order(String orderId, String amountValue) {
        return "{\"orderId\":\"" + orderId + "\",\"amount\":{\"currency\":\"USD\",\"value\":\"" + amountValue + "\"},"
                + "\"description\":\"Two cups of coffee\",\"paymentMethodType\":\"ALIPAY_CN\",\"integration\":\"API\","
                + "\"channel\":{\"terminalType\":\"WEB\",\"clientIp\":\"203.0.113.7\"},"
                + "\"buyer\":{\"referenceBuyerId\":\"buyer-42\"},"
                + "\"resultPageUrl\":\"https://shop.example/orders/" + orderId + "/result\"}";
    }

    /** Completion figures of a phase: rate from first send to last arrival, latencies send -> arrival. */
    static Map<String, Object> completion(Sent sent, Arrivals arrivals) {
        long[] latencies = new long[sent.orderIds().size()];
        int done = 0;
        long last = sent.startNanos();
        for (int i = 0; i < latencies.length; i++) {
            Long at = arrivals.arrival(sent.orderIds().get(i));
            if (at != null) {
                latencies[done++] = at - sent.sentNanos()[i];
                last = Math.max(last, at);
            }
        }
        long[] sorted = Arrays.copyOf(latencies, done);
        Arrays.sort(sorted);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("published", latencies.length);
        m.put("publishRatePerSecond", Math.round(sent.achievedRate()));
        m.put("completed", done);
        m.put("completedPerSecond", Math.round(done / ((last - sent.startNanos()) / 1e9)));
        m.put("latencyMsP50", millis(sorted, 0.50));
        m.put("latencyMsP99", millis(sorted, 0.99));
        m.put("latencyMsMax", millis(sorted, 1.0));
        m.put("latencyMsP99By2sOfSending", p99ByWindow(sent, arrivals, TimeUnit.SECONDS.toNanos(2)));
        return m;
    }

    /**
     * The p99 of the orders sent in each window of {@code window} nanoseconds from the phase's start: whether a tail
     * is spread over the phase or comes from one stretch of it (a start-up transient, a collection, a checkpoint).
     */
    static List<Double> p99ByWindow(Sent sent, Arrivals arrivals, long window) {
        int windows = (int) ((sent.endNanos() - sent.startNanos()) / window) + 1;
        List<List<Long>> latencies = new ArrayList<>();
        for (int w = 0; w < windows; w++) {
            latencies.add(new ArrayList<>());
        }
        for (int i = 0; i < sent.orderIds().size(); i++) {
            Long at = arrivals.arrival(sent.orderIds().get(i));
            int w = (int) Math.min(windows - 1, (sent.sentNanos()[i] - sent.startNanos()) / window);
            if (at != null) {
                latencies.get(w).add(at - sent.sentNanos()[i]);
            }
        }
        return latencies.stream().filter(l -> !l.isEmpty())
                .map(l -> millis(l.stream().mapToLong(Long::longValue).sorted().toArray(), 0.99)).toList();
    }

    /** The quantile of sorted nanoseconds, in milliseconds to two decimals (NaN when empty). */
    static double millis(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
        return Math.round(sorted[Math.max(0, index)] / 10_000d) / 100d;
    }

    /**
     * A condition for {@link Pacer#until}: true once every order of the phase has arrived. Arrivals are kept, so
     * each check resumes where the last one stopped (rescanning thousands of ids every 20 ms cost the driver a
     * visible share of the CPU it shares with the application).
     */
    static java.util.function.BooleanSupplier allArrived(Sent sent, Arrivals arrivals) {
        int[] checked = {0};
        return () -> {
            List<String> ids = sent.orderIds();
            while (checked[0] < ids.size() && arrivals.arrival(ids.get(checked[0])) != null) {
                checked[0]++;
            }
            return checked[0] == ids.size();
        };
    }

    @Override
    public void close() {
        producer.close();
    }
}
