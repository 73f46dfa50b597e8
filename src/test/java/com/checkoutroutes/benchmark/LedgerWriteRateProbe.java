package com.checkoutroutes.benchmark;

import com.checkoutroutes.ledger.CommittedTransitions;
import com.checkoutroutes.ledger.GroupCommit;
import com.checkoutroutes.ledger.LedgerSettings;
import com.checkoutroutes.ledger.NewAttempt;
import com.checkoutroutes.ledger.Outbox;
import com.checkoutroutes.ledger.OutboxMessage;
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentAttempt.Integration;
import com.checkoutroutes.ledger.PaymentLedger;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.ledger.Transition;
import com.checkoutroutes.platform.VirtualThreads;
import com.checkoutroutes.testsupport.TestPostgres;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The order path's two ledger writes alone (docs/benchmarks.md): an attempt stored, then its outcome with a channel
 * message and a result event, through the shipped group commit (3 writers, batches of 64) on PostgreSQL, from
 * {@code probe.in-flight} orders at once (512, the order lanes' bound) and then at {@code probe.rate} orders/s.
 * Prints orders/s, each write's p50/p99 and PostgreSQL's and this JVM's CPU per order. Not a test: skipped unless
 * asked for, {@code ./mvnw -o test -Dtest=LedgerWriteRateProbe -Dprobe.ledger=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "probe.ledger", matches = "true")
class LedgerWriteRateProbe {

    private static final int ORDERS = Integer.getInteger("probe.orders", 20_000);
    private static final int IN_FLIGHT = Integer.getInteger("probe.in-flight", 512);
    private static final int RATE = Integer.getInteger("probe.rate", 400);
    /** {@code checkout.ledger.group-commit-linger}, in microseconds; 3,000 as shipped. */
    private static final Duration LINGER = Duration.ofNanos(Long.getLong("probe.linger-us", 3_000) * 1_000);
    private static final OffsetDateTime EXPIRES = OffsetDateTime.now().plusDays(1);
    private static final String PAYLOAD = "{\"orderId\":\"%s\",\"state\":\"PENDING\",\"normalUrl\":"
            + "\"https://open-sea-global.alipay.com/checkout?token=%s\",\"applinkUrl\":null,\"schemeUrl\":null}";

    private SimpleMeterRegistry meters;

    @Test
    void ledgerWrites() throws Exception {
        try (HikariDataSource db = new HikariDataSource()) {
            db.setJdbcUrl(TestPostgres.freshDatabase("ledgerprobe"));
            db.setUsername(TestPostgres.user());
            db.setMaximumPoolSize(8);
            TestPostgres.migrate(db, "postgresql");
            JdbcTemplate jdbc = new JdbcTemplate(db);
            TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(db));
            PaymentLedger ledger = new PaymentLedger(jdbc, tx, new Outbox(jdbc, Clock.systemUTC()),
                    Clock.systemUTC(), new CommittedTransitions(),
                    new com.checkoutroutes.ledger.OrderCancellations(jdbc, Clock.systemUTC()));
            meters = new SimpleMeterRegistry();
            GroupCommit group = new GroupCommit(tx, new LedgerSettings(64, 3, LINGER), meters);
            try {
                run(ledger, group, "warm-up", ORDERS / 2, 0);
                jdbc.execute("VACUUM ANALYZE");
                run(ledger, group, "saturated, " + IN_FLIGHT + " in flight", ORDERS, 0);
                jdbc.execute("VACUUM ANALYZE");
                run(ledger, group, "paced at " + RATE + "/s", RATE * 15, RATE);
            } finally {
                group.destroy();
            }
        }
    }

    private void run(PaymentLedger ledger, GroupCommit group, String name, int orders, int rate)
            throws Exception {
        long[] storeNanos = new long[orders];
        long[] outcomeNanos = new long[orders];
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        AtomicInteger failed = new AtomicInteger();
        String prefix = name.charAt(0) + Long.toString(System.nanoTime(), 36) + "-";
        double writesBefore = meters.counter("checkout.ledger.group.commit.writes").count();
        double commitsBefore = meters.counter("checkout.ledger.group.commit.commits").count();
        long cpuBefore = MachineInfo.processCpuNanos();
        long pgBefore = MachineInfo.postgresCpuNanos();
        long start = System.nanoTime();
        // virtual threads as the order lanes use (Java 21+), else a platform thread per order in flight
        ExecutorService threads = VirtualThreads.perTaskExecutor("probe-").orElseGet(() -> Executors.newFixedThreadPool(IN_FLIGHT));
        try {
            for (int i = 0; i < orders; i++) {
                if (rate > 0) {
                    long due = start + i * 1_000_000_000L / rate;
                    for (long wait; (wait = due - System.nanoTime()) > 0; ) {
                        LockSupport.parkNanos(wait);
                    }
                }
                inFlight.acquire();
                int n = i;
                threads.submit(() -> {
                    try {
                        String id = prefix + n;
                        long t0 = System.nanoTime();
                        PaymentAttempt stored = group.execute(() -> ledger.openAttempt(new NewAttempt(id, id, 1,
                                Integration.API, "ALIPAY_CN", 1250, "USD", null, "WEB", null, EXPIRES,
                                "{\"paymentRequestId\":\"" + id + "\"}"), "pay"));
                        long t1 = System.nanoTime();
                        group.execute(() -> ledger.applyIfUnchanged(stored,
                                Transition.to(PaymentState.PENDING, "PAYMENT_IN_PROCESS").paymentId("P" + id)
                                        .result("PAYMENT_IN_PROCESS", "payment in process")
                                        .continuation(PAYLOAD.formatted(id, id))
                                        .emit(new OutboxMessage("kafka:checkout.continuations.web", id,
                                                PAYLOAD.formatted(id, id)))
                                        .emit(new OutboxMessage("kafka:checkout.payment-results", id,
                                                PAYLOAD.formatted(id, id)))).orElseThrow());
                        storeNanos[n] = t1 - t0;
                        outcomeNanos[n] = System.nanoTime() - t1;
                    } catch (RuntimeException e) {
                        failed.incrementAndGet();
                    } finally {
                        inFlight.release();
                    }
                });
            }
        } finally {
            threads.shutdown();
            threads.awaitTermination(10, TimeUnit.MINUTES);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double jvmMs = (MachineInfo.processCpuNanos() - cpuBefore) / 1e6 / orders;
        double pgMs = (MachineInfo.postgresCpuNanos() - pgBefore) / 1e6 / orders;
        double writesPerCommit = (meters.counter("checkout.ledger.group.commit.writes").count() - writesBefore)
                / (meters.counter("checkout.ledger.group.commit.commits").count() - commitsBefore);
        System.out.printf("ledger probe, linger %s, %s: %d orders in %.1f s, %.0f orders/s, failed %d; store p50/p99 "
                        + "%.1f/%.1f ms, outcome p50/p99 %.1f/%.1f ms; %.1f writes per commit; CPU per order: "
                        + "PostgreSQL %.3f ms, this JVM %.3f ms%n",
                LINGER, name, orders, seconds, orders / seconds, failed.get(), pct(storeNanos, 0.5),
                pct(storeNanos, 0.99), pct(outcomeNanos, 0.5), pct(outcomeNanos, 0.99), writesPerCommit, pgMs, jvmMs);
    }

    /** The driver's own percentile rule ({@link OrderLoad#millis}), on a sorted copy. */
    private static double pct(long[] nanos, double quantile) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return OrderLoad.millis(sorted, quantile);
    }
}
