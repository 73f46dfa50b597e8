package com.checkoutroutes.reconciliation;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.springframework.stereotype.Component;

/**
 * Reads Antom's transaction report: UTF-8 CSV, a header row of parameter names, amounts in major units, and
 * {@code <END>} as the last line. Anything else rejects the whole file with the reason.
 */
@Component
public class TransactionReportParser {

    static final Set<String> REQUIRED = Set.of("transactionId", "transactionRequestId", "transactionType",
            "transactionAmountValue", "transactionAmountCurrency");
    private static final String END = "<END>";

    public List<ReportRow> parse(Path file) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedReportException("not UTF-8");
        } catch (IOException e) {
            throw new MalformedReportException("unreadable: " + e.getMessage());
        }
        List<String> lines = text.lines().toList();
        int last = lines.size() - 1;
        while (last >= 0 && lines.get(last).isBlank()) {
            last--;
        }
        if (last < 1) {
            throw new MalformedReportException("no header row or no <END> line");
        }
        if (!lines.get(last).strip().equals(END)) {
            throw new MalformedReportException("the last line is not <END>: the file is incomplete");
        }
        String body = String.join("\n", lines.subList(0, last));
        return rows(new StringReader(body));
    }

    private static List<ReportRow> rows(Reader body) {
        try (CSVParser csv = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true)
                .get().parse(body)) {
            Map<String, Integer> header = csv.getHeaderMap();
            List<String> missing = REQUIRED.stream().filter(c -> !header.containsKey(c)).sorted().toList();
            if (!missing.isEmpty()) {
                throw new MalformedReportException("header lacks " + missing);
            }
            List<ReportRow> rows = new ArrayList<>();
            for (CSVRecord record : csv) {
                if (!record.isConsistent()) {
                    throw new MalformedReportException("line " + (record.getRecordNumber() + 1) + " has "
                            + record.size() + " columns, the header " + header.size());
                }
                rows.add(row(record, header));
            }
            return rows;
        } catch (IOException | java.io.UncheckedIOException | IllegalStateException | IllegalArgumentException e) {
            // commons-csv reports a broken quote while iterating, as an UncheckedIOException
            throw new MalformedReportException("not a CSV report: " + e.getMessage());
        }
    }

    private static ReportRow row(CSVRecord r, Map<String, Integer> header) {
        int line = (int) r.getRecordNumber() + 1;
        String currency = r.get("transactionAmountCurrency");
        int exponent;
        try {
            exponent = Currency.getInstance(currency).getDefaultFractionDigits();
        } catch (IllegalArgumentException e) {
            throw new MalformedReportException("line " + line + ": unknown currency " + currency);
        }
        long minor;
        try {
            // major units in the file, minor units in the APIs and the ledger (USD 10.50 -> 1050)
            minor = new BigDecimal(r.get("transactionAmountValue")).movePointRight(Math.max(exponent, 0))
                    .longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw new MalformedReportException("line " + line + ": amount " + r.get("transactionAmountValue")
                    + " is not a " + currency + " amount");
        }
        return new ReportRow(line, r.get("transactionId"), optional(r, header, "originalTransactionId"),
                r.get("transactionRequestId"), r.get("transactionType"),
                optional(r, header, "transactionStatus"), minor, currency);
    }

    private static String optional(CSVRecord r, Map<String, Integer> header, String column) {
        if (!header.containsKey(column)) {
            return null;
        }
        String value = r.get(column);
        return value == null || value.isBlank() ? null : value;
    }
}
