package com.checkoutroutes.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.List;

/**
 * Writes Antom's daily transaction details file, {@code transactionItems_<yyyyMMdd>_000.csv}: UTF-8, a header
 * row of parameter names, one row per PAYMENT / CAPTURE / CANCEL / REFUND of that day, amounts in MAJOR units
 * (reports use major units, APIs minor), last line {@code <END>}. The day is the sandbox clock's date in UTC+8.
 */
public final class TransactionReportWriter {

    static final List<String> COLUMNS = List.of("transactionId", "originalTransactionId", "transactionRequestId",
            "referenceTransactionId", "transactionType", "transactionStatus", "transactionAmountValue",
            "transactionAmountCurrency", "transactionTime", "paymentMethodType", "productCode", "orderDescription");

    private static final DateTimeFormatter FILE_DATE = DateTimeFormatter.ofPattern("yyyyMMdd");

    private record Row(Instant time, List<String> cells) {
    }

    private final Path reportDir;

    public TransactionReportWriter(Path reportDir) {
        this.reportDir = reportDir;
    }

    public Path write(LocalDate date, List<SandboxPayment> payments) {
        List<Row> rows = new ArrayList<>();
        for (SandboxPayment p : payments) {
            if (p.paymentTime != null) {
                rows.add(row(p, p.paymentId, p.paymentRequestId, "PAYMENT", p.currency, p.value, p.paymentTime));
            }
            if (p.capture != null) {
                rows.add(row(p, p.capture.captureId(), p.capture.captureRequestId(), "CAPTURE", p.capture.currency(),
                        p.capture.value(), p.capture.time()));
            }
            if (p.cancelTime != null) {
                rows.add(row(p, p.paymentId, p.paymentRequestId, "CANCEL", p.currency, p.value, p.cancelTime));
            }
            for (SandboxPayment.Refund r : p.refunds) {
                rows.add(row(p, r.refundId(), r.refundRequestId(), "REFUND", r.currency(), r.value(), r.time()));
            }
        }
        StringBuilder csv = new StringBuilder(String.join(",", COLUMNS)).append('\n');
        rows.stream()
                .filter(r -> OffsetDateTime.ofInstant(r.time(), SandboxClock.ANTOM_ZONE).toLocalDate().equals(date))
                .sorted(Comparator.comparing(Row::time))
                .forEach(r -> csv.append(String.join(",", r.cells().stream().map(TransactionReportWriter::cell)
                        .toList())).append('\n'));
        csv.append("<END>\n");
        Path file = reportDir.resolve("transactionItems_" + date.format(FILE_DATE) + "_000.csv");
        try {
            Files.createDirectories(reportDir);
            Files.writeString(file, csv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }

    private static Row row(SandboxPayment p, String transactionId, String requestId, String type, String currency,
                           String minorValue, Instant time) {
        List<String> cells = List.of(transactionId, p.paymentId, requestId,
                p.referenceOrderId == null ? "" : p.referenceOrderId, type, "SUCCESS",
                toMajor(currency, minorValue), currency, SandboxClock.format(time), p.method.type(),
                p.productCode == null ? "" : p.productCode, p.orderDescription == null ? "" : p.orderDescription);
        return new Row(time, cells);
    }

    /** Minor to major units by the currency's exponent (JPY/KRW 0, most 2), e.g. USD "1050" → "10.50". */
    static String toMajor(String currency, String minorValue) {
        int digits;
        try {
            digits = Math.max(Currency.getInstance(currency).getDefaultFractionDigits(), 0);
        } catch (IllegalArgumentException e) {
            digits = 2;
        }
        return new BigDecimal(minorValue).movePointLeft(digits).setScale(digits).toPlainString();
    }

    private static String cell(String value) {
        if (value.contains(",") || value.contains("\"") || value.contains("\n")) {
            return '"' + value.replace("\"", "\"\"") + '"';
        }
        return value;
    }
}
