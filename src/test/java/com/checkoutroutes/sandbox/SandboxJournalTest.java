package com.checkoutroutes.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replaying the journal: the latest state wins, finished notifications drop out, a torn last line is skipped. */
class SandboxJournalTest {

    @TempDir
    Path dir;

    private Path journalFile() {
        return dir.resolve(SandboxJournal.FILE_NAME);
    }

    private static String line(String json) {
        return json + "\n";
    }

    @Test
    void replayKeepsTheLatestStateAndSkipsATornLastLine() throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes(line("{\"type\":\"ids\",\"reserved\":101000}").getBytes(StandardCharsets.UTF_8));
        file.writeBytes(line("{\"type\":\"clock\",\"offsetMillis\":60000}").getBytes(StandardCharsets.UTF_8));
        file.writeBytes(line("{\"type\":\"payment\",\"payment\":{\"paymentRequestId\":\"A\",\"status\":\"PROCESSING\"}}")
                .getBytes(StandardCharsets.UTF_8));
        file.writeBytes(line("{\"type\":\"payment\",\"payment\":{\"paymentRequestId\":\"B\",\"status\":\"PROCESSING\"}}")
                .getBytes(StandardCharsets.UTF_8));
        file.writeBytes(line("{\"type\":\"notification\",\"id\":\"N1\",\"paymentRequestId\":\"A\",\"body\":\"{}\","
                + "\"sent\":0,\"dueAt\":0}").getBytes(StandardCharsets.UTF_8));
        file.writeBytes(line("{\"type\":\"notification\",\"id\":\"N2\",\"paymentRequestId\":\"B\",\"body\":\"{}\","
                + "\"sent\":0,\"dueAt\":0}").getBytes(StandardCharsets.UTF_8));
        file.writeBytes(line("{\"type\":\"payment\",\"payment\":{\"paymentRequestId\":\"A\",\"status\":\"SUCCESS\"}}")
                .getBytes(StandardCharsets.UTF_8));
        file.writeBytes(line("{\"type\":\"notificationSent\",\"id\":\"N1\",\"sent\":2,\"dueAt\":1234,\"done\":false}")
                .getBytes(StandardCharsets.UTF_8));
        file.writeBytes(line("{\"type\":\"notificationSent\",\"id\":\"N2\",\"sent\":1,\"dueAt\":0,\"done\":true}")
                .getBytes(StandardCharsets.UTF_8));
        file.writeBytes(line("{\"type\":\"ids\",\"reserved\":102000}").getBytes(StandardCharsets.UTF_8));
        // killed mid-write, in the middle of a two-byte character
        byte[] torn = "{\"type\":\"payment\",\"payment\":{\"paymentRequestId\":\"C\",\"orderDescription\":\"Café"
                .getBytes(StandardCharsets.UTF_8);
        file.writeBytes(Arrays.copyOf(torn, torn.length - 1));
        Files.write(journalFile(), file.toByteArray());

        SandboxJournal journal = SandboxJournal.open(dir);
        try {
            SandboxJournal.Snapshot snapshot = journal.snapshot();
            assertThat(snapshot.idsReserved()).isEqualTo(102_000);
            assertThat(snapshot.clockOffset()).isEqualTo(Duration.ofMinutes(1));
            assertThat(snapshot.payments()).extracting(p -> p.path("paymentRequestId").asText()
                    + "=" + p.path("status").asText()).containsExactly("A=SUCCESS", "B=PROCESSING");
            assertThat(snapshot.pendingNotifications()).singleElement().satisfies(n -> {
                assertThat(n.path("id").asText()).isEqualTo("N1");
                assertThat(n.path("sent").asInt()).isEqualTo(2);
                assertThat(n.path("dueAt").asLong()).isEqualTo(1234);
            });
            // the journal was rewritten without the torn line, so what is appended now stays readable
            assertThat(Files.readString(journalFile())).doesNotContain("\"C\"").endsWith("\n");
            journal.notificationSent("N1", 3, 0, true);
        } finally {
            journal.close();
        }

        SandboxJournal reopened = SandboxJournal.open(dir);
        try {
            assertThat(reopened.snapshot().payments()).hasSize(2);
            assertThat(reopened.snapshot().pendingNotifications()).isEmpty();
            assertThat(reopened.snapshot().idsReserved()).isEqualTo(102_000);
        } finally {
            reopened.close();
        }
    }

    @Test
    void aPaymentSurvivesTheRoundTripThroughItsRecord() {
        PaymentMethodCatalog catalog = new PaymentMethodCatalog();
        java.time.Instant created = java.time.Instant.parse("2026-11-22T02:01:01.123456Z");
        SandboxPayment payment = new SandboxPayment("PR-1", "20261122194010800100188600000100001",
                catalog.find("CARD").orElseThrow(), "USD", "5000", "CASHIER_PAYMENT", "WEB", "http://m/notify", "O-1",
                "Café order", true, false, created, created.plus(Duration.ofMinutes(14)));
        payment.status = PaymentStatus.SUCCESS;
        payment.paymentResult = ApiResult.SUCCESS;
        payment.paymentTime = created.plusSeconds(1);
        payment.capture = new SandboxPayment.Capture("CAP-1", "C1", "USD", "5000", created.plusSeconds(2), false);
        payment.refunds.add(new SandboxPayment.Refund("REF-1", "R1", "USD", "100", created.plusSeconds(3)));
        payment.storedAnswer = "{\"result\":{\"resultStatus\":\"S\"}}";

        JsonNode record = Json.parse(Json.write(payment.toRecord()));
        SandboxPayment back = SandboxPayment.fromRecord(record, catalog).orElseThrow();

        assertThat(Json.write(back.toRecord())).isEqualTo(Json.write(payment.toRecord()));
        assertThat(back.toControlView()).isEqualTo(payment.toControlView());
    }
}
