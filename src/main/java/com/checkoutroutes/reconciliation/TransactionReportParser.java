package com.checkoutroutes.reconciliation;

import com.checkoutroutes.gateway.AntomClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Currency;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.springframework.stereotype.Component;

/**
 * Reads Antom's transaction report: UTF-8 CSV, a header row of parameter names, amounts in major units, and
 * {@code <END>} as the last line. Anything else rejects the whole file with the reason. The file is read as a stream,
 * twice (its frame, then its rows), so a day of any size costs one row at a time, not copies of the file.
 */
@Component
public class TransactionReportParser {

    static final Set<String> REQUIRED = Set.of("transactionId", "transactionRequestId", "transactionType",
            "transactionAmountValue", "transactionAmountCurrency");
    private static final String END = "<END>";
    /**
     * The longest line, and the most text one row may span (a quoted value can run over lines): a row of the report is
     * a few hundred characters; a file without line breaks, or with a stray quote, would otherwise be held whole.
     */
    static final int MAX_ROW_CHARS = 64 * 1024;
    private static final String BOM = "\uFEFF";

    /** Hands each row to {@code each}, in file order; throws {@link MalformedReportException}, possibly after some. */
    public void parse(Path file, Consumer<ReportRow> each) {
        int endLine = endLine(file);
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            rows(new FirstLines(in, endLine - 1), each);
            String end = readLine(in, endLine);
            if (end == null || !end.strip().equals(END)) {
                throw new IncompleteReportException("the file changed while it was read");
            }
        } catch (CharacterCodingException e) {
            throw new MalformedReportException("not UTF-8");
        } catch (IOException e) {
            // replaced or made readable by the transfer meanwhile: read again at the next run, rejected only once
            // it stays so for checkout.reconciliation.incomplete-for
            throw new IncompleteReportException("unreadable: " + e.getMessage());
        }
    }

    /** The frame, before any row: strict UTF-8 throughout, a header, and {@code <END>} as the last non-blank line. */
    private static int endLine(Path file) {
        int number = 0;
        int lastNonBlank = 0;
        boolean endBefore = false;
        String last = null;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = readLine(in, number + 1); line != null; line = readLine(in, number + 1)) {
                number++;
                if (!line.isBlank()) {
                    endBefore |= last != null && last.strip().equals(END);
                    lastNonBlank = number;
                    last = line;
                }
            }
        } catch (CharacterCodingException e) {
            throw new MalformedReportException("not UTF-8");
        } catch (IOException e) {
            throw new IncompleteReportException("unreadable: " + e.getMessage());
        }
        if (lastNonBlank == 0) {
            throw new IncompleteReportException("the file is empty: still being written?");
        }
        if (lastNonBlank < 2 && last.strip().equals(END)) {
            throw new MalformedReportException("no header row or no <END> line");
        }
        if (endBefore) {
            throw new MalformedReportException("rows after the <END> line");
        }
        if (!last.strip().equals(END)) {
            throw new IncompleteReportException("the last line is not <END>: the file is incomplete");
        }
        return lastNonBlank;
    }

    /**
     * One line without its line break, or null at the end of the file; a line longer than {@link #MAX_ROW_CHARS}
     * rejects the file before it is read into memory.
     */
    private static String readLine(BufferedReader in, int number) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != -1; c = in.read()) {
            if (c == '\n') {
                return line.toString();
            }
            if (c == '\r') {
                in.mark(1);
                if (in.read() != '\n') {
                    in.reset();
                }
                return line.toString();
            }
            if (c < ' ' && c != '\t') {
                // no report has one (and no column takes a NUL); a download that writes into a file made at its full
                // size shows zeros where it has not written yet: read again, rejected once it stays so
                throw new IncompleteReportException("line " + number + " has a control character (0x"
                        + Integer.toHexString(c) + ")");
            }
            if (line.length() == MAX_ROW_CHARS) {
                throw new MalformedReportException("line " + number + " is longer than " + MAX_ROW_CHARS
                        + " characters");
            }
            line.append((char) c);
        }
        return line.isEmpty() ? null : line.toString();
    }

    /**
     * The first {@code count} lines, each ended by a line feed: the CSV without its {@code <END>} line. Counts what
     * it hands on since the last row ({@link #rowDone}): a row spanning more than {@link #MAX_ROW_CHARS} rejects the
     * file.
     */
    private static final class FirstLines extends Reader {
        private final BufferedReader in;
        private final int count;
        private int left;
        private String line = "";
        private int at;
        private int sinceRow;

        FirstLines(BufferedReader in, int count) {
            this.in = in;
            this.count = count;
            this.left = count;
        }

        @Override
        public int read(char[] buffer, int offset, int length) throws IOException {
            while (at == line.length()) {
                String next = left == 0 ? null : readLine(in, count - left + 1);
                if (next == null) {
                    return -1;
                }
                // a byte order mark before the header is no part of its first column's name
                line = (left == count && next.startsWith(BOM) ? next.substring(1) : next) + "\n";
                left--;
                at = 0;
            }
            int n = Math.min(length, line.length() - at);
            // the CSV parser reads ahead a buffer at a time: a row's limit counts that too, and allows for it
            if (sinceRow > MAX_ROW_CHARS + BUFFER_ALLOWANCE) {
                throw new MalformedReportException("a row runs over more than " + MAX_ROW_CHARS
                        + " characters by line " + (count - left) + " (a quote left open?)");
            }
            line.getChars(at, at + n, buffer, offset);
            at += n;
            sinceRow += n;
            return n;
        }

        /** A row was parsed: its text no longer counts. */
        void rowDone() {
            sinceRow = 0;
        }

        @Override
        public void close() {
            // the file's reader is closed by parse
        }
    }

    /** What the CSV parser may have read ahead of the row it hands out (its buffer). */
    private static final int BUFFER_ALLOWANCE = 16 * 1024;

    private static void rows(FirstLines body, Consumer<ReportRow> each) throws IOException {
        CSVParser csv;
        try {
            csv = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true).get().parse(body);
        } catch (IllegalArgumentException | IllegalStateException | org.apache.commons.csv.CSVException e) {
            // the header read as the rows are (a broken quote there): the file's, not its reading's
            throw new MalformedReportException("not a CSV report: " + e.getMessage());
        }
        try (csv) {
            Map<String, Integer> header = csv.getHeaderMap();
            List<String> missing = REQUIRED.stream().filter(c -> !header.containsKey(c)).sorted().toList();
            if (!missing.isEmpty()) {
                throw new MalformedReportException("header lacks " + missing);
            }
            Iterator<CSVRecord> records = csv.iterator();
            for (CSVRecord record = next(records); record != null; record = next(records)) {
                if (!record.isConsistent()) {
                    throw new MalformedReportException("line " + (record.getRecordNumber() + 1) + " has "
                            + record.size() + " columns, the header " + header.size());
                }
                body.rowDone();
                each.accept(row(record, header));
            }
        }
    }

    /** The next record, or null at the end; only the CSV's own errors become a rejection, not the rows' handler's. */
    static CSVRecord next(Iterator<CSVRecord> records) {
        try {
            return records.hasNext() ? records.next() : null;
        } catch (UncheckedIOException e) {
            // commons-csv reports a broken quote while iterating as a CSVException, wrapped; any other IOException
            // (a mount's hiccup, the file replaced meanwhile) is the file's reading, read again at the next run
            if (e.getCause() instanceof org.apache.commons.csv.CSVException
                    || e.getCause() instanceof java.nio.charset.CharacterCodingException) {
                throw new MalformedReportException("not a CSV report: " + e.getMessage());
            }
            throw new IncompleteReportException("unreadable: " + e.getMessage());
        } catch (IllegalStateException e) {
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
        return new ReportRow(line, id(r, header, line, "transactionId"), id(r, header, line, "originalTransactionId"),
                id(r, header, line, "transactionRequestId"), id(r, header, line, "transactionType"),
                optional(r, header, "transactionStatus"), minor, currency);
    }

    /** An id or type as the ledger keeps it: Antom's ids have at most 64 characters (a mismatch stores them). */
    private static String id(CSVRecord r, Map<String, Integer> header, int line, String column) {
        String value = optional(r, header, column);
        if (value != null && value.length() > AntomClient.MAX_ID) {
            throw new MalformedReportException("line " + line + ": " + column + " is longer than "
                    + AntomClient.MAX_ID + " characters");
        }
        return REQUIRED.contains(column) && value == null ? "" : value;
    }

    private static String optional(CSVRecord r, Map<String, Integer> header, String column) {
        if (!header.containsKey(column)) {
            return null;
        }
        String value = r.get(column);
        return value == null || value.isBlank() ? null : value;
    }
}
