package com.checkoutroutes.benchmark;

import com.alipay.global.api.tools.SignatureTool;
import com.checkoutroutes.CheckoutRoutesApplication;
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentLedger;
import com.checkoutroutes.sandbox.FaultRule;
import com.checkoutroutes.sandbox.FaultType;
import com.checkoutroutes.sandbox.NotificationAttempt;
import com.checkoutroutes.sandbox.SandboxServer;
import com.checkoutroutes.signature.AntomSignature;
import com.checkoutroutes.signature.JdkBase64ForSdk;
import com.checkoutroutes.signature.RsaKeys;
import com.checkoutroutes.testsupport.HeapSampler;
import com.checkoutroutes.testsupport.AntomNotifier;
import com.checkoutroutes.testsupport.ApplicationProcess;
import com.checkoutroutes.testsupport.SandboxAsAntom;
import com.checkoutroutes.testsupport.FreePort;
import com.checkoutroutes.testsupport.TestPostgres;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * End-to-end load on the whole application in this JVM: in-JVM Kafka, the Antom sandbox in-process, the local
 * PostgreSQL (a fresh database, as the tests use). Phases: warm-up, sustained rate, latency at half that rate and
 * at half the measured capacity, the full flow with duplicate notifications, a notification burst, and the plain
 * SDK loop for comparison; the sustained phase and the latency at half its rate again with a slow Antom
 * ({@code -Dload.antom-latencies-ms}, default 300). Writes target/benchmarks/load.json. Run with {@code ./mvnw -Pload verify}; settings
 * are {@code -Dload.*} (see {@link Settings}).
 */
public final class LoadDriver {

    private static final String PLAIN_ORDERS = "checkout.plain.orders";
    private static final String PLAIN_CONTINUATIONS = "checkout.plain.continuations";

    private final Settings settings;
    private final ConfigurableApplicationContext app;
    private final String brokers;
    private final OrderLoad orders;
    /** The largest heap in use during a phase, every 50 ms. */
    private final HeapSampler heap = new HeapSampler(Duration.ofMillis(50));
    /** The latency split of the last orders phase, taken once its CPU figures are (see {@link #phase}). */
    private Supplier<Map<String, Object>> latencySplit;
    private final Map<String, Object> results = new LinkedHashMap<>();
    /**
     * Whether the driver vacuums the database before each phase after the warm-up: when the server's autovacuum is
     * off (as on the CI machines' PostgreSQL), so that a phase does not run on all the dead rows the phases before it
     * left, which production's autovacuum removes as they come. A phase's own dead rows still count. Not before the
     * warm-up: there it halved the warm-up's rate, most likely because the statistics of empty tables gave the
     * cached plans sequential scans that stayed as the tables grew.
     */
    private final boolean vacuumBeforeEachPhase;

    record Settings(double rate, int seconds, int latencySeconds, int flows, int notifications, int plainOrders) {

        static Settings fromSystemProperties() {
            return new Settings(Double.parseDouble(System.getProperty("load.rate", "1000")),
                    Integer.getInteger("load.seconds", 10), Integer.getInteger("load.latency-seconds", 10),
                    Integer.getInteger("load.flows", 1000), Integer.getInteger("load.notifications", 1000),
                    Integer.getInteger("load.plain-orders", 1000));
        }
    }

    private LoadDriver(Settings settings) {
        this.settings = settings;
        JdkBase64ForSdk.install();
        // the operator's janitor, gauges, outbox sweep and timeouts from config/, not the tests' fast ones
        System.setProperty("checkout.test.operator-timings", "true");
        Map<String, Object> overrides = new LinkedHashMap<>();
        // straight to PostgreSQL, not through the tests' cuttable relay (a thread pair per connection)
        overrides.put("spring.datasource.url", TestPostgres.url());
        overrides.put("spring.datasource.hikari.maximum-pool-size", System.getProperty("load.db-pool", "10"));
        overrides.put("checkout.antom.timeout", "10s");
        // the sandbox shares this JVM: unbounded, its record of a 60 s run's ~130,000 payments filled the heap
        overrides.put("checkout.sandbox.keep-payments", System.getProperty("load.sandbox-keep-payments", "10000"));
        this.app = new SpringApplicationBuilder(CheckoutRoutesApplication.class)
                .initializers(ctx -> ctx.getEnvironment().getPropertySources()
                        .addFirst(new MapPropertySource("loadDriver", overrides)))
                .run();
        Environment env = app.getEnvironment();
        this.brokers = env.getProperty("camel.component.kafka.brokers");
        this.orders = new OrderLoad(brokers);
        this.vacuumBeforeEachPhase = !"on".equals(app.getBean(JdbcTemplate.class)
                .queryForObject("SHOW autovacuum", String.class));
        results.put("machine", MachineInfo.describe());
        results.put("setup", Map.of(
                "database", "local PostgreSQL " + TestPostgres.url().replaceAll("/[^/]*$", "") + " (fresh database)",
                "kafka", "in-JVM KRaft broker, partitions " + env.getProperty("checkout.kafka.embedded.partitions"),
                "orderConsumers", env.getProperty("checkout.orders.consumers"),
                "signatureProvider", AntomSignature.providerName(),
                "sandboxLatencyMs", env.getProperty("checkout.sandbox.latency-ms", "0"),
                "vacuumBeforeEachPhase", vacuumBeforeEachPhase,
                "slowAntomPhasesFirst", Boolean.getBoolean("load.slow-antom-first"),
                "settings", settings));
    }

    public static void main(String[] args) throws Exception {
        LoadDriver driver = new LoadDriver(Settings.fromSystemProperties());
        int exit = 0;
        try {
            driver.run();
        } catch (Exception e) {
            e.printStackTrace();
            exit = 1;
        } finally {
            driver.write();
            driver.app.close();
        }
        System.exit(exit);
    }

    private void run() throws Exception {
        results.put("loadAverageAtStart", MachineInfo.loadAverage());
        String ordersTopic = app.getEnvironment().getProperty("checkout.topics.orders");
        try (Arrivals web = new Arrivals(brokers, "checkout.continuations.web", r -> true);
             Arrivals succeeded = new Arrivals(brokers, app.getEnvironment().getProperty("checkout.topics.results"),
                     r -> r.value().contains("\"state\":\"SUCCEEDED\""))) {
            Pacer.until(() -> web.ready() && succeeded.ready(), 30_000);
            phase("warmUp", () -> warmUp(ordersTopic, web));
            // -Dload.slow-antom-first: the slow-Antom phases before the 0 ms one, to see whether their share of the
            // 0 ms rate owes anything to running second (a database grown by one phase, a JIT settled further)
            boolean slowFirst = Boolean.getBoolean("load.slow-antom-first");
            List<Map<String, Object>> slow = slowFirst ? slowAntomPhases(ordersTopic, web) : List.of();
            Map<String, Object> sustained = profiledPhase("sustained", "", () -> ordersPhase(ordersTopic, web, "S",
                    (int) (settings.rate() * settings.seconds()), settings.rate(), "1250"));
            double capacity = ((Number) sustained.get("completedPerSecond")).doubleValue();
            if (!slowFirst) {
                slow = slowAntomPhases(ordersTopic, web);
            }
            for (Map<String, Object> phase : slow) {
                phase.put("slowAntomShareOfFast",
                        Math.round(((Number) phase.get("completedPerSecond")).doubleValue() / capacity * 100) / 100d);
            }
            phase("latencyAtHalfTarget", () -> ordersPhase(ordersTopic, web, "L",
                    (int) (settings.rate() / 2 * settings.latencySeconds()), settings.rate() / 2, "1250"));
            phase("latencyAtHalfCapacity", () -> ordersPhase(ordersTopic, web, "H",
                    (int) (capacity / 2 * settings.latencySeconds()), capacity / 2, "1250"));
            phase("fullFlowWithDuplicateNotifications", () -> fullFlow(ordersTopic, succeeded, capacity / 2));
            // the warm-up sends orders only: the first burst runs while the JIT compiles the notification path
            phase("notificationBurstFirst", () -> notificationBurst(web));
            profiledPhase("notificationBurst", "-burst", () -> notificationBurst(web));
            phase("plainSdkLoop", this::plainLoop);
            Map<String, Object> plainSlow = phase("plainSdkLoopWithSlowAntom", this::plainLoopWithSlowAntom);
            if (Boolean.getBoolean("load.second-instance")) {
                phase("sustainedWithASecondInstance", () -> withSecondInstance(ordersTopic, web));
            }
            results.put("loadAverageAtEnd", MachineInfo.loadAverage());
            results.put("machineRsaSignsPerSecondAtEnd", MachineSpeed.rsaSignsPerSecond(1000));
            slowRatio(plainSlow);
            results.put("ratioOursToPlain", Math.round(capacity
                    / ((Number) ((Map<?, ?>) results.get("plainSdkLoop")).get("completedPerSecond")).doubleValue() * 10) / 10d);
        }
    }

    /**
     * The sustained phase and the latency at half its rate again with Antom answering after each of
     * {@code -Dload.antom-latencies-ms} (default 300), in the same run, then back to the configured latency: how
     * much of the fast-Antom throughput survives a real Antom's answer time. Each phase records its
     * {@code antomLatencyMs}; returns the sustained ones, which {@link #run()} gives {@code slowAntomShareOfFast}.
     */
    private List<Map<String, Object>> slowAntomPhases(String topic, Arrivals web) throws Exception {
        SandboxServer sandbox = app.getBean(SandboxServer.class);
        long configured = sandbox.latencyMs();
        List<Map<String, Object>> sustainedPhases = new ArrayList<>();
        try {
            for (String value : System.getProperty("load.antom-latencies-ms", "300").split(",")) {
                long latency = Long.parseLong(value.trim());
                if (latency == configured) {
                    continue;
                }
                sandbox.latencyMs(latency);
                Map<String, Object> slow = profiledPhase("sustainedAt" + latency + "ms", "-at" + latency + "ms",
                        () -> ordersPhase(topic, web, "A" + latency + "-", (int) (settings.rate() * settings.seconds()),
                                settings.rate(), "1250"));
                double rate = ((Number) slow.get("completedPerSecond")).doubleValue();
                sustainedPhases.add(slow);
                profiledPhase("latencyAtHalfCapacityAt" + latency + "ms", "-half-at" + latency + "ms",
                        () -> ordersPhase(topic, web, "B" + latency + "-", (int) (rate / 2 * settings.latencySeconds()),
                                rate / 2, "1250"));
            }
        } finally {
            sandbox.latencyMs(configured);
        }
        return sustainedPhases;
    }

    private interface Phase {
        Map<String, Object> run() throws Exception;
    }

    /** A phase recorded with JFR when {@code -Dload.jfr} is set; its split goes to {@code <name>ProfileSplit}. */
    private Map<String, Object> profiledPhase(String name, String fileSuffix, Phase phase) throws Exception {
        SteadyStateProfile profile = SteadyStateProfile.fromSystemProperties(fileSuffix);
        Map<String, Object> figures;
        try (profile) {
            figures = phase(name, phase);
        }
        if (profile.split() != null) {
            results.put(name + "ProfileSplit", profile.split());
        }
        return figures;
    }


    private Map<String, Object> phase(String name, Phase phase) throws Exception {
        if (!name.equals("warmUp") && vacuumBeforeEachPhase) {
            app.getBean(JdbcTemplate.class).execute("VACUUM (ANALYZE)");
        }
        System.gc(); // each phase's heap figure starts from the live set, not the last phase's garbage
        double machineSpeed = MachineSpeed.rsaSignsPerSecond(1000); // the app idle: the machine's speed right now
        heap.reset();
        System.out.println("load phase " + name + " ...");
        long cpuBefore = MachineInfo.processCpuNanos();
        long postgresBefore = MachineInfo.postgresCpuNanos();
        long antomLatencyMs = app.getBean(SandboxServer.class).latencyMs();
        double[] countsBefore = batchingCounts();
        Map<String, Object> figures = phase.run();
        double[] counts = batchingCounts();
        figures.putIfAbsent("antomLatencyMs", antomLatencyMs); // a phase that set its own latency says so
        if (figures.containsKey("completedPerSecond")) {
            figures.put("ordersPerSecond", figures.get("completedPerSecond"));
        }
        figures.put("machineRsaSignsPerSecondBefore", machineSpeed);
        figures.put("heapMaxUsedMb", heap.maxUsedMb());
        figures.put("heapAfterGcMaxMb", heap.maxAfterGcMb());
        // CPU this JVM (app, broker, sandbox, driver) and PostgreSQL's processes used during the phase
        figures.put("cpuSecondsThisJvm", Math.round((MachineInfo.processCpuNanos() - cpuBefore) / 1e7) / 100d);
        figures.put("cpuSecondsPostgres", Math.round((MachineInfo.postgresCpuNanos() - postgresBefore) / 1e7) / 100d);
        // how much one commit and one outbox drain carried: the batching the load gave
        figures.put("ledgerWritesPerCommit", ratio(counts[0] - countsBefore[0], counts[1] - countsBefore[1]));
        figures.put("outboxEventsPerBatch", ratio(counts[2] - countsBefore[2], counts[3] - countsBefore[3]));
        if (latencySplit != null) {
            figures.put("latencySplit", latencySplit.get());
            latencySplit = null;
        }
        results.put(name, figures);
        System.out.println("load phase " + name + ": " + figures);
        write();
        return figures;
    }

    private double[] batchingCounts() {
        MeterRegistry meters = app.getBean(MeterRegistry.class);
        return Stream.of("checkout.ledger.group.commit.writes", "checkout.ledger.group.commit.commits",
                        "checkout.outbox.published", "checkout.outbox.batches")
                .mapToDouble(name -> meters.counter(name).count()).toArray();
    }

    private static double ratio(double of, double per) {
        return per == 0 ? 0 : Math.round(of / per * 10) / 10d;
    }

    /**
     * Orders at a moderate rate until the JIT has settled: app, broker, sandbox and driver share one JVM on two
     * cores, and C2 compiling all of that took over a third of the CPU for minutes, which a long-running service
     * pays once. Rounds of 1,000 orders; done when compiling took under 10 % of a core in the last round (or at the cap).
     */
    private Map<String, Object> warmUp(String topic, Arrivals web) {
        var jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        long capNanos = System.nanoTime() + Integer.getInteger("load.warmup-max-seconds", 300) * 1_000_000_000L;
        int rounds = 0;
        double jitShare;
        Map<String, Object> last;
        do {
            long jitBefore = jit.getTotalCompilationTime();
            long start = System.nanoTime();
            last = ordersPhase(topic, web, "W" + rounds + "-", 1000, 200, "1250");
            jitShare = (jit.getTotalCompilationTime() - jitBefore) * 1e6 / (System.nanoTime() - start);
            rounds++;
            System.out.printf("warm-up round %d: %s orders/s, JIT %.0f %% of a core%n", rounds,
                    last.get("completedPerSecond"), jitShare * 100);
        } while (jitShare > 0.10 && System.nanoTime() < capNanos);
        last.put("rounds", rounds);
        last.put("jitShareOfACoreInLastRound", Math.round(jitShare * 100) / 100d);
        return last;
    }

    private Map<String, Object> ordersPhase(String topic, Arrivals web, String prefix, int count, double rate,
            String amount) {
        long[] machineBefore = MachineInfo.machineTicks();
        CpuByOwner.Snapshot cpuBefore = CpuByOwner.take();
        Map<String, Long> requestsBefore = BrokerRequests.counts();
        OrderLoad.Sent sent = orders.publish(topic, prefix + System.nanoTime(), count, rate, amount);
        boolean all = Pacer.until(OrderLoad.allArrived(sent, web), 300_000);
        // how busy the whole machine was while these orders ran (below 1: something waited, not the CPU)
        double machineBusy = MachineInfo.busyShare(machineBefore, MachineInfo.machineTicks());
        CpuByOwner.Snapshot cpuAfter = CpuByOwner.take();
        Map<String, Long> requestsAfter = BrokerRequests.counts();
        Map<String, Object> figures = OrderLoad.completion(sent, web);
        int completed = ((Number) figures.get("completed")).intValue();
        figures.put("cpuMsPerOrder", CpuByOwner.perOrder(cpuBefore, cpuAfter, completed));
        figures.put("brokerRequestsPerOrder", BrokerRequests.perOrder(requestsBefore, requestsAfter, completed));
        figures.put("targetRatePerSecond", Math.round(rate));
        figures.put("allArrived", all);
        figures.put("machineCpuBusyShare", machineBusy);
        // after the phase's CPU figures (phase()): the query is the driver's work, not the orders'
        latencySplit = () -> LatencySplit.of(sent, web, app.getBean(JdbcTemplate.class),
                app.getEnvironment().getProperty("checkout.outbox.continuations-destination"));
        return figures;
    }

    /**
     * The sustained phase again with a second instance of the application (its own process, the production
     * classpath) in the same consumer group, on the same broker, database and sandbox: how throughput scales when
     * the partitions are shared. The second JVM is warmed up first, as the first one was.
     */
    private Map<String, Object> withSecondInstance(String topic, Arrivals web) throws Exception {
        Environment env = app.getEnvironment();
        Map<String, String> s = new LinkedHashMap<>();
        s.put("spring.datasource.url", TestPostgres.url());
        s.put("spring.datasource.username", TestPostgres.user());
        s.put("spring.datasource.password", "");
        s.put("checkout.kafka.brokers", brokers);
        s.put("checkout.orders.consumers", env.getProperty("checkout.orders.consumers"));
        s.putAll(SandboxAsAntom.settings(app.getBean(SandboxServer.class).port()));
        s.put("checkout.antom.notify-url", env.getProperty("checkout.antom.notify-url"));
        s.put("camel.main.routes-reload-enabled", "false");
        s.put("logging.file.name", "target/benchmarks/load-second-instance.log");
        // with the JVM's own compilers and collector, as the first instance and production run (not the suites'
        // quick-start C1 and serial collector, which cost a second instance a third of its rate)
        ApplicationProcess second = new ApplicationProcess(s, FreePort.find(), Path.of("target", "benchmarks"))
                .withJvmOptions("-Xmx512m");
        second.start();
        try {
            for (int round = 0; round < Integer.getInteger("load.second-instance-warmup-rounds", 8); round++) {
                ordersPhase(topic, web, "X" + round + "-", 1000, 200, "1250");
            }
            int seconds = Integer.getInteger("load.second-instance-seconds", 10);
            Map<String, Object> figures = ordersPhase(topic, web, "T", (int) (settings.rate() * seconds),
                    settings.rate(), "1250");
            figures.put("instances", 2);
            return figures;
        } finally {
            second.stop();
        }
    }

    /** Orders the sandbox buyer pays 100 ms after pay (amount ...0061); every notification is sent twice. */
    private Map<String, Object> fullFlow(String topic, Arrivals succeeded, double rate) {
        SandboxServer sandbox = app.getBean(SandboxServer.class);
        int before = sandbox.notifications(null).size();
        sandbox.addFault(FaultRule.of(FaultType.NOTIFY_DUPLICATE).withTimes(0));
        try {
            OrderLoad.Sent sent = orders.publish(topic, "F" + System.nanoTime(), settings.flows(), rate, "10061");
            boolean all = Pacer.until(OrderLoad.allArrived(sent, succeeded), 180_000);
            Map<String, Object> figures = OrderLoad.completion(sent, succeeded);
            figures.put("targetRatePerSecond", Math.round(rate));
            figures.put("allSucceeded", all);
            List<NotificationAttempt> sentByAntom = sandbox.notifications(null);
            sentByAntom = sentByAntom.subList(before, sentByAntom.size());
            figures.put("notificationsDelivered", sentByAntom.size());
            figures.put("duplicatesDelivered", sentByAntom.stream().filter(n -> "DUPLICATE".equals(n.kind())).count());
            figures.put("notificationsAcknowledged", sentByAntom.stream().filter(NotificationAttempt::acknowledged).count());
            return figures;
        } finally {
            sandbox.clearFaults();
        }
    }

    /**
     * Antom's PAYMENT_RESULT for orders left PENDING by the latency phases, each sent twice (the resend is a
     * duplicate to recognise), signed beforehand with the SDK so the driver's signing is not what is measured.
     */
    private Map<String, Object> notificationBurst(Arrivals web) throws Exception {
        PaymentLedger ledger = app.getBean(PaymentLedger.class);
        SandboxServer sandbox = app.getBean(SandboxServer.class);
        Environment env = app.getEnvironment();
        AntomNotifier notifier = new AntomNotifier(Integer.parseInt(env.getProperty("local.server.port")),
                env.getProperty("checkout.notifications.path"), sandbox.settings().clientId());
        String key = RsaKeys.base64Body(RsaKeys.readKeyText(AntomNotifier.ANTOM_PRIVATE_KEY, "antom key"));
        String path = env.getProperty("checkout.notifications.path");
        List<String[]> signed = new ArrayList<>();
        for (PaymentAttempt attempt : ledger.inState(com.checkoutroutes.ledger.PaymentState.PENDING, settings.notifications())) {
            String body = AntomNotifier.paymentResult("PAYMENT_RESULT", "S", "SUCCESS", attempt.paymentRequestId(),
                    attempt.paymentId(), attempt.currency(), attempt.amountValue());
            String time = String.valueOf(System.currentTimeMillis());
            String signature = "algorithm=RSA256,keyVersion=1,signature="
                    + SignatureTool.sign("POST", path, sandbox.settings().clientId(), time, body, key);
            signed.add(new String[] {body, time, signature});
        }
        List<String[]> posts = new ArrayList<>(signed);
        posts.addAll(signed); // the resends come after all first copies, as Antom's would
        AtomicInteger next = new AtomicInteger();
        AtomicInteger ok = new AtomicInteger();
        int threads = Integer.getInteger("load.notify-threads", 8);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        // the CPU of the posts only: the signing above is the driver's, and the phase's own figures include it
        long[] machineBefore = MachineInfo.machineTicks();
        CpuByOwner.Snapshot cpuBefore = CpuByOwner.take();
        long start = System.nanoTime();
        List<Future<?>> clients = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            clients.add(pool.submit(() -> {
                for (int i; (i = next.getAndIncrement()) < posts.size(); ) {
                    String[] p = posts.get(i);
                    AntomNotifier.Answer answer = notifier.send(p[0], notifier.headers(p[1], p[2]));
                    if (answer.status() == 200 && answer.body().contains("\"S\"")) {
                        ok.incrementAndGet();
                    }
                }
            }));
        }
        for (Future<?> client : clients) {
            client.get(5, TimeUnit.MINUTES);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        // before the client threads end: an ended thread's CPU is no longer its owner's but counts as the JVM's own
        CpuByOwner.Snapshot cpuAfter = CpuByOwner.take();
        pool.shutdown();
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("payments", signed.size());
        figures.put("posted", posts.size());
        figures.put("answeredSuccess", ok.get());
        figures.put("postsPerSecond", Math.round(posts.size() / seconds));
        figures.put("appliedPerSecond", Math.round(signed.size() / seconds));
        figures.put("clientThreads", threads);
        // per post (first copies and resends), by owner as for orders; the driver's HTTP client threads (HttpClient-*)
        // count as the sandbox's, which sends nothing here
        figures.put("cpuMsPerPost", CpuByOwner.perOrder(cpuBefore, cpuAfter, posts.size()));
        figures.put("machineCpuBusyShare", MachineInfo.busyShare(machineBefore, MachineInfo.machineTicks()));
        return figures;
    }

    /** The plain loop drains a backlog published beforehand: its capacity, comparable with "sustained". */
    private Map<String, Object> plainLoop() throws Exception {
        return plainLoops(PLAIN_ORDERS, 1, settings.plainOrders());
    }

    /**
     * The plain alternative with Antom at {@code -Dload.antom-latencies-ms}' first value: one consumer per partition
     * (a {@code @KafkaListener} with concurrency = partitions), each calling the SDK one order at a time.
     */
    private Map<String, Object> plainLoopWithSlowAntom() throws Exception {
        SandboxServer sandbox = app.getBean(SandboxServer.class);
        long configured = sandbox.latencyMs();
        long latency = Long.parseLong(System.getProperty("load.antom-latencies-ms", "300").split(",")[0].trim());
        int partitions = Integer.parseInt(app.getEnvironment().getProperty("checkout.kafka.embedded.partitions", "3"));
        sandbox.latencyMs(latency);
        try {
            Map<String, Object> figures = plainLoops(PLAIN_ORDERS + ".slow", partitions,
                    Integer.getInteger("load.plain-orders-slow", 300));
            figures.put("antomLatencyMs", latency);
            return figures;
        } finally {
            sandbox.latencyMs(configured);
        }
    }

    private Map<String, Object> plainLoops(String topic, int consumers, int count) throws Exception {
        SandboxServer sandbox = app.getBean(SandboxServer.class);
        Environment env = app.getEnvironment();
        String merchantKey = RsaKeys.base64Body(RsaKeys.readKeyText(AntomNotifier.MERCHANT_PRIVATE_KEY, "merchant key"));
        String antomPublic = RsaKeys.base64Body(RsaKeys.readKeyText("config/sandbox-keys/antom-public.pem", "antom key"));
        PlainSdkClient client = new PlainSdkClient(sandbox.baseUrl(), merchantKey, antomPublic, sandbox.settings().clientId());
        // one consumer drains a backlog published beforehand; several first join their group and share the
        // partitions out, as a listener container's consumers do at start-up (else the first one takes every partition
        // and, busy with its first poll's records, holds them until it polls again)
        OrderLoad.Sent backlog = consumers == 1 ? orders.publish(topic, "P" + System.nanoTime(), count, 0, "1250") : null;
        List<PlainSdkLoop> loops = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < consumers; i++) {
            PlainSdkLoop loop = new PlainSdkLoop(brokers, topic, PLAIN_CONTINUATIONS, client,
                    env.getProperty("checkout.antom.notify-url"));
            loops.add(loop);
            threads.add(new Thread(loop, "plain-sdk-loop-" + i));
        }
        threads.forEach(Thread::start);
        if (consumers > 1 && !Pacer.until(() -> loops.stream().allMatch(l -> l.assigned), 60_000)) {
            throw new IllegalStateException("the plain loops' consumers were not all given partitions within 60 s");
        }
        long start = System.nanoTime();
        OrderLoad.Sent sent = backlog != null ? backlog : orders.publish(topic, "P" + System.nanoTime(), count, 0, "1250");
        java.util.function.LongSupplier done = () -> loops.stream().mapToLong(l -> l.paid.get() + l.failed.get()).sum();
        boolean all = Pacer.until(() -> done.getAsLong() >= sent.orderIds().size(), 600_000);
        loops.forEach(PlainSdkLoop::stop);
        for (Thread thread : threads) {
            thread.join(10_000);
        }
        long paid = loops.stream().mapToLong(l -> l.paid.get()).sum();
        long last = loops.stream().mapToLong(l -> l.lastDoneNanos).max().orElse(start);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("orders", sent.orderIds().size());
        figures.put("consumers", consumers);
        figures.put("paid", paid);
        figures.put("failed", loops.stream().mapToLong(l -> l.failed.get()).sum());
        figures.put("firstError", loops.stream().map(l -> l.firstError).filter(e -> e != null).findFirst().orElse(null));
        figures.put("completedPerSecond", Math.round(paid / ((last - start) / 1e9) * 10) / 10d);
        figures.put("allDone", all);
        return figures;
    }

    /** Ours against the plain alternative, both with Antom slow: the "30x the plain alternative". */
    private void slowRatio(Map<String, Object> plainSlow) {
        Object ours = results.get("sustainedAt" + plainSlow.get("antomLatencyMs") + "ms");
        double plain = ((Number) plainSlow.get("completedPerSecond")).doubleValue();
        if (ours instanceof Map<?, ?> slow && plain > 0) {
            results.put("ratioOursToPlainWithSlowAntom",
                    Math.round(((Number) slow.get("completedPerSecond")).doubleValue() / plain * 10) / 10d);
        }
    }

    private void write() {
        try {
            Path dir = Files.createDirectories(Path.of("target/benchmarks"));
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("load.json").toFile(), results);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
