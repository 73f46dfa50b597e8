package com.checkoutroutes.sandbox;

import com.checkoutroutes.signature.AntomSignature;
import com.checkoutroutes.signature.SignatureHeader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Delivers notifyPayment / notifyCapture like Antom: signed with Antom's key over the notify URL's path,
 * acknowledged only by HTTP 200 with result.resultStatus "S", otherwise resent on Antom's schedule
 * (0 s, 2 min, 10 min, 10 min, 1 h, 2 h, 6 h, 15 h; 8 sends at most), each delay multiplied by timeScale.
 * With a state dir each notification and each send is journaled, so a restarted sandbox takes up the ones the
 * merchant has not acknowledged where their schedule left off ({@link #resume}).
 */
public final class NotificationSender implements AutoCloseable {

    /** Delay before the 1st..8th send, in seconds. */
    static final long[] RESEND_DELAYS_SECONDS = {0, 120, 600, 600, 3600, 7200, 21600, 54000};

    private final String clientId;
    private final PrivateKey antomKey;
    private final SandboxClock clock;
    private final double timeScale;
    private final FaultInjector faults;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ScheduledExecutorService scheduler;
    private final RecentRecords<NotificationAttempt> attempts = new RecentRecords<>();
    private final IdSequence ids;
    private final SandboxJournal journal;
    /** Bumped by reset so that deliveries scheduled before it quietly stop. */
    private volatile long generation;

    public NotificationSender(String clientId, PrivateKey antomKey, SandboxClock clock, double timeScale,
                              FaultInjector faults, IdSequence ids, SandboxJournal journal) {
        this.clientId = clientId;
        this.ids = ids;
        this.journal = journal;
        this.antomKey = antomKey;
        this.clock = clock;
        this.timeScale = timeScale;
        this.faults = faults;
        this.scheduler = Executors.newScheduledThreadPool(8, runnable -> {
            Thread thread = new Thread(runnable, "sandbox-notify");
            thread.setDaemon(true);
            return thread;
        });
    }

    private final class Delivery {
        final String id;
        final String url;
        final String paymentRequestId;
        final String notifyType;
        final String kind;
        final String body;
        final boolean corruptFirstSignature;
        /** Journaled: the merchant's notifications, not the extra copies fault injection adds. */
        final boolean durable;
        final long ofGeneration = generation;
        final List<Runnable> afterFirstAttempt = new ArrayList<>();
        int sent;

        Delivery(String id, String url, String paymentRequestId, String notifyType, String kind, String body,
                 boolean corruptFirstSignature, boolean durable) {
            this.id = id;
            this.durable = durable;
            this.url = url;
            this.paymentRequestId = paymentRequestId;
            this.notifyType = notifyType;
            this.kind = kind;
            this.body = body;
            this.corruptFirstSignature = corruptFirstSignature;
        }
    }

    /** Queues a notification (body already complete) to the merchant's URL, applying notification faults. */
    public void send(String url, String paymentRequestId, ObjectNode body) {
        if (url == null || url.isBlank()) {
            return;
        }
        String notifyType = body.path("notifyType").asText();
        String id = "N" + ids.next();
        if (faults.takeNotificationFault(FaultType.NOTIFY_DROP, paymentRequestId)) {
            attempts.add(new NotificationAttempt(id, notifyType, "DROPPED", paymentRequestId, url, 0,
                    SandboxClock.format(clock.now()), 0, false, false, "dropped by fault injection"));
            return;
        }
        boolean corrupt = faults.takeNotificationFault(FaultType.NOTIFY_BAD_SIGNATURE, paymentRequestId);
        Delivery delivery = new Delivery(id, url, paymentRequestId, notifyType, "NORMAL", Json.write(body), corrupt,
                true);
        if (faults.takeNotificationFault(FaultType.NOTIFY_DUPLICATE, paymentRequestId)) {
            delivery.afterFirstAttempt.add(() -> schedule(new Delivery(id + "-dup", url, paymentRequestId,
                    notifyType, "DUPLICATE", delivery.body, false, false), 0));
        }
        if ("PAYMENT_RESULT".equals(notifyType)
                && faults.takeNotificationFault(FaultType.NOTIFY_OUT_OF_ORDER, paymentRequestId)) {
            String stale = Json.write(staleCopy(body));
            delivery.afterFirstAttempt.add(() -> schedule(new Delivery(id + "-stale", url, paymentRequestId,
                    "PAYMENT_PENDING", "STALE", stale, false, false), 0));
        }
        journal.notification(id, url, paymentRequestId, notifyType, delivery.body, System.currentTimeMillis());
        schedule(delivery, 0);
    }

    /** Takes up a notification journaled before a restart: the next send is due when the journal says. */
    void resume(JsonNode record) {
        Delivery delivery = new Delivery(Json.text(record, "id"), Json.text(record, "url"),
                Json.text(record, "paymentRequestId"), Json.text(record, "notifyType"), "NORMAL",
                record.path("body").asText(), false, true);
        delivery.sent = record.path("sent").asInt();
        long delayMillis = Math.max(0, record.path("dueAt").asLong() - System.currentTimeMillis());
        scheduler.schedule(() -> attempt(delivery), delayMillis, TimeUnit.MILLISECONDS);
    }

    /** What a late, out-of-order message looks like: the earlier PAYMENT_PENDING state of the same payment. */
    private static ObjectNode staleCopy(ObjectNode body) {
        ObjectNode stale = body.deepCopy();
        stale.put("notifyType", "PAYMENT_PENDING");
        stale.set("result", ApiResult.s("SUCCESS", "payment pending").toJson());
        stale.remove("paymentTime");
        return stale;
    }

    private void schedule(Delivery delivery, long delaySeconds) {
        scheduler.schedule(() -> attempt(delivery), scaledMicros(delaySeconds), TimeUnit.MICROSECONDS);
    }

    private long scaledMicros(long delaySeconds) {
        return Math.round(delaySeconds * 1_000_000L * timeScale);
    }

    private void attempt(Delivery delivery) {
        if (delivery.ofGeneration != generation) {
            return;
        }
        delivery.sent++;
        boolean corrupt = delivery.corruptFirstSignature && delivery.sent == 1;
        String requestTime = SandboxClock.format(clock.now());
        String path = URI.create(delivery.url).getRawPath();
        String content = AntomSignature.content("POST", path, clientId, requestTime, delivery.body);
        // A corrupted signature is still well-formed base64, just over different content.
        String signature = AntomSignature.sign(corrupt ? content + "#corrupted" : content, antomKey);
        int status = 0;
        boolean acknowledged = false;
        String error = null;
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(delivery.url))
                    .timeout(Duration.ofSeconds(5))
                    .header("Content-Type", "application/json; charset=UTF-8")
                    .header("client-id", clientId)
                    .header("request-time", requestTime)
                    .header("signature", SignatureHeader.format(1, signature))
                    .POST(HttpRequest.BodyPublishers.ofString(delivery.body, StandardCharsets.UTF_8))
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            status = response.statusCode();
            acknowledged = status == 200 && isSuccessAck(response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        } catch (Exception e) {
            error = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        if (delivery.ofGeneration != generation) {
            return;
        }
        boolean resend = !acknowledged && delivery.sent < RESEND_DELAYS_SECONDS.length;
        long resendMicros = resend ? scaledMicros(RESEND_DELAYS_SECONDS[delivery.sent]) : 0;
        if (delivery.durable) {
            // Wall-clock due time, so that a restart keeps the schedule instead of starting the delay again.
            try {
                journal.notificationSent(delivery.id, delivery.sent,
                        System.currentTimeMillis() + resendMicros / 1000, !resend);
            } catch (RuntimeException e) {
                System.err.println("sandbox: journaling notification " + delivery.id + " failed: " + e);
            }
        }
        attempts.add(new NotificationAttempt(delivery.id, delivery.notifyType, delivery.kind,
                delivery.paymentRequestId, delivery.url, delivery.sent, requestTime, status, acknowledged, corrupt,
                error));
        if (delivery.sent == 1) {
            delivery.afterFirstAttempt.forEach(Runnable::run);
        }
        if (resend) {
            scheduler.schedule(() -> attempt(delivery), resendMicros, TimeUnit.MICROSECONDS);
        }
    }

    private static boolean isSuccessAck(String body) {
        JsonNode json = Json.parseOrNull(body);
        return json != null && "S".equals(Json.text(json, "result.resultStatus"));
    }

    public List<NotificationAttempt> attempts(String paymentRequestId) {
        return attempts.matching(a -> paymentRequestId == null || paymentRequestId.equals(a.paymentRequestId()));
    }

    /** Keeps only the newest attempts in memory (0: all). */
    public void keepAtMost(int newest) {
        attempts.keepAtMost(newest);
    }

    public void reset() {
        generation++;
        attempts.clear();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
