package com.checkoutroutes.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.checkoutroutes.sandbox.SandboxHttpClient.ApiResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sandbox with a state dir is killed and a new one starts on the same dir: it knows every payment, keeps
 * idempotency, never reuses an id, lets buyers pay old payments and delivers the notifications still pending.
 *
 * <p>The kill: the state dir is copied while the sandbox runs (the files exactly as a SIGKILL at that instant
 * would leave them, no shutdown code involved), the old sandbox is stopped only to free its threads, and the new
 * one starts on the copy.
 */
class SandboxRestartTest extends SandboxTestSupport {

    @TempDir
    Path stateDir;

    @TempDir
    Path killedStateDir;

    private final List<SandboxServer> started = new ArrayList<>();

    @AfterEach
    void stopSandboxes() {
        started.forEach(SandboxServer::stop);
    }

    private SandboxServer startOn(Path dir) {
        SandboxServer server = new SandboxServer(SandboxSettings.defaults().withPort(0).withTimeScale(TEST_TIME_SCALE)
                .withReportDir(reportDir).withStateDir(dir)).start();
        started.add(server);
        return server;
    }

    private static SandboxHttpClient clientOf(SandboxServer server) {
        return new SandboxHttpClient(server.baseUrl(), server.settings().clientId());
    }

    /** The state dir as a SIGKILL would leave it now; the sandbox goes on running (stop it afterwards). */
    private static void snapshotAsIfKilled(Path from, Path to) {
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode captureRequest(String captureRequestId, String paymentId, String value) {
        ObjectNode request = Json.object();
        request.put("captureRequestId", captureRequestId);
        request.put("paymentId", paymentId);
        request.set("captureAmount", Json.amount("USD", value));
        request.put("isLastCapture", true);
        return request;
    }

    /** The sequence number at the end of every id the sandbox issues. */
    private static long sequenceOf(String id) {
        return Long.parseLong(id.substring(id.length() - 12));
    }

    @Test
    void aKilledSandboxsSuccessorCarriesOnWhereItStopped() throws IOException {
        merchant.alwaysFail(true);
        SandboxServer before = startOn(stateDir);
        SandboxHttpClient http = clientOf(before);
        Set<String> issued = new HashSet<>();

        String walletId = newRequestId(); // the buyer has not paid yet
        ApiResponse wallet = http.call("pay", payRequest(walletId, "GCASH", "PHP", "1000", "WEB"));
        String walletPaymentId = wallet.text("paymentId");
        String capturedId = newRequestId(); // card, manual capture, captured
        String capturedPaymentId = http.call("pay", cardPayRequest(capturedId, "5000", "MANUAL")).text("paymentId");
        ApiResponse capture = http.call("capture", captureRequest("CAP-" + capturedId, capturedPaymentId, "5000"));
        String authorisedId = newRequestId(); // card, manual capture, only authorised
        ApiResponse authorised = http.call("pay", cardPayRequest(authorisedId, "7000", "MANUAL"));
        String paidId = newRequestId(); // the buyer paid; the merchant has not acknowledged the notification
        String paidPaymentId = http.call("pay", payRequest(paidId, "GCASH", "PHP", "2000", "WAP")).text("paymentId");
        http.post("/sandbox/buyer/" + paidPaymentId + "/pay", null);
        issued.addAll(List.of(walletPaymentId, paidPaymentId, capturedPaymentId, capture.text("captureId"),
                authorised.text("paymentId")));
        assertThat(capture.resultStatus()).isEqualTo("S");
        // the notification has failed at least twice: its resend count must survive too
        await().atMost(Duration.ofSeconds(5)).until(() -> before.notifications(paidId).size() >= 2);

        snapshotAsIfKilled(stateDir, killedStateDir);
        before.stop();
        // ...and the kill tore the record being written at that moment
        Files.write(killedStateDir.resolve(SandboxJournal.FILE_NAME),
                "{\"type\":\"payment\",\"payment\":{\"paymentRequestId\":\"PR-torn".getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.APPEND);
        merchant.alwaysFail(false);

        SandboxServer after = startOn(killedStateDir);
        SandboxHttpClient restarted = clientOf(after);

        // inquiry knows the old payments, in the state they had
        ApiResponse walletNow = restarted.call("inquiryPayment", byRequestId(walletId));
        assertThat(walletNow.text("paymentStatus")).isEqualTo("PROCESSING");
        assertThat(walletNow.text("paymentId")).isEqualTo(walletPaymentId);
        assertThat(restarted.call("inquiryPayment", byPaymentId(paidPaymentId)).text("paymentStatus"))
                .isEqualTo("SUCCESS");
        ApiResponse capturedNow = restarted.call("inquiryPayment", byRequestId(capturedId));
        assertThat(capturedNow.text("paymentStatus")).isEqualTo("SUCCESS");
        assertThat(capturedNow.body().path("transactions").get(0).path("transactionId").asText())
                .isEqualTo(capture.text("captureId"));
        assertThat(restarted.call("inquiryPayment", byRequestId(authorisedId)).text("paymentStatus"))
                .isEqualTo("SUCCESS");

        // idempotency survives: the same requests get the stored answers, changed ones are inconsistent
        ApiResponse walletAgain = restarted.call("pay", payRequest(walletId, "GCASH", "PHP", "1000", "WEB"));
        assertThat(walletAgain.body()).isEqualTo(wallet.body());
        assertThat(restarted.call("pay", cardPayRequest(authorisedId, "7000", "MANUAL")).body())
                .isEqualTo(authorised.body());
        assertThat(restarted.call("pay", payRequest(walletId, "GCASH", "PHP", "1001", "WEB")).resultCode())
                .isEqualTo("REPEAT_REQ_INCONSISTENT");
        assertThat(restarted.call("capture", captureRequest("CAP-" + capturedId, capturedPaymentId, "5000"))
                .text("captureId")).isEqualTo(capture.text("captureId"));

        // new ids are new: never one issued before the kill
        String newPaymentId = restarted.call("pay", payRequest(newRequestId(), "GCASH", "PHP", "1000", "WEB"))
                .text("paymentId");
        ApiResponse lateCapture = restarted.call("capture",
                captureRequest("CAP-" + authorisedId, authorised.text("paymentId"), "7000"));
        assertThat(lateCapture.resultStatus()).isEqualTo("S");
        long highestBefore = issued.stream().mapToLong(SandboxRestartTest::sequenceOf).max().orElseThrow();
        assertThat(List.of(newPaymentId, lateCapture.text("captureId")))
                .doesNotContainAnyElementsOf(issued)
                .allSatisfy(id -> assertThat(sequenceOf(id)).isGreaterThan(highestBefore));

        // the buyer can still pay the old payment, and the merchant hears of it
        JsonNode buyer = restarted.post("/sandbox/buyer/" + walletPaymentId + "/pay", null);
        assertThat(buyer.path("paymentStatus").asText()).isEqualTo("SUCCESS");
        await().atMost(Duration.ofSeconds(5)).until(() -> merchant.received(walletId).stream()
                .anyMatch(r -> r.answeredStatus() == 200 && "PAYMENT_RESULT".equals(r.notifyType())));

        // the notification pending at the kill is delivered by the new sandbox, on with its resend count
        await().atMost(Duration.ofSeconds(10)).until(() -> after.notifications(paidId).stream()
                .anyMatch(NotificationAttempt::acknowledged));
        assertThat(after.notifications(paidId)).singleElement().satisfies(delivered -> {
            assertThat(delivered.notifyType()).isEqualTo("PAYMENT_RESULT");
            assertThat(delivered.attempt()).isGreaterThanOrEqualTo(3);
        });
        assertThat(merchant.received(paidId)).last()
                .extracting(MerchantNotifyEndpoint.Received::answeredStatus).isEqualTo(200);
    }

    @Test
    void idsAreNeverReusedEvenIfTheLastRecordsWereLost() throws IOException {
        SandboxServer before = startOn(stateDir);
        SandboxHttpClient http = clientOf(before);
        List<String> issued = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            issued.add(http.call("pay", payRequest(newRequestId(), "GCASH", "PHP", "1000", "WEB")).text("paymentId"));
        }
        snapshotAsIfKilled(stateDir, killedStateDir);
        before.stop();
        // lose every payment record, as if the kill had come before they were written
        Path journal = killedStateDir.resolve(SandboxJournal.FILE_NAME);
        Files.write(journal, Files.readAllLines(journal).stream().filter(l -> !l.contains("\"payment\"")).toList());

        SandboxServer after = startOn(killedStateDir);
        SandboxHttpClient restarted = clientOf(after);

        String fresh = restarted.call("pay", payRequest(newRequestId(), "GCASH", "PHP", "1000", "WEB"))
                .text("paymentId");
        assertThat(issued).doesNotContain(fresh);
        assertThat(sequenceOf(fresh)).isGreaterThan(issued.stream().mapToLong(SandboxRestartTest::sequenceOf).max()
                .orElseThrow());
    }

    @Test
    void theClockOffsetSurvivesAndResetForgetsEverythingButTheIds() {
        SandboxServer first = startOn(stateDir);
        first.advanceClock(Duration.ofHours(3));
        String paymentId = clientOf(first).call("pay", payRequest(newRequestId(), "GCASH", "PHP", "1000", "WEB"))
                .text("paymentId");
        first.stop();

        SandboxServer second = startOn(stateDir);
        assertThat(second.clock().offset()).isEqualTo(Duration.ofHours(3));
        assertThat(clientOf(second).call("inquiryPayment", byPaymentId(paymentId)).text("paymentStatus"))
                .isEqualTo("PROCESSING");
        second.reset();
        second.stop();

        SandboxServer third = startOn(stateDir);
        assertThat(third.clock().offset()).isZero();
        assertThat(clientOf(third).call("inquiryPayment", byPaymentId(paymentId)).resultCode())
                .isEqualTo("ORDER_NOT_EXIST");
        String next = clientOf(third).call("pay", payRequest(newRequestId(), "GCASH", "PHP", "1000", "WEB"))
                .text("paymentId");
        assertThat(sequenceOf(next)).isGreaterThan(sequenceOf(paymentId));
    }

    @Test
    void twoSandboxesCannotShareAStateDir() {
        startOn(stateDir);

        assertThatThrownBy(() -> startOn(stateDir)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("in use by another running sandbox");
    }
}
