package com.checkoutroutes.benchmark;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * CPU per order split by whose threads used it: the service, the in-JVM Kafka broker, the sandbox standing in for
 * Antom, the driver, the JVM itself (garbage collection, the JIT, and threads that ended during the phase), and
 * PostgreSQL. From each thread's CPU time (user and system, native code included), which JFR's execution samples
 * miss (RSA signing in ACCP, socket writes). A virtual thread's work counts on its carrier, a service thread.
 */
final class CpuByOwner {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final Pattern SANDBOX = Pattern.compile("sandbox-.*|HTTP-Dispatcher|HttpClient-.*");
    // the KRaft broker's own threads; a Kafka client's network and heartbeat threads belong to whoever owns it
    private static final Pattern BROKER = Pattern.compile("data-plane-kafka.*|kafka-\\d.*|kafka-log-cleaner.*"
            + "|kafka-scheduler.*|ExpirationReaper.*|broker-\\d.*|controller-\\d.*|quorum-controller.*|raft-.*"
            + "|client-metrics-reaper|executor-.*|metrics-meter-tick.*|LogDirFailureHandler|group-coordinator.*"
            + "|share-coordinator.*|TxnMarkerSender.*|transaction-.*");
    private static final Pattern DRIVER = Pattern.compile("main|arrivals-.*|heap-sampler|plain-sdk-loop-.*|pool-.*"
            + "|.*load-driver.*");

    record Snapshot(Map<Long, Long> cpuByThread, Map<Long, String> names, long processNanos, long postgresNanos) {
    }

    private CpuByOwner() {
    }

    static Snapshot take() {
        long[] ids = THREADS.getAllThreadIds();
        long[] cpu = THREADS.getThreadCpuTime(ids);
        ThreadInfo[] infos = THREADS.getThreadInfo(ids);
        Map<Long, Long> cpuByThread = new HashMap<>();
        Map<Long, String> names = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (cpu[i] >= 0 && infos[i] != null) {
                cpuByThread.put(ids[i], cpu[i]);
                names.put(ids[i], infos[i].getThreadName());
            }
        }
        return new Snapshot(cpuByThread, names, MachineInfo.processCpuNanos(), MachineInfo.postgresCpuNanos());
    }

    /** Milliseconds of CPU per order between the two snapshots, per owner. */
    static Map<String, Object> perOrder(Snapshot before, Snapshot after, int orders) {
        Map<String, Long> nanos = new LinkedHashMap<>();
        for (String owner : new String[] {"service", "broker", "sandbox", "driver"}) {
            nanos.put(owner, 0L);
        }
        long threads = 0;
        for (Map.Entry<Long, Long> e : after.cpuByThread().entrySet()) {
            long used = e.getValue() - before.cpuByThread().getOrDefault(e.getKey(), 0L);
            threads += used;
            nanos.merge(owner(after.names().get(e.getKey())), used, Long::sum);
        }
        nanos.put("jvm", after.processNanos() - before.processNanos() - threads);
        nanos.put("postgres", after.postgresNanos() - before.postgresNanos());
        Map<String, Object> perOrder = new LinkedHashMap<>();
        nanos.forEach((owner, used) -> perOrder.put(owner, millisPerOrder(used, orders)));
        perOrder.put("serviceAndPostgres", millisPerOrder(nanos.get("service") + nanos.get("postgres"), orders));
        perOrder.put("all", millisPerOrder(nanos.values().stream().mapToLong(Long::longValue).sum(), orders));
        return perOrder;
    }

    static String owner(String threadName) {
        if (SANDBOX.matcher(threadName).matches()) {
            return "sandbox";
        }
        if (BROKER.matcher(threadName).matches()) {
            return "broker";
        }
        if (DRIVER.matcher(threadName).matches()) {
            return "driver";
        }
        return "service";
    }

    private static double millisPerOrder(long nanos, int orders) {
        return orders == 0 ? 0 : Math.round(nanos / 1e6 / orders * 100) / 100d;
    }
}
