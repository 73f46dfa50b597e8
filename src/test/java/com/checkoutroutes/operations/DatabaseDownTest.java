package com.checkoutroutes.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.checkoutroutes.ledger.DatabaseOutage;
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.orderintake.OrderCorpus;
import com.checkoutroutes.platform.OutageLog;
import com.checkoutroutes.testsupport.AntomNotifier;
import com.checkoutroutes.testsupport.FlowTestSupport;
import com.checkoutroutes.testsupport.ServiceHttp;
import com.zaxxer.hikari.HikariDataSource;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.core.io.FileSystemResource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * With the database unreachable (the link to it cut, the shared server untouched): a notification hears 503 within
 * 2 s (Antom's sender waits 5 s), readiness turns DOWN while liveness stays UP, POST /orders still answers 202 (it
 * only needs Kafka), and the log says so once, not once per request. Then everything comes back.
 */
class DatabaseDownTest extends FlowTestSupport {

    @Value("${checkout.http.orders-path}")
    String ordersPath;

    @Autowired
    DataSource dataSource;

    @Test
    void notificationsGet503FastReadinessGoesDownAndOrdersAreStillAccepted() {
        ServiceHttp http = new ServiceHttp(port, managementPort);
        PaymentAttempt pending = pendingWallet();
        String paid = AntomNotifier.paymentResult("PAYMENT_RESULT", "S", "SUCCESS", pending.paymentRequestId(),
                pending.paymentId(), pending.currency(), pending.amountValue());
        String orderId = newOrderId();
        // the first request initialises the servlet, the first signature the SDK: not what is measured
        http.get("/actuator/health/liveness");
        AntomNotifier antom = antomNotifier();
        String time = String.valueOf(System.currentTimeMillis());
        Map<String, String> signed = antom.headers(time, antom.sign(paid, time, AntomNotifier.ANTOM_PRIVATE_KEY));
        try (CapturedLogs logs = CapturedLogs.attach()) {
            databaseLink().cut();
            try {
                List<String> answers = new ArrayList<>();
                long slowest = 0;
                for (int i = 0; i < 5; i++) {
                    long started = System.nanoTime();
                    AntomNotifier.Answer answer = antom.send(paid, signed);
                    long millis = (System.nanoTime() - started) / 1_000_000;
                    answers.add(answer.status() + " in " + millis + " ms");
                    slowest = Math.max(slowest, millis);
                }
                System.out.println("database down: notifications " + answers);
                assertThat(answers).allSatisfy(a -> assertThat(a).startsWith("503"));
                // the first waits out the pool's 1 s connection-timeout; Antom's sender gives up at 5 s
                assertThat(slowest).as("Antom's sender gives up at 5 s").isLessThan(3000);
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> http.get("/actuator/health/readiness").status(), status -> status == 503);
                assertThat(http.get("/actuator/health/liveness").status()).as("alive, just not ready").isEqualTo(200);

                long started = System.nanoTime();
                ServiceHttp.Answer order = http.postJson(ordersPath,
                        OrderCorpus.valid(orderId).getBytes(StandardCharsets.UTF_8));
                long orderMillis = (System.nanoTime() - started) / 1_000_000;
                System.out.println("database down: order " + order.status() + " in " + orderMillis + " ms");
                assertThat(order.status()).isEqualTo(202);
                assertThat(orderMillis).isLessThan(2000);
                // the operators' shipment check cannot be made: 503, to be asked again, and no stack trace
                ServiceHttp.Answer check = http.get("/shipment-checks/" + orderId);
                assertThat(check.status()).isEqualTo(503);
                assertThat(check.body()).contains("\"status\":\"UNAVAILABLE\"");
            } finally {
                databaseLink().restore();
            }
            // Antom's resend is applied once the database is back, even while resends keep coming every 100 ms (the
            // quick 503s of the outage must not keep it "down"); the order published during the outage is paid for
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> antomNotifier().send(paid).status() == 200);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> http.get("/actuator/health/readiness").status(), status -> status == 200);
            assertThat(state(pending)).isEqualTo(PaymentState.SUCCEEDED);
            awaitChannelMessage("WEB", orderId);

            assertThat(logs.events.stream().filter(e -> e.getLoggerName().equals(OutageLog.class.getName())
                    && e.getFormattedMessage().startsWith("database unavailable"))).as("logged once").hasSize(1);
            assertThat(logs.events.stream().filter(e -> e.getLoggerName().equals(OutageLog.class.getName())
                    && e.getFormattedMessage().startsWith("database available again"))).hasSize(1);
            assertThat(logs.events.stream().filter(e -> e.getLoggerName().startsWith("com.checkoutroutes.notifications")
                    && e.getThrowableProxy() != null)).as("no stack trace per notification").isEmpty();
            // the order published during the outage was read again and again: Camel's error handler logs no stack
            // trace for each time, and the route says so at most once every 10 s
            assertThat(logs.events.stream().filter(e -> e.getLoggerName().startsWith("org.apache.camel")
                    && e.getThrowableProxy() != null).map(e -> e.getLoggerName() + ": " + e.getFormattedMessage()))
                    .as("no stack trace per order read again").isEmpty();
            assertThat(logs.events.stream().filter(e -> e.getLoggerName().equals(
                    com.checkoutroutes.platform.InfrastructureFailures.class.getName()))).hasSizeLessThanOrEqualTo(4);
        }
    }

    /**
     * A database that stops answering in the middle of a statement (a failover, a flow a firewall dropped) holds no
     * thread for good: the statement fails after pgjdbc's {@code socketTimeout} (shipped: a minute; here 10 s) instead
     * of waiting for TCP, about 15 minutes, and the pool, the ledger's group commit and the outbox relay go on with new
     * connections.
     */
    @Test
    void aStatementWhoseConnectionGoesSilentFailsAndPaymentsGoOn() throws Exception {
        YamlPropertiesFactoryBean shipped = new YamlPropertiesFactoryBean();
        shipped.setResources(new FileSystemResource("config/application.yml"));
        assertThat(shipped.getObject().getProperty("spring.datasource.hikari.data-source-properties.socketTimeout"))
                .as("the operator's config sets one").isEqualTo("60");
        HikariDataSource pool = dataSource.unwrap(HikariDataSource.class);
        int socketTimeoutSeconds = Integer.parseInt(pool.getDataSourceProperties().getProperty("socketTimeout"));
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            Future<?> inFlight = caller.submit(() -> jdbc.execute("SELECT pg_sleep(3)"));
            await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject("SELECT count(*) FROM "
                    + "pg_stat_activity WHERE datname = current_database() AND state = 'active' AND query = "
                    + "'SELECT pg_sleep(3)'", Integer.class) == 1);
            long silenced = System.nanoTime();
            databaseLink().silence();

            assertThatThrownBy(() -> inFlight.get(socketTimeoutSeconds + 20L, TimeUnit.SECONDS))
                    .as("its answer never comes").isInstanceOf(ExecutionException.class)
                    .rootCause().isInstanceOf(SocketTimeoutException.class);
            long waited = (System.nanoTime() - silenced) / 1_000_000;
            System.out.println("silent database: the statement failed after " + waited + " ms");
            assertThat(waited).isGreaterThanOrEqualTo(socketTimeoutSeconds * 1000L - 3000);
        } finally {
            caller.shutdownNow();
            // the silenced connections still idle in the pool would each cost the next borrower its validation
            pool.getHikariPoolMXBean().softEvictConnections();
        }
        // the app's own statements that were in flight or about to be sent fail the same way; a payment goes through
        // and its event is published (the outbox relay polls every 200 ms: it held one of the silenced connections)
        publishMarkerAndWait();
        ServiceHttp http = new ServiceHttp(port, managementPort);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> http.get("/actuator/health/readiness").status(), status -> status == 200);
    }

    /**
     * Every connection of the pool in use while notifications get answers is a busy moment: the notification that
     * waited in vain hears 503, and the next one, sent at once, is applied (taken for an outage, it would hear 503
     * for 2 s without being tried).
     */
    @Test
    void aFullPoolRefusesOneNotificationAndTheNextIsApplied() throws Exception {
        PaymentAttempt pending = pendingWallet();
        PaymentAttempt answeredBefore = pendingWallet();
        String paid = AntomNotifier.paymentResult("PAYMENT_RESULT", "S", "SUCCESS", pending.paymentRequestId(),
                pending.paymentId(), pending.currency(), pending.amountValue());
        HikariDataSource pool = dataSource.unwrap(HikariDataSource.class);
        List<Connection> held = new ArrayList<>();
        AntomNotifier.Answer refused;
        try (CapturedLogs logs = CapturedLogs.attach()) {
            try {
                assertThat(antomNotifier().send(AntomNotifier.paymentResult("PAYMENT_RESULT", "S", "SUCCESS",
                        answeredBefore.paymentRequestId(), answeredBefore.paymentId(), answeredBefore.currency(),
                        answeredBefore.amountValue())).status()).as("the database answers").isEqualTo(200);
                await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> {
                    held.add(pool.getConnection()); // the app's own threads free theirs within a moment
                    return held.size() == pool.getMaximumPoolSize();
                });
                refused = antomNotifier().send(paid);
            } finally {
                for (Connection c : held) {
                    c.close();
                }
            }
            long freed = System.nanoTime();
            AntomNotifier.Answer applied = antomNotifier().send(paid);
            long millis = (System.nanoTime() - freed) / 1_000_000;
            System.out.println("full pool: " + refused.status() + ", then " + applied.status() + " after " + millis
                    + " ms");

            assertThat(refused.status()).isEqualTo(503);
            assertThat(applied.status()).as("tried at once, not refused as an outage").isEqualTo(200);
            assertThat(millis).as("within the outage's quiet period").isLessThan(2000);
            assertThat(state(pending)).isEqualTo(PaymentState.SUCCEEDED);
            assertThat(logs.events.stream().filter(e -> e.getFormattedMessage().startsWith("database unavailable")))
                    .as("not an outage").isEmpty();
            // logged at most once a minute: another test of this context may have had it logged already
            assertThat(logs.events.stream().filter(e -> e.getLoggerName().equals(DatabaseOutage.class.getName())
                    && e.getFormattedMessage().startsWith("every database connection was in use")).count())
                    .isLessThanOrEqualTo(1);
        }
    }
}
