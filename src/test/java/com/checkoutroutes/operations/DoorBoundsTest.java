package com.checkoutroutes.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import com.checkoutroutes.orderintake.OrderCorpus;
import com.checkoutroutes.testsupport.HeapSampler;
import com.checkoutroutes.testsupport.FlowTestSupport;
import com.checkoutroutes.testsupport.ServiceHttp;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

/**
 * The doors against huge and slow bodies, through the shipped config: a body past its door's limit is refused with
 * 413 while it is read (fast, in bounded memory, never in a log line), and connections that trickle a body cost a
 * container thread each, not the threads that serve orders and notifications.
 */
class DoorBoundsTest extends FlowTestSupport {

    private static final long MB = 1024 * 1024;

    @Value("${checkout.http.orders-path}")
    String ordersPath;
    @org.springframework.beans.factory.annotation.Autowired
    com.checkoutroutes.doors.DoorSettings doors;
    ServiceHttp http;

    @BeforeEach
    void caller() {
        http = new ServiceHttp(port, managementPort);
    }

    @Test
    void bodiesPastTheLimitGet413FastInBoundedMemoryAndNeverInALogLine() throws Exception {
        // the first requests initialise the servlets and remember the order system's password check: not what is
        // measured (the doors' port, not only the management one)
        http.get("/actuator/health/liveness");
        assertThat(http.postJson(ordersPath, OrderCorpus.valid(newOrderId()).getBytes(StandardCharsets.UTF_8))
                .status()).isEqualTo(202);
        // the suite's JVM holds other tests' applications too: what is measured is the growth over what was in use
        // after a collection, just before
        System.gc();
        long before = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        // every 5 ms: a 150 MB body held whole would show however briefly
        HeapSampler heap = new HeapSampler(Duration.ofMillis(5));
        List<String> answers = new ArrayList<>();
        try (CapturedLogs logs = CapturedLogs.attach()) {
            for (String path : List.of(ordersPath, notificationsPath)) {
                for (long size : List.of(64 * 1024 + 1L, 2 * MB, 150 * MB)) {
                    for (boolean chunked : List.of(false, true)) {
                        long started = System.nanoTime();
                        String status = http.streamBody(path, size, chunked);
                        long millis = (System.nanoTime() - started) / 1_000_000;
                        answers.add(path + " " + size + (chunked ? " chunked" : "") + ": " + status + " in " + millis + " ms");
                        assertThat(status).as(answers.get(answers.size() - 1)).startsWith("HTTP/1.1 413");
                        assertThat(millis).as(answers.get(answers.size() - 1)).isLessThan(2000);
                    }
                }
            }
            // the out-of-memory: three 150 MB orders at once
            ExecutorService three = Executors.newFixedThreadPool(3);
            try {
                List<Future<String>> at = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    at.add(three.submit(() -> http.streamBody(ordersPath, 150 * MB, true)));
                }
                for (Future<String> answer : at) {
                    assertThat(answer.get(10, TimeUnit.SECONDS)).startsWith("HTTP/1.1 413");
                }
            } finally {
                three.shutdownNow();
            }
            // the service still takes a normal order
            assertThat(http.postJson(ordersPath, OrderCorpus.valid(newOrderId()).getBytes(StandardCharsets.UTF_8))
                    .status()).isEqualTo(202);
            for (ILoggingEvent event : logs.events) {
                if (event.getLoggerName().startsWith("org.apache.kafka") && event.getLoggerName().endsWith("Config")) {
                    // a Kafka client's settings, printed whole when one is made (a producer made meanwhile, as the
                    // test classes before this one in its fork used the context): no request's content
                    continue;
                }
                assertThat(lineLength(event)).as("a log line of %s", event.getLoggerName()).isLessThanOrEqualTo(2048);
                assertThat(event.getFormattedMessage()).doesNotContain("xxxxxxxxxxxxxxxx");
            }
        } finally {
            heap.close();
        }
        long grown = heap.maxUsedBytes() - before;
        System.out.println("door bounds: " + answers + "; heap peak " + heap.maxUsedBytes() / MB + " MB, "
                + grown / MB + " MB over the " + before / MB + " MB in use before");
        // three 150 MB bodies held at once would alone be 450 MB; what grows here is garbage not yet collected
        assertThat(grown).as("heap grown at its peak").isLessThan(400 * MB);
    }

    /**
     * A form body (curl's -d without a Content-Type) or an unknown charset on a JSON door is refused 415 before Camel
     * reads it: platform-http split a form into parameters before any route ran, answered 500 and logged the body.
     */
    @Test
    void aFormOrAnUnknownCharsetOnAJsonDoorIs415AndNeverInALogLine() throws Exception {
        String marker = "FORMBODY" + "y".repeat(64);
        try (CapturedLogs logs = CapturedLogs.attach()) {
            for (String path : List.of(ordersPath, notificationsPath)) {
                for (String type : List.of("application/x-www-form-urlencoded", "multipart/form-data; boundary=b",
                        "application/json; charset=x-not-a-charset")) {
                    ServiceHttp.Answer answer = http.send(http.request(path).header("Content-Type", type)
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(marker + "&%zz")).build());
                    assertThat(answer.status()).as("%s %s: %s", path, type, answer.body()).isEqualTo(415);
                    assertThat(answer.body()).startsWith("{\"code\":\"UNSUPPORTED_MEDIA_TYPE\"");
                }
            }
            assertThat(logs.events).allSatisfy(event -> assertThat(event.getFormattedMessage()).doesNotContain(marker));
        }
        // JSON as Antom sends it still passes
        assertThat(http.send(http.request(ordersPath).header("Content-Type", "application/json; charset=UTF-8")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(OrderCorpus.valid(newOrderId()))).build())
                .status()).isEqualTo(202);
    }

    @Test
    void tenTricklingBodiesDoNotDelayAnOrderOrANotification() throws Exception {
        List<Socket> slow = new ArrayList<>();
        Map<Socket, String> answers = new ConcurrentHashMap<>();
        ScheduledExecutorService trickle = Executors.newScheduledThreadPool(2);
        AtomicLong bytesSent = new AtomicLong();
        try {
            for (int i = 0; i < 10; i++) {
                Socket socket = http.connect();
                slow.add(socket);
                trickleBody(socket, http.rawHead(ordersPath, 1000L), trickle, bytesSent, answers);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> bytesSent.get() >= 20);

            for (int i = 0; i < 3; i++) {
                long started = System.nanoTime();
                var order = http.postJson(ordersPath, OrderCorpus.valid(newOrderId()).getBytes(StandardCharsets.UTF_8));
                long orderMillis = (System.nanoTime() - started) / 1_000_000;
                started = System.nanoTime();
                var notification = antomNotifier().send(com.checkoutroutes.testsupport.AntomNotifier.paymentResult(
                        "PAYMENT_RESULT", "S", "SUCCESS", "pr-unknown-" + newOrderId(), "p-unknown", "USD", 1250));
                long notificationMillis = (System.nanoTime() - started) / 1_000_000;
                System.out.println("with ten trickling bodies: order " + orderMillis + " ms, notification "
                        + notificationMillis + " ms");
                assertThat(order.status()).isEqualTo(202);
                // well inside the 10 s a request stuck behind the trickles would take; a loaded 2-core machine's
                // pauses are not what is measured
                assertThat(orderMillis).as("an order behind ten trickling bodies").isLessThan(3000);
                assertThat(notification.status()).isEqualTo(200);
                assertThat(notificationMillis).as("a notification behind ten trickling bodies").isLessThan(3000);
            }
            // and the trickles end: 408 once checkout.doors.body-timeout (10 s) has passed
            await().atMost(Duration.ofSeconds(20)).until(() -> answers.size() == 10);
            assertThat(answers.values()).allSatisfy(status -> assertThat(status).startsWith("HTTP/1.1 408"));
        } finally {
            trickle.shutdownNow();
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }

    /**
     * A body a door refuses before it reads it (no credentials: 401) is not drained once answered: the connection is
     * closed at its next byte. Tomcat drained such a body up to max-swallow-size, a read at a time without a deadline:
     * 64 KB trickled a byte every 2 s held a container thread for a day and a half, and 200 anonymous connections
     * every one of them.
     */
    @Test
    void aRefusedTricklingBodyIsNotDrained() throws Exception {
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        try (Socket socket = http.connect()) {
            String anonymous = "POST " + ordersPath + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json"
                    + "\r\nContent-Length: 65536\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(anonymous.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            trickle.scheduleAtFixedRate(() -> {
                try {
                    out.write('x');
                    out.flush();
                } catch (Exception e) {
                    // closed by the server: what this test waits for
                }
            }, 0, 2, TimeUnit.SECONDS);
            var in = socket.getInputStream();
            assertThat(ServiceHttp.statusLine(in)).startsWith("HTTP/1.1 401");
            long answered = System.nanoTime();
            socket.setSoTimeout(20_000);
            try {
                while (in.read() >= 0) {
                    // the rest of the answer, then the end of the stream once the server closes
                }
            } catch (java.net.SocketException e) {
                // reset by the server: closed too
            }
            long closedAfter = (System.nanoTime() - answered) / 1_000_000;
            System.out.println("refused trickling body: connection closed " + closedAfter + " ms after the 401");
            // its next byte comes within 2 s, then one read: drained, the body would take 36 hours
            assertThat(closedAfter).as("closed within a read of the next byte").isLessThan(10_000);
        } finally {
            trickle.shutdownNow();
        }
    }

    /**
     * The management port the same way, through the shipped config: sign-in forms trickled a byte at a time fill the
     * console's places and are ended 408 after the body-timeout (Spring Security's CSRF check used to read such a body
     * itself, for as long as it trickled); meanwhile the probes and Prometheus's scrapes answer at once from places
     * of their own, and one more console request is told 503 at once.
     */
    @Test
    void tricklingConsoleFormsLeaveTheProbesAnswering() throws Exception {
        int places = doors.management().maxConcurrent();
        List<Socket> slow = new ArrayList<>();
        Map<Socket, String> answers = new ConcurrentHashMap<>();
        ScheduledExecutorService trickle = Executors.newScheduledThreadPool(2);
        AtomicLong bytesSent = new AtomicLong();
        try {
            for (int i = 0; i < places; i++) {
                Socket socket = new Socket(java.net.InetAddress.getLoopbackAddress(), managementPort);
                socket.setSoTimeout(30_000);
                slow.add(socket);
                trickleBody(socket, "POST /console/sign-in HTTP/1.1\r\nHost: 127.0.0.1:" + managementPort
                        + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n",
                        trickle, bytesSent, answers);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> bytesSent.get() >= 2L * places);

            long started = System.nanoTime();
            ServiceHttp.Answer probe = http.get("/actuator/health/liveness");
            long probeMillis = (System.nanoTime() - started) / 1_000_000;
            ServiceHttp.Answer console = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    "http://127.0.0.1:" + managementPort + "/console/sign-in")).GET().build());
            System.out.println("with " + places + " trickling console forms: probe " + probe.status() + " in "
                    + probeMillis + " ms, console " + console.status());
            assertThat(probe.status()).isEqualTo(200);
            // a probe's timeout is a second or more; the margin is for a loaded 2-core machine
            assertThat(probeMillis).as("a probe behind trickling console forms").isLessThan(3000);
            assertThat(console.status()).isEqualTo(503);
            assertThat(console.body()).contains("BUSY");
            assertThat(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                    + managementPort + "/actuator/prometheus")).header("Authorization",
                    com.checkoutroutes.testsupport.DemoCredentials.basic(
                            com.checkoutroutes.testsupport.DemoCredentials.MONITOR)).GET().build()).status())
                    .as("a Prometheus scrape").isEqualTo(200);

            await().atMost(Duration.ofSeconds(20)).until(() -> answers.size() == places);
            assertThat(answers.values()).allSatisfy(status -> assertThat(status).startsWith("HTTP/1.1 408"));
            assertThat(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    "http://127.0.0.1:" + managementPort + "/console/sign-in")).GET().build()).status())
                    .as("the console's places are free again").isEqualTo(200);
        } finally {
            trickle.shutdownNow();
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }

    /**
     * Sends {@code head}, then a body one byte every 2 s (counted in {@code bytesSent}) until the server answers or
     * closes; the answer's status line goes to {@code answers}.
     */
    private static void trickleBody(Socket socket, String head, ScheduledExecutorService trickle, AtomicLong bytesSent,
            Map<Socket, String> answers) throws java.io.IOException {
        OutputStream out = socket.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        AtomicBoolean closed = new AtomicBoolean();
        trickle.scheduleAtFixedRate(() -> {
            if (closed.get()) {
                return;
            }
            try {
                out.write('x');
                out.flush();
                bytesSent.incrementAndGet();
            } catch (Exception e) {
                closed.set(true);
            }
        }, 0, 2, TimeUnit.SECONDS);
        Thread reader = new Thread(() -> {
            try {
                answers.put(socket, ServiceHttp.statusLine(socket.getInputStream()));
            } catch (Exception e) {
                answers.put(socket, "closed: " + e.getMessage());
            }
        }, "slow-body-answer");
        reader.setDaemon(true);
        reader.start();
    }

    /** The longest line this event prints: its message, or one of its exceptions' messages. */
    private static int lineLength(ILoggingEvent event) {
        int longest = event.getFormattedMessage() == null ? 0 : event.getFormattedMessage().length();
        for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
            longest = Math.max(longest, t.getMessage() == null ? 0 : t.getMessage().length());
        }
        return longest;
    }
}
