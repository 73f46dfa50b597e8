package com.checkoutroutes.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The control API (requests, payment view, clock, reset) and the transaction report file. */
class ControlAndReportTest extends SandboxTestSupport {

    @Test
    void requestsAreRecordedAndFilterable() {
        String id = newRequestId();
        client.call("pay", payRequest(id, "GCASH", "PHP", "1000", "WEB"));
        client.call("pay", payRequest(id, "GCASH", "PHP", "1000", "WEB"));
        client.call("inquiryPayment", byRequestId(id));
        client.call("pay", payRequest(newRequestId(), "GCASH", "PHP", "1000", "WEB"));

        JsonNode pays = client.get("/sandbox/control/requests?api=pay&paymentRequestId=" + id);
        JsonNode all = client.get("/sandbox/control/requests?paymentRequestId=" + id);

        assertThat(pays.path("count").asInt()).isEqualTo(2);
        assertThat(all.path("count").asInt()).isEqualTo(3);
        JsonNode first = pays.path("requests").get(0);
        assertThat(first.path("signatureValid").asBoolean()).isTrue();
        assertThat(first.path("api").asText()).isEqualTo("pay");
        assertThat(first.path("time").asText()).endsWith("+08:00");
    }

    @Test
    void aSandboxKeepingFewPaymentsForgetsTheOldestAsAntomAnswersAnUnknownOne() {
        sandbox.keepAtMost(2);
        try {
            String oldest = newRequestId();
            String middle = newRequestId();
            String newest = newRequestId();
            for (String id : List.of(oldest, middle, newest)) {
                client.call("pay", payRequest(id, "GCASH", "PHP", "1000", "WEB"));
            }

            assertThat(inquire(oldest).text("result.resultCode")).isEqualTo("ORDER_NOT_EXIST");
            assertThat(statusOf(newest)).isEqualTo("PROCESSING");
            // the 3 pays and 2 inquiries: only the newest 2 calls are kept
            JsonNode calls = client.get("/sandbox/control/requests");
            assertThat(calls.path("count").asInt()).isEqualTo(2);
            assertThat(calls.path("requests").get(1).path("paymentRequestId").asText()).isEqualTo(newest);
        } finally {
            sandbox.keepAtMost(0);
        }
    }

    @Test
    void paymentViewClockAndReset() {
        String id = newRequestId();
        client.call("pay", payRequest(id, "GCASH", "PHP", "1000", "WEB"));
        JsonNode view = client.get("/sandbox/control/payments/" + id);
        assertThat(view.path("paymentStatus").asText()).isEqualTo("PROCESSING");
        assertThat(view.path("paymentMethodType").asText()).isEqualTo("GCASH");

        String before = client.get("/sandbox/control/clock").path("now").asText();
        String after = client.post("/sandbox/control/clock/advance?seconds=3600", null).path("now").asText();
        assertThat(SandboxClock.parse(after)).isAfter(SandboxClock.parse(before).plusSeconds(3599));

        client.post("/sandbox/control/reset", null);

        client.control("GET", "/sandbox/control/payments/" + id, null, 404);
        assertThat(client.get("/sandbox/control/requests").path("count").asInt()).isZero();
        assertThat(SandboxClock.parse(client.get("/sandbox/control/clock").path("now").asText()))
                .isBefore(SandboxClock.parse(after).minusSeconds(3000));
    }

    @Test
    void reportListsTheDaysTransactionsInMajorUnits() throws Exception {
        // the transactions are made at noon UTC+8, so all fall on one report day, whatever the time of day now
        OffsetDateTime now = OffsetDateTime.ofInstant(sandbox.clock().now(), SandboxClock.ANTOM_ZONE);
        long toNoon = Duration.between(now, now.toLocalDate().plusDays(1).atTime(12, 0)
                .atOffset(SandboxClock.ANTOM_ZONE)).getSeconds();
        client.post("/sandbox/control/clock/advance?seconds=" + toNoon, null);
        String card = newRequestId();
        String won = newRequestId();
        String cancelled = newRequestId();
        String cardPaymentId = client.call("pay", cardPayRequest(card, "1050", "AUTOMATIC")).text("paymentId");
        ObjectNode refund = Json.object().put("refundRequestId", "RF-" + card).put("paymentId", cardPaymentId);
        refund.set("refundAmount", Json.amount("USD", "250"));
        client.call("refund", refund);
        String wonPaymentId = client.call("pay", payRequest(won, "KAKAOPAY", "KRW", "15000", "WEB")).text("paymentId");
        client.post("/sandbox/buyer/" + wonPaymentId + "/pay", null);
        client.call("pay", cardPayRequest(cancelled, "700", "MANUAL"));
        client.call("cancel", byRequestId(cancelled));
        client.call("pay", payRequest(newRequestId(), "GCASH", "PHP", "1000", "WEB")); // unpaid: no row
        LocalDate today = LocalDate.ofInstant(sandbox.clock().now(), SandboxClock.ANTOM_ZONE);

        String written = client.post("/sandbox/control/reports?date=" + today, null).path("path").asText();

        Path file = Path.of(written);
        assertThat(file.getFileName().toString())
                .isEqualTo("transactionItems_" + today.toString().replace("-", "") + "_000.csv");
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines.get(0)).startsWith("transactionId,originalTransactionId,transactionRequestId,"
                + "referenceTransactionId,transactionType,transactionStatus,transactionAmountValue,"
                + "transactionAmountCurrency,transactionTime,paymentMethodType");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("<END>");
        List<String> rows = lines.subList(1, lines.size() - 1);
        assertThat(rows).hasSize(6);
        assertThat(rows).anySatisfy(r -> assertThat(r).contains(",PAYMENT,SUCCESS,10.50,USD,").contains(card));
        assertThat(rows).anySatisfy(r -> assertThat(r).contains(",CAPTURE,SUCCESS,10.50,USD,"));
        assertThat(rows).anySatisfy(r -> assertThat(r).contains(",REFUND,SUCCESS,2.50,USD,").contains("RF-" + card));
        assertThat(rows).anySatisfy(r -> assertThat(r).contains(",PAYMENT,SUCCESS,15000,KRW,"));
        assertThat(rows).anySatisfy(r -> assertThat(r).contains(",CANCEL,SUCCESS,7.00,USD,").contains(cancelled));
        String[] paymentRow = rows.stream().filter(r -> r.contains(",PAYMENT,") && r.contains(card)).findFirst()
                .orElseThrow().split(",");
        assertThat(paymentRow[0]).isEqualTo(cardPaymentId);
        assertThat(paymentRow[1]).isEqualTo(cardPaymentId);
        assertThat(paymentRow[2]).isEqualTo(card);
        assertThat(paymentRow[3]).isEqualTo("ORDER-" + card);

        Path otherDay = Path.of(client.post("/sandbox/control/reports?date=" + today.minusDays(3), null)
                .path("path").asText());
        assertThat(Files.readAllLines(otherDay)).hasSize(2).last().isEqualTo("<END>");
    }

    @Test
    void minorToMajorUsesTheCurrencyExponent() {
        assertThat(TransactionReportWriter.toMajor("USD", "1")).isEqualTo("0.01");
        assertThat(TransactionReportWriter.toMajor("JPY", "500")).isEqualTo("500");
        assertThat(TransactionReportWriter.toMajor("KRW", "15000")).isEqualTo("15000");
        assertThat(TransactionReportWriter.toMajor("HKD", "123456")).isEqualTo("1234.56");
    }
}
