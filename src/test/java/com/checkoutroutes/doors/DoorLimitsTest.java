package com.checkoutroutes.doors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.checkoutroutes.doors.DoorSettings.Door;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.mock.web.MockAsyncContext;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * {@link DoorLimits} on plain servlet mocks: which door a path is, the limit checked from Content-Length and then
 * while reading, the body deadline, and a door at its limit answering 503 while the other doors still serve.
 * DoorBoundsTest has the same through Tomcat with real sockets.
 */
class DoorLimitsTest {

    /** The filter's clock: a trickling body moves it on, so the deadline passes without the test waiting. */
    private final AtomicLong nanoTime = new AtomicLong();
    private static final DoorSettings SETTINGS = new DoorSettings(Duration.ofMillis(300), 16,
            new Door(List.of("/orders"), 100, 1, null), new Door(List.of("/antom/notifications"), 50, 2,
                    Duration.ofMillis(100)), new Door(List.of("/payments", "/shipment-checks"), 10, 1, null),
            new Door(List.of("/actuator/health", "/actuator/prometheus"), 16, 2, null),
            new Door(List.of("/"), 200, 1, null));
    private final DoorLimits limits = new DoorLimits(SETTINGS, nanoTime::get);

    @Test
    void aBodyWithinTheLimitReachesTheApplicationWhole() throws Exception {
        AtomicReference<String> seen = new AtomicReference<>();
        MockHttpServletResponse response = run(post("/orders", "{\"orderId\":\"ORD-1\"}", true),
                (request, r) -> seen.set(new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8)));

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(seen.get()).isEqualTo("{\"orderId\":\"ORD-1\"}");
    }

    /** A form's fields come from the body read here (the container parses only the query once it is read). */
    @Test
    void aFormsFieldsAreReadFromTheBufferedBody() throws Exception {
        MockHttpServletRequest form = post("/console/sign-in",
                "username=oper%C3%A4tor&password=a+b&_csrf=t1&x&bad=%zz&next=%2Fattention", true);
        form.setContentType("application/x-www-form-urlencoded; charset=UTF-8");
        form.setCharacterEncoding("UTF-8");
        form.setQueryString("next=%2Fconsole");
        form.addParameter("next", "/console");
        AtomicReference<jakarta.servlet.ServletRequest> seen = new AtomicReference<>();

        DoorLimits.managementPort(SETTINGS, nanoTime::get).doFilter(form, new MockHttpServletResponse(),
                (request, response) -> seen.set(request));

        assertThat(seen.get().getParameter("username")).isEqualTo("operätor");
        assertThat(seen.get().getParameter("password")).isEqualTo("a b");
        assertThat(seen.get().getParameter("_csrf")).isEqualTo("t1");
        assertThat(seen.get().getParameter("x")).isEmpty();
        assertThat(seen.get().getParameter("next")).as("the query's first").isEqualTo("/console");
        assertThat(seen.get().getParameterValues("next")).containsExactly("/console", "/attention");
        assertThat(seen.get().getParameterMap()).as("a field not validly encoded left out")
                .containsOnlyKeys("next", "username", "password", "_csrf", "x");
    }

    /**
     * On the management port the probes and scrapes have places of their own: a full console door never fails a probe
     * or a scrape.
     */
    @Test
    void theProbesAnswerWhileTheManagementDoorIsFull() throws Exception {
        DoorLimits management = DoorLimits.managementPort(SETTINGS, nanoTime::get);
        try (AutoCloseable console = requestsInside(management, "/console", 1)) {
            assertThat(status(management, "/actuator/metrics")).isEqualTo(503);
            assertThat(status(management, "/actuator/health/liveness")).isEqualTo(200);
            assertThat(status(management, "/actuator/prometheus")).isEqualTo(200);
        }
    }

    /**
     * Probes are GETs: one with a body is refused before it takes a place (bodies trickled to the probes would fill
     * them), and liveness has places apart from readiness, which waits on the database.
     */
    @Test
    void aProbeWithABodyIsRefusedAndLivenessAnswersWhileReadinessIsFull() throws Exception {
        DoorLimits management = DoorLimits.managementPort(SETTINGS, nanoTime::get);
        MockHttpServletResponse withBody = new MockHttpServletResponse();
        management.doFilter(post("/actuator/health/readiness", "x", true), withBody, (req, res) -> {
            throw new AssertionError("reached the application");
        });
        assertThat(withBody.getStatus()).isEqualTo(413);

        try (AutoCloseable readiness = requestsInside(management, "/actuator/health/readiness", 2)) {
            assertThat(status(management, "/actuator/health/readiness")).isEqualTo(503);
            assertThat(status(management, "/actuator/health/liveness")).isEqualTo(200);
        }
    }

    /** {@code count} GETs of {@code path} held inside the application until closed. */
    private static AutoCloseable requestsInside(DoorLimits limits, String path, int count) throws Exception {
        CountDownLatch inside = new CountDownLatch(count);
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> held = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            Thread request = new Thread(() -> {
                try {
                    limits.doFilter(new MockHttpServletRequest("GET", path), new MockHttpServletResponse(),
                            (req, res) -> {
                                inside.countDown();
                                try {
                                    release.await();
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            });
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            request.start();
            held.add(request);
        }
        assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
        return () -> {
            release.countDown();
            for (Thread request : held) {
                request.join(5000);
            }
        };
    }

    private static int status(DoorLimits limits, String path) throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        limits.doFilter(new MockHttpServletRequest("GET", path), response, (req, res) -> { });
        return response.getStatus();
    }

    /** Only a form is read as one: a look-alike content type's body is left as a body. */
    @Test
    void onlyAFormsBodyGivesFields() throws Exception {
        MockHttpServletRequest notAForm = post("/console/sign-in", "username=x", true);
        notAForm.setContentType("application/x-www-form-urlencodedX");
        AtomicReference<jakarta.servlet.ServletRequest> seen = new AtomicReference<>();

        DoorLimits.managementPort(SETTINGS, nanoTime::get).doFilter(notAForm, new MockHttpServletResponse(),
                (request, response) -> seen.set(request));

        assertThat(seen.get().getParameterMap()).isEmpty();
    }

    @Test
    void aPercentEncodedPathIsTheDoorItNames() throws Exception {
        // 40 bytes: within the notifications door's 50, past the 16 of paths no door lists
        assertThat(run(post("/antom/%6Eotifications", "x".repeat(40), false), (req, res) -> { }).getStatus())
                .isEqualTo(200);
        assertThat(run(post("/%6Frders", "x".repeat(40), false), (req, res) -> { }).getStatus()).isEqualTo(200);
    }

    /**
     * A compressed body is refused 415 before a place or a read: counted here as sent, it would be inflated past the
     * door's limit by Camel's converter afterwards (a 64 KB gzip of zeros is 64 MB). Identity is a body as it is.
     */
    @Test
    void aBodyWithAContentEncodingIsRefusedUnread() throws Exception {
        for (String coding : List.of("gzip", "deflate", "identity, gzip", "GZIP", "gzip;q=1", "x-gzip-foo", "br")) {
            MockHttpServletRequest request = post("/antom/notifications", "x".repeat(20), true);
            request.addHeader("Content-Encoding", coding);
            MockHttpServletResponse response = run(request, (req, res) -> {
                throw new AssertionError("reached the application");
            });

            assertThat(response.getStatus()).as(coding).isEqualTo(415);
            assertThat(response.getContentAsString()).startsWith("{\"code\":\"UNSUPPORTED_MEDIA_TYPE\"");
            assertThat(request.getInputStream().available()).as("not read").isEqualTo(20);
        }
        for (String asItIs : List.of("identity", "", "UTF-8")) {
            MockHttpServletRequest request = post("/antom/notifications", "x".repeat(20), true);
            request.addHeader("Content-Encoding", asItIs);
            assertThat(run(request, (req, res) -> { }).getStatus()).as(asItIs).isEqualTo(200);
        }
    }

    @Test
    void aDeclaredLengthPastTheLimitIs413BeforeAnythingIsRead() throws Exception {
        MockHttpServletRequest request = post("/orders", "x".repeat(101), true);
        MockHttpServletResponse response = run(request, (req, res) -> {
            throw new AssertionError("reached the application");
        });

        assertThat(response.getStatus()).isEqualTo(413);
        assertThat(response.getContentAsString()).startsWith("{\"code\":\"PAYLOAD_TOO_LARGE\"");
        assertThat(response.getHeader("Connection")).isEqualTo("close");
        assertThat(request.getInputStream().available()).as("not read").isEqualTo(101);
    }

    @Test
    void anUndeclaredLengthIsCountedWhileReadAndStoppedOneBytePast() throws Exception {
        assertThat(run(post("/orders", "x".repeat(100), false), (req, res) -> { }).getStatus()).isEqualTo(200);
        assertThat(run(post("/orders", "x".repeat(101), false), (req, res) -> { }).getStatus()).isEqualTo(413);
        assertThat(run(post("/antom/notifications", "x".repeat(51), false), (req, res) -> { }).getStatus())
                .as("each door its own limit").isEqualTo(413);
        assertThat(run(post("/payments/ORD-1", "x".repeat(11), false), (req, res) -> { }).getStatus())
                .as("a path below a door's path").isEqualTo(413);
        assertThat(run(post("/actuator/health", "x".repeat(17), false), (req, res) -> { }).getStatus())
                .as("a path no door lists").isEqualTo(413);
        assertThat(run(post("/ordersX", "x".repeat(17), false), (req, res) -> { }).getStatus())
                .as("not the orders door, only its prefix").isEqualTo(413);
    }

    @Test
    void aBodyStillArrivingAtTheDeadlineIs408() throws Exception {
        // one byte every 50 ms, past the 300 ms deadline and within the 100-byte limit
        AtomicLong sent = new AtomicLong();
        MockHttpServletRequest trickling = chunked("/orders", () -> sent.getAndIncrement() < 90 ? pause('x') : -1);

        MockHttpServletResponse response = run(trickling, (req, res) -> {
            throw new AssertionError("reached the application");
        });

        assertThat(response.getStatus()).isEqualTo(408);
        assertThat(response.getContentAsString()).contains("BODY_TIMEOUT");
    }

    /** Antom's notifications are small and sent at once: their door gives a body 100 ms here, the others 300. */
    @Test
    void aDoorWithABodyTimeoutOfItsOwnEndsATrickleSooner() throws Exception {
        AtomicLong sent = new AtomicLong();
        // one byte every 50 ms: past the notifications' 100 ms, within the others' 300 ms
        MockHttpServletResponse notification = run(chunked("/antom/notifications",
                () -> sent.getAndIncrement() < 4 ? pause('x') : -1), (req, res) -> {
                    throw new AssertionError("reached the application");
                });
        sent.set(0);
        MockHttpServletResponse order = run(chunked("/orders", () -> sent.getAndIncrement() < 4 ? pause('x') : -1),
                (req, res) -> { });

        assertThat(notification.getStatus()).isEqualTo(408);
        assertThat(order.getStatus()).isEqualTo(200);
    }

    @Test
    void aDoorAtItsLimitAnswers503AtOnceAndTheOtherDoorsStillServe() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch leave = new CountDownLatch(1);
        Thread first = new Thread(() -> {
            try {
                run(post("/orders", "{}", true), (req, res) -> {
                    inside.countDown();
                    awaitQuietly(leave);
                });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        first.start();
        try {
            assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();

            MockHttpServletResponse busy = run(post("/orders", "{}", true), (req, res) -> { });
            assertThat(busy.getStatus()).isEqualTo(503);
            assertThat(busy.getHeader("Retry-After")).isEqualTo("1");
            assertThat(busy.getContentAsString()).startsWith("{\"code\":\"BUSY\"");
            assertThat(run(post("/antom/notifications", "{}", true), (req, res) -> { }).getStatus()).isEqualTo(200);
            assertThat(run(new MockHttpServletRequest("GET", "/payments/ORD-1"), (req, res) -> { }).getStatus())
                    .isEqualTo(200);
        } finally {
            leave.countDown();
            first.join();
        }
        assertThat(run(post("/orders", "{}", true), (req, res) -> { }).getStatus()).as("the permit is back")
                .isEqualTo(200);
    }

    /**
     * Platform-http runs a route on the task executor, and the servlet's async timeout answers its caller without
     * stopping it: the route keeps the request's place until it ends, or a door stuck on a slow database or Antom
     * would let a new request in for every caller answered 503, and the executor's queue would grow without a bound.
     */
    @Test
    void aRouteStillRunningAfterItsCallerWasAnsweredKeepsThePlace() throws Exception {
        ThreadPoolTaskExecutor executor = routesExecutor();
        CountDownLatch leave = new CountDownLatch(1);
        try {
            MockHttpServletRequest first = post("/orders", "{}", true);
            first.setAsyncSupported(true);
            run(first, (req, res) -> {
                req.startAsync();
                executor.execute(() -> awaitQuietly(leave));
            });
            MockAsyncContext async = (MockAsyncContext) first.getAsyncContext();
            for (AsyncListener listener : async.getListeners()) {
                listener.onTimeout(new AsyncEvent(async));
            }
            async.complete();

            assertThat(run(post("/orders", "{}", true), (req, res) -> { }).getStatus()).as("the route still runs")
                    .isEqualTo(503);
            assertThat(run(post("/antom/notifications", "{}", true), (req, res) -> { }).getStatus()).isEqualTo(200);
        } finally {
            leave.countDown();
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(run(post("/orders", "{}", true),
                (req, res) -> { }).getStatus()).as("the place is back when the route ends").isEqualTo(200));
        executor.shutdown();
    }

    /** The other way round: a route that ended keeps no place, the answer still being written does. */
    @Test
    void theRequestKeepsItsPlaceUntilItsAnswerIsWrittenAfterItsRouteEnded() throws Exception {
        ThreadPoolTaskExecutor executor = routesExecutor();
        CountDownLatch ended = new CountDownLatch(1);
        MockHttpServletRequest first = post("/orders", "{}", true);
        first.setAsyncSupported(true);
        run(first, (req, res) -> {
            req.startAsync();
            executor.execute(ended::countDown);
        });
        assertThat(ended.await(10, TimeUnit.SECONDS)).isTrue();
        executor.shutdown();
        assertThat(executor.getThreadPoolExecutor().awaitTermination(10, TimeUnit.SECONDS)).isTrue();

        assertThat(run(post("/orders", "{}", true), (req, res) -> { }).getStatus()).as("the answer is not written")
                .isEqualTo(503);
        first.getAsyncContext().complete();
        assertThat(run(post("/orders", "{}", true), (req, res) -> { }).getStatus()).isEqualTo(200);
    }

    /** A route the executor refuses (its bounded queue full) never runs: its place is given back all the same. */
    @Test
    void aRouteTheExecutorRefusesGivesItsPlaceBack() throws Exception {
        ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
        executor.setTaskDecorator(new DoorWork());
        executor.setRejectedExecutionHandler(DoorWork.releasingOnRejection());
        executor.setCorePoolSize(1);
        executor.setMaxPoolSize(1);
        executor.setQueueCapacity(0);
        executor.initialize();
        CountDownLatch leave = new CountDownLatch(1);
        try {
            executor.execute(() -> awaitQuietly(leave));
            MockHttpServletRequest refused = post("/antom/notifications", "{}", true);
            refused.setAsyncSupported(true);
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> run(refused, (req, res) -> {
                req.startAsync();
                executor.execute(() -> { });
            }))).isInstanceOf(org.springframework.core.task.TaskRejectedException.class);
            refused.getAsyncContext().complete();

            io.micrometer.core.instrument.MeterRegistry meters =
                    new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
            limits.bindTo(meters);
            assertThat(meters.get("checkout.doors.in.use").tag("door", "notifications").gauge().value())
                    .as("the refused route's place").isZero();
        } finally {
            leave.countDown();
            executor.shutdown();
        }
    }

    /** The executor as Spring Boot builds it for platform-http, with the one TaskDecorator bean. */
    private static ThreadPoolTaskExecutor routesExecutor() {
        ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
        executor.setTaskDecorator(new DoorWork());
        executor.initialize();
        return executor;
    }

    /** A body still arriving holds its door's permit: slow bodies hold their own door's threads, not every thread. */
    @Test
    void aBodyStillArrivingCountsAgainstItsDoorAlone() throws Exception {
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch more = new CountDownLatch(1);
        AtomicLong sent = new AtomicLong();
        MockHttpServletRequest slow = chunked("/orders", () -> {
            reading.countDown();
            awaitQuietly(more); // the next byte is slow to come
            return sent.getAndIncrement() == 0 ? '{' : -1;
        });
        Thread first = new Thread(() -> {
            try {
                run(slow, (req, res) -> { });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        first.start();
        try {
            assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();

            assertThat(run(post("/orders", "{}", true), (req, res) -> { }).getStatus()).isEqualTo(503);
            assertThat(run(post("/antom/notifications", "{}", true), (req, res) -> { }).getStatus()).isEqualTo(200);
        } finally {
            more.countDown();
            first.join();
        }
        assertThat(run(post("/orders", "{}", true), (req, res) -> { }).getStatus()).as("the permit is back")
                .isEqualTo(200);
    }

    @Test
    void pathsNoDoorListsShareEightAtOnce() throws Exception {
        CountDownLatch inside = new CountDownLatch(DoorLimits.OTHER_CONCURRENT);
        CountDownLatch leave = new CountDownLatch(1);
        List<Thread> held = new java.util.ArrayList<>();
        for (int i = 0; i < DoorLimits.OTHER_CONCURRENT; i++) {
            Thread t = new Thread(() -> {
                try {
                    run(post("/elsewhere", "{}", true), (req, res) -> {
                        inside.countDown();
                        awaitQuietly(leave);
                    });
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            t.start();
            held.add(t);
        }
        try {
            assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(run(post("/elsewhere", "{}", true), (req, res) -> { }).getStatus()).isEqualTo(503);
            assertThat(run(post("/orders", "{}", true), (req, res) -> { }).getStatus()).isEqualTo(200);
        } finally {
            leave.countDown();
            for (Thread t : held) {
                t.join();
            }
        }
    }

    private MockHttpServletResponse run(MockHttpServletRequest request, FilterChain chain) throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        limits.doFilter(request, response, chain);
        return response;
    }

    private static MockHttpServletRequest post(String path, String body, boolean declared) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", path) {
            @Override
            public long getContentLengthLong() {
                return declared ? super.getContentLengthLong() : -1;
            }

            @Override
            public int getContentLength() {
                return declared ? super.getContentLength() : -1;
            }
        };
        request.setContent(body.getBytes(StandardCharsets.UTF_8));
        if (!declared) {
            request.addHeader("Transfer-Encoding", "chunked");
        }
        return request;
    }

    /**
     * A chunked POST whose body comes one byte per read, as a socket trickling gives them (InputStream's own
     * read(byte[]) would gather them all in one call, and only then see the deadline); {@code next} gives each byte,
     * -1 at the end.
     */
    private static MockHttpServletRequest chunked(String path, java.util.function.IntSupplier next) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", path) {
            @Override
            public jakarta.servlet.ServletInputStream getInputStream() {
                return new jakarta.servlet.ServletInputStream() {
                    boolean finished;

                    @Override
                    public int read() {
                        int c = next.getAsInt();
                        finished = c < 0;
                        return c;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) {
                        int c = read();
                        if (c < 0) {
                            return -1;
                        }
                        b[off] = (byte) c;
                        return 1;
                    }

                    @Override
                    public boolean isFinished() {
                        return finished;
                    }

                    @Override
                    public boolean isReady() {
                        return true;
                    }

                    @Override
                    public void setReadListener(jakarta.servlet.ReadListener listener) {
                        throw new UnsupportedOperationException();
                    }
                };
            }
        };
        request.addHeader("Transfer-Encoding", "chunked");
        return request;
    }

    /** A byte that took 50 ms to come. */
    private int pause(int c) {
        nanoTime.addAndGet(TimeUnit.MILLISECONDS.toNanos(50));
        return c;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
