package com.checkoutroutes.sandbox;

import com.checkoutroutes.sandbox.OutcomeScript.Outcome;
import com.checkoutroutes.signature.AntomSignature;
import com.checkoutroutes.signature.RsaKeys;
import com.checkoutroutes.signature.SignatureHeader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Antom sandbox over HTTP: the payment APIs (signed like Antom), the buyer pages and the control API.
 * Every control endpoint has a plain Java twin here for in-process tests. With a state dir
 * ({@link SandboxSettings#stateDir()}) payments, ids, pending notifications and the clock offset are journaled
 * as they change and taken up again by the next sandbox on the same dir; {@link #stop()} saves nothing, so a
 * kill loses nothing that a stop would keep.
 */
public final class SandboxServer implements AutoCloseable {

    private static final Pattern API_PATH = Pattern.compile("/ams(?:/sandbox)?/api/v1/payments/([A-Za-z]+)");
    private static final Pattern BUYER_PATH = Pattern.compile("/sandbox/buyer/(by-request/)?([^/]+)/([a-z]+)");
    private static final Pattern CONTROL_PAYMENT_PATH = Pattern.compile("/sandbox/control/payments/([^/]+)");

    private final SandboxSettings settings;
    private final PrivateKey antomPrivateKey;
    private final PublicKey merchantPublicKey;
    private final SandboxClock clock = new SandboxClock(Clock.systemUTC());
    private final SandboxJournal journal;
    private final SandboxPayments payments;
    private final FaultInjector faults;
    private final NotificationSender notifications;
    private final PaymentLifecycle lifecycle;
    private final BuyerSimulator buyer;
    private final PaymentApi api;
    private final BuyerPages pages;
    private final TransactionReportWriter reports;
    /** The API calls received, for tests and the control API (a copy-on-write list would copy it on every call). */
    private final RecentRecords<ApiCall> calls = new RecentRecords<>();
    /** Antom's answer time set while running (the load driver's phases); below 0: checkout.sandbox.latency-ms. */
    private volatile long latencyOverrideMs = -1;

    private HttpServer server;
    private ExecutorService workers;
    private ScheduledExecutorService expirySweeper;

    public SandboxServer(SandboxSettings settings) {
        this.settings = settings;
        this.antomPrivateKey = RsaKeys.privateKey(settings.antomPrivateKey(), "sandbox Antom private key");
        this.merchantPublicKey = RsaKeys.publicKey(settings.merchantPublicKey(), "sandbox merchant public key");
        this.journal = settings.stateDir() == null ? SandboxJournal.inMemory() : SandboxJournal.open(settings.stateDir());
        SandboxJournal.Snapshot saved = journal.snapshot();
        IdSequence ids = new IdSequence(journal, saved.idsReserved());
        this.payments = new SandboxPayments(ids, journal);
        this.faults = new FaultInjector(settings.faultsJson());
        this.notifications = new NotificationSender(settings.clientId(), antomPrivateKey, clock, settings.timeScale(),
                faults, ids, journal);
        this.lifecycle = new PaymentLifecycle(payments, clock, notifications);
        this.buyer = new BuyerSimulator(payments, lifecycle);
        PaymentMethodCatalog catalog = new PaymentMethodCatalog();
        this.api = new PaymentApi(payments, catalog, clock, lifecycle, buyer, this::baseUrl);
        this.pages = new BuyerPages(payments, catalog, this::baseUrl);
        this.reports = new TransactionReportWriter(settings.reportDir());
        restore(saved, catalog);
    }

    /** Takes up what the journal kept: payments, the clock offset, unacknowledged notifications, magic buyers. */
    private void restore(SandboxJournal.Snapshot saved, PaymentMethodCatalog catalog) {
        clock.restoreOffset(saved.clockOffset());
        for (JsonNode record : saved.payments()) {
            Optional<SandboxPayment> payment = SandboxPayment.fromRecord(record, catalog);
            if (payment.isEmpty()) {
                System.err.println("sandbox: skipping saved payment " + Json.text(record, "paymentRequestId")
                        + " (unknown paymentMethodType " + Json.text(record, "paymentMethodType") + ")");
                continue;
            }
            payments.add(payment.get());
            buyer.resume(payment.get());
        }
        saved.pendingNotifications().forEach(notifications::resume);
        if (journal.isDurable()) {
            System.out.println("Antom sandbox state: " + saved.payments().size() + " payments and "
                    + saved.pendingNotifications().size() + " pending notifications from "
                    + settings.stateDir().toAbsolutePath());
        }
    }

    public synchronized SandboxServer start() {
        if (server != null) {
            return this;
        }
        // Without TCP_NODELAY every response waits ~50 ms for the client's delayed ACK.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        // The JDK server closes a connection that goes idle while 200 others are idle (its default), and the client
        // then finds it dead on its next request (NoHttpResponseException, a retry): the caller's pool holds
        // max-in-flight + 16 keep-alive connections, which with 256 in flight is more than 200.
        System.setProperty("sun.net.httpserver.maxIdleConnections", "4096");
        try {
            server = HttpServer.create(new InetSocketAddress(settings.port()), 128);
        } catch (IOException e) {
            journal.close(); // frees the state dir for the sandbox that holds the port, or a retry
            throw new UncheckedIOException("cannot listen on port " + settings.port(), e);
        }
        // checkout.sandbox.latency-ms sleeps on the request's thread: a thread per request in flight (a cached pool),
        // so that like Antom the sandbox answers any number of calls at once and never caps the caller's rate at
        // threads / latency. Platform threads, not virtual ones: in the same JVM as the app, virtual threads would
        // share the app's carrier threads, and Antom's answer times would depend on the app's own CPU work.
        workers = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "sandbox-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(workers);
        server.createContext("/", this::dispatch);
        server.start();
        expirySweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "sandbox-expiry");
            thread.setDaemon(true);
            return thread;
        });
        expirySweeper.scheduleWithFixedDelay(this::closeExpiredQuietly, 200, 200, TimeUnit.MILLISECONDS);
        return this;
    }

    public synchronized void stop() {
        if (server == null) {
            return;
        }
        server.stop(0);
        workers.shutdownNow();
        expirySweeper.shutdownNow();
        notifications.close();
        buyer.close();
        journal.close(); // every change is already in the file: nothing to save here
        server = null;
    }

    @Override
    public void close() {
        stop();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Where buyers are sent: the configured public URL, else this server on localhost. */
    public String baseUrl() {
        String configured = settings.publicBaseUrl();
        if (configured != null && !configured.isBlank()) {
            return configured.endsWith("/") ? configured.substring(0, configured.length() - 1) : configured;
        }
        return "http://localhost:" + (server == null ? settings.port() : port());
    }

    public SandboxSettings settings() {
        return settings;
    }

    // ---- Java control API (mirrors /sandbox/control/*) ---------------------------------------------------

    public List<ApiCall> requests(String apiName, String paymentRequestId) {
        return calls.matching(c -> (apiName == null || apiName.equals(c.api()))
                && (paymentRequestId == null || paymentRequestId.equals(c.paymentRequestId())));
    }

    public Optional<ObjectNode> payment(String paymentRequestId) {
        synchronized (payments) {
            return payments.byRequestId(paymentRequestId).map(SandboxPayment::toControlView);
        }
    }

    public List<NotificationAttempt> notifications(String paymentRequestId) {
        return notifications.attempts(paymentRequestId);
    }

    public void advanceClock(Duration by) {
        synchronized (clock) {
            clock.advance(by);
            journal.clockOffset(clock.offset());
        }
        lifecycle.closeExpired();
    }

    public SandboxClock clock() {
        return clock;
    }

    public void addFault(FaultRule rule) {
        faults.add(rule);
    }

    public void clearFaults() {
        faults.clear();
    }

    public void addScript(OutcomeScript script) {
        buyer.addScript(script);
    }

    public void clearScripts() {
        buyer.clearScripts();
    }

    /** Drives the buyer for a payment (by paymentId); returns the payment's status afterwards. */
    public Optional<PaymentStatus> buyerAction(String paymentId, Outcome outcome) {
        Optional<SandboxPayment> payment = payments.byPaymentId(paymentId);
        payment.ifPresent(p -> buyer.act(p, outcome, null));
        return payment.map(SandboxPayment::status);
    }

    public Path writeReport(LocalDate date) {
        synchronized (payments) {
            return reports.write(date, payments.all());
        }
    }

    /** Forgets payments, calls, notifications, faults, scripts and the clock offset (ids keep counting). */
    public void reset() {
        synchronized (payments) {
            payments.clear();
            notifications.reset();
            clock.reset();
            journal.reset();
        }
        calls.clear();
        faults.clear();
        buyer.reset();
    }

    private void closeExpiredQuietly() {
        try {
            lifecycle.closeExpired();
        } catch (RuntimeException e) {
            System.err.println("sandbox expiry sweep failed: " + e);
        }
    }

    // ---- HTTP ---------------------------------------------------------------------------------------------

    private void dispatch(HttpExchange exchange) throws IOException {
        try {
            String path = exchange.getRequestURI().getRawPath();
            String method = exchange.getRequestMethod();
            Matcher apiMatch = API_PATH.matcher(path);
            if (apiMatch.matches() && method.equals("POST")) {
                handleApi(exchange, apiMatch.group(1), path);
            } else if (path.startsWith("/sandbox/control/")) {
                if (controlAllowedFrom(exchange.getRemoteAddress().getAddress())) {
                    handleControl(exchange, method, path);
                } else {
                    HttpExchanges.sendJson(exchange, 403, error("the control API answers on loopback only"
                            + " (SANDBOX_CONTROL_FROM_ANYWHERE=true, or checkout.sandbox.control-from-anywhere, opens it)"));
                }
            } else if (path.startsWith("/sandbox/buyer/") && method.equals("POST")) {
                handleBuyer(exchange, path);
            } else if (BuyerPages.serves(path) && method.equals("GET")) {
                pages.handle(exchange, path);
            } else if (path.equals("/sandbox/health")) {
                HttpExchanges.sendJson(exchange, 200, "{\"status\":\"UP\"}");
            } else {
                HttpExchanges.sendJson(exchange, 404, error("no such endpoint: " + method + " " + path));
            }
        } catch (IllegalArgumentException e) {
            HttpExchanges.sendJson(exchange, 400, error(e.getMessage()));
        } catch (RuntimeException e) {
            // a bug in the simulator, not an injected fault: say where
            System.err.println("sandbox: " + exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath()
                    + " failed");
            e.printStackTrace();
            HttpExchanges.sendJson(exchange, 500, error(e.toString()));
        }
    }

    /** Marking payments paid, faults, reset and the clock: from this host only, unless the settings open it. */
    boolean controlAllowedFrom(java.net.InetAddress caller) {
        return settings.controlFromAnywhere() || caller.isLoopbackAddress();
    }

    private static String error(String message) {
        return Json.write(Json.object().put("error", message));
    }

    private void handleApi(HttpExchange exchange, String apiName, String path) throws IOException {
        String body = HttpExchanges.body(exchange);
        String clientId = exchange.getRequestHeaders().getFirst("client-id");
        String requestTime = exchange.getRequestHeaders().getFirst("request-time");
        boolean signatureValid = clientId != null && requestTime != null
                && SignatureHeader.signatureOf(exchange.getRequestHeaders().getFirst("signature"))
                .map(sig -> AntomSignature.verify(
                        AntomSignature.content("POST", path, clientId, requestTime, body), sig, merchantPublicKey))
                .orElse(false);
        JsonNode request = Json.parseOrNull(body);
        String paymentRequestId = paymentRequestIdOf(request);
        sleep(latencyMs());

        ObjectNode response = null;
        int httpStatus = 200;
        long delayAfterMs = 0;
        String faultName = null;
        if (!settings.clientId().equals(clientId)) {
            response = PaymentApi.answer(ApiResult.INVALID_CLIENT);
        } else if (!signatureValid) {
            response = PaymentApi.answer(ApiResult.INVALID_SIGNATURE);
        } else if (request == null) {
            response = PaymentApi.answer(ApiResult.paramIllegal("the body is not a JSON object"));
        } else {
            Optional<FaultRule> fault = PaymentApi.APIS.contains(apiName)
                    ? faults.takeApiFault(apiName, paymentRequestId) : Optional.empty();
            faultName = fault.map(f -> f.type().name()).orElse(null);
            FaultType type = fault.map(FaultRule::type).orElse(null);
            if (type == FaultType.HTTP_5XX) {
                httpStatus = fault.get().httpStatus() >= 500 ? fault.get().httpStatus() : 503;
            } else if (type == FaultType.UNKNOWN_EXCEPTION) {
                response = PaymentApi.answer(ApiResult.UNKNOWN_EXCEPTION);
            } else {
                if (type == FaultType.LATENCY) {
                    sleep(fault.get().delayMs());
                }
                response = api.handle(apiName, request);
                if (type == FaultType.TIMEOUT) {
                    delayAfterMs = fault.get().delayMs();
                }
            }
        }
        calls.add(new ApiCall(apiName, path, clientId, paymentRequestId, signatureValid,
                SandboxClock.format(clock.now()), httpStatus,
                response == null ? null : Json.text(response, "result.resultStatus"),
                response == null ? null : Json.text(response, "result.resultCode"), faultName));
        sleep(delayAfterMs);
        if (response == null) {
            HttpExchanges.sendJson(exchange, httpStatus, error("Service Unavailable (injected HTTP_5XX)"));
            return;
        }
        sendSigned(exchange, path, clientId == null ? settings.clientId() : clientId, Json.write(response));
    }

    /** Signs the exact bytes sent, over the request's path, like Antom's gateway. */
    private void sendSigned(HttpExchange exchange, String path, String clientId, String body) throws IOException {
        String responseTime = SandboxClock.format(clock.now());
        String signature = AntomSignature.sign(
                AntomSignature.content("POST", path, clientId, responseTime, body), antomPrivateKey);
        exchange.getResponseHeaders().set("client-id", clientId);
        exchange.getResponseHeaders().set("response-time", responseTime);
        exchange.getResponseHeaders().set("signature", SignatureHeader.format(1, signature));
        HttpExchanges.sendJson(exchange, 200, body);
    }

    /**
     * The paymentRequestId a call concerns, also when it names only the paymentId (inquiry, capture, refund...) or a
     * refund (inquiryRefund).
     */
    private String paymentRequestIdOf(JsonNode request) {
        if (request == null) {
            return null;
        }
        String id = Json.text(request, "paymentRequestId");
        if (id != null) {
            return id;
        }
        return payments.byPaymentId(Json.text(request, "paymentId"))
                .or(() -> payments.byRefund(Json.text(request, "refundId"), Json.text(request, "refundRequestId")))
                .map(SandboxPayment::paymentRequestId).orElse(null);
    }

    /**
     * Keeps only the newest {@code payments} payments, and as many API calls and notification attempts, in memory
     * (0: all, the default). Antom keeps every payment; a sandbox that did too held a long load run's driver JVM
     * beyond its heap. A forgotten payment is answered as Antom answers an unknown one ({@code ORDER_NOT_EXIST});
     * a state dir's journal still keeps it.
     */
    public void keepAtMost(int payments) {
        this.payments.keepAtMost(payments);
        calls.keepAtMost(payments);
        notifications.keepAtMost(payments);
    }

    /** How long every API call takes before it is answered, from now on (a network-like Antom). */
    public void latencyMs(long millis) {
        latencyOverrideMs = millis;
    }

    public long latencyMs() {
        long override = latencyOverrideMs;
        return override >= 0 ? override : settings.defaultLatencyMs();
    }

    private static void sleep(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handleBuyer(HttpExchange exchange, String path) throws IOException {
        Matcher m = BUYER_PATH.matcher(path);
        if (!m.matches()) {
            HttpExchanges.sendJson(exchange, 404, error("use /sandbox/buyer/<paymentId>/pay|fail|abandon"));
            return;
        }
        boolean byRequest = m.group(1) != null;
        Optional<SandboxPayment> found = byRequest ? payments.byRequestId(m.group(2)) : payments.byPaymentId(m.group(2));
        Outcome outcome = switch (m.group(3)) {
            case "pay" -> Outcome.PAY;
            case "fail" -> Outcome.FAIL;
            case "abandon" -> Outcome.ABANDON;
            case "pending" -> Outcome.PENDING_THEN_PAY;
            default -> null;
        };
        if (found.isEmpty() || outcome == null) {
            HttpExchanges.sendJson(exchange, 404, error(found.isEmpty() ? "unknown payment" : "unknown action"));
            return;
        }
        JsonNode body = Json.parseOrNull(HttpExchanges.body(exchange));
        SandboxPayment payment = found.get();
        boolean changed = buyer.act(payment, outcome, body == null ? null : Json.text(body, "resultCode"));
        ObjectNode answer = Json.object();
        synchronized (payments) {
            answer.put("paymentId", payment.paymentId);
            answer.put("paymentRequestId", payment.paymentRequestId);
            answer.put("action", m.group(3));
            answer.put("changed", changed);
            answer.put("paymentStatus", payment.status.name());
        }
        boolean refused = !changed && outcome != Outcome.ABANDON;
        if (refused) {
            answer.put("error", "the payment is no longer payable");
        }
        HttpExchanges.sendJson(exchange, refused ? 409 : 200, Json.write(answer));
    }

    private void handleControl(HttpExchange exchange, String method, String path) throws IOException {
        Map<String, String> query = HttpExchanges.query(exchange);
        String body = HttpExchanges.body(exchange);
        String route = method + " " + path;
        Matcher paymentMatch = CONTROL_PAYMENT_PATH.matcher(path);
        if (method.equals("GET") && paymentMatch.matches()) {
            Optional<ObjectNode> view = payment(paymentMatch.group(1));
            HttpExchanges.sendJson(exchange, view.isPresent() ? 200 : 404,
                    view.map(Json::write).orElse(error("unknown paymentRequestId")));
            return;
        }
        ObjectNode answer = Json.object();
        switch (route) {
            case "GET /sandbox/control/requests" -> {
                List<ApiCall> found = requests(query.get("api"), query.get("paymentRequestId"));
                answer.put("count", found.size());
                ArrayNode list = answer.putArray("requests");
                found.forEach(c -> list.add(c.toJson()));
            }
            case "GET /sandbox/control/payments" -> {
                ArrayNode list = answer.putArray("payments");
                synchronized (payments) {
                    payments.all().forEach(p -> list.add(p.toControlView()));
                }
            }
            case "GET /sandbox/control/notifications" -> {
                List<NotificationAttempt> found = notifications(query.get("paymentRequestId"));
                answer.put("count", found.size());
                ArrayNode list = answer.putArray("attempts");
                found.forEach(a -> list.add(a.toJson()));
            }
            case "POST /sandbox/control/clock/advance" -> {
                advanceClock(Duration.ofMillis(Math.round(Double.parseDouble(
                        query.getOrDefault("seconds", "0")) * 1000)));
                answer.put("now", SandboxClock.format(clock.now()));
            }
            case "GET /sandbox/control/clock" -> answer.put("now", SandboxClock.format(clock.now()));
            case "POST /sandbox/control/reset" -> {
                reset();
                answer.put("reset", true);
            }
            case "POST /sandbox/control/script" -> {
                JsonNode json = requireJson(body);
                for (JsonNode node : json.isArray() ? json : Json.array().add(json)) {
                    addScript(OutcomeScript.fromJson(node));
                }
                answer.put("scripts", buyer.scripts().size());
            }
            case "DELETE /sandbox/control/script" -> {
                clearScripts();
                answer.put("scripts", 0);
            }
            case "GET /sandbox/control/script" -> answer.set("scripts", Json.valueToTree(buyer.scripts()));
            case "POST /sandbox/control/faults" -> {
                JsonNode json = requireJson(body);
                for (JsonNode node : json.isArray() ? json : Json.array().add(json)) {
                    addFault(FaultRule.fromJson(node));
                }
                answer.set("faults", Json.valueToTree(faults.active()));
            }
            case "DELETE /sandbox/control/faults" -> {
                clearFaults();
                answer.set("faults", Json.valueToTree(faults.active()));
            }
            case "GET /sandbox/control/faults" -> answer.set("faults", Json.valueToTree(faults.active()));
            case "POST /sandbox/control/reports" -> {
                String date = query.get("date");
                LocalDate day = date == null ? LocalDate.ofInstant(clock.now(), SandboxClock.ANTOM_ZONE)
                        : LocalDate.parse(date);
                answer.put("path", writeReport(day).toAbsolutePath().toString());
            }
            default -> {
                HttpExchanges.sendJson(exchange, 404, error("no such control endpoint: " + route));
                return;
            }
        }
        HttpExchanges.sendJson(exchange, 200, Json.write(answer));
    }

    private static JsonNode requireJson(String body) {
        try {
            return Json.parse(body);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("body must be JSON");
        }
    }
}
