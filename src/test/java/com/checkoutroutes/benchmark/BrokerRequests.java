package com.checkoutroutes.benchmark;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.TreeMap;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The in-JVM broker's requests by type (produce, fetch, offset commit...), from its own JMX meters: below saturation
 * the broker costs several times its saturated CPU per order, and a request costs about the same whatever it
 * carries, so requests per order say which client's batching is thin.
 */
final class BrokerRequests {

    private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();

    private BrokerRequests() {
    }

    /**
     * Requests handled so far, by type (all API versions together), and sent so far by each kind of client
     * ({@code client:} and the client id without its numbers: the order consumers, the outbox's producer...).
     */
    static Map<String, Long> counts() {
        Map<String, Long> counts = new TreeMap<>();
        try {
            for (ObjectName name : JMX.queryNames(
                    new ObjectName("kafka.network:type=RequestMetrics,name=RequestsPerSec,*"), null)) {
                String request = name.getKeyProperty("request");
                counts.merge(request, ((Number) JMX.getAttribute(name, "Count")).longValue(), Long::sum);
            }
            for (String kind : new String[] {"kafka.consumer:type=consumer-metrics,*",
                    "kafka.producer:type=producer-metrics,*"}) {
                for (ObjectName name : JMX.queryNames(new ObjectName(kind), null)) {
                    String client = "client:" + name.getKeyProperty("client-id").replaceAll("\\d+", "#");
                    counts.merge(client, ((Number) JMX.getAttribute(name, "request-total")).longValue(), Long::sum);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("the broker's request meters", e);
        }
        return counts;
    }

    /** Requests per order between two readings, the types that had any, most first. */
    static Map<String, Object> perOrder(Map<String, Long> before, Map<String, Long> after, int orders) {
        Map<String, Object> perOrder = new TreeMap<>();
        after.forEach((type, count) -> {
            long handled = count - before.getOrDefault(type, 0L);
            if (handled > 0 && orders > 0) {
                perOrder.put(type, Math.round(handled * 100.0 / orders) / 100d);
            }
        });
        return perOrder;
    }
}
