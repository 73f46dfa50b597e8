package com.checkoutroutes.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Antom's transaction report read from a file, without the reconciliation job: a well-formed file's rows with their
 * amounts back in minor units, and each way a file is rejected whole (SettlementReconciliationTest takes the
 * sandbox's reports through the job and the ledger).
 */
class TransactionReportParserTest {

    /** The columns the sandbox writes, as Antom's transaction details file has them. */
    private static final String HEADER = "transactionId,originalTransactionId,transactionRequestId,"
            + "referenceTransactionId,transactionType,transactionStatus,transactionAmountValue,"
            + "transactionAmountCurrency,transactionTime,paymentMethodType,productCode,orderDescription";

    @TempDir
    Path dir;

    private final TransactionReportParser parser = new TransactionReportParser();

    @Test
    void aWellFormedReport() throws IOException {
        List<ReportRow> rows = parse(file(HEADER,
                "2026112219401080010018800000001,,pr-1,ORD-1,PAYMENT,SUCCESS,12.50,USD,2026-11-22T10:00:00+08:00,"
                        + "ALIPAY_CN,CASHIER_PAYMENT,Two cups of coffee",
                "2026112219401080010018800000002,2026112219401080010018800000001,cap-1,ORD-1,CAPTURE,SUCCESS,12.5,USD,"
                        + "2026-11-22T10:05:00+08:00,CARD,CASHIER_PAYMENT,\"Coffee, and cake\"",
                "2026112219401080010018800000003,,pr-2,ORD-2,PAYMENT,SUCCESS,1250,JPY,2026-11-22T11:00:00+08:00,"
                        + "PAYPAY,CASHIER_PAYMENT,Tea",
                "2026112219401080010018800000004,,pr-3,ORD-3,REFUND,,3.141,KWD,2026-11-22T12:00:00+08:00,"
                        + "KNET,CASHIER_PAYMENT,Dates",
                "<END>"));

        assertThat(rows).containsExactly(
                new ReportRow(2, "2026112219401080010018800000001", null, "pr-1", "PAYMENT", "SUCCESS", 1250, "USD"),
                new ReportRow(3, "2026112219401080010018800000002", "2026112219401080010018800000001", "cap-1",
                        "CAPTURE", "SUCCESS", 1250, "USD"),
                new ReportRow(4, "2026112219401080010018800000003", null, "pr-2", "PAYMENT", "SUCCESS", 1250, "JPY"),
                new ReportRow(5, "2026112219401080010018800000004", null, "pr-3", "REFUND", null, 3141, "KWD"));
    }

    @Test
    void theRequiredColumnsAloneInAnyOrderAreEnough() throws IOException {
        List<ReportRow> rows = parse(file(
                "transactionAmountCurrency,transactionAmountValue,transactionType,transactionRequestId,transactionId",
                " EUR , 0.99 , PAYMENT , pr-1 , t-1 ", "<END>"));

        assertThat(rows).containsExactly(new ReportRow(2, "t-1", null, "pr-1", "PAYMENT", null, 99, "EUR"));
    }

    @Test
    void aDayWithoutTransactionsIsTheHeaderAndEnd() throws IOException {
        assertThat(parse(file(HEADER, "<END>"))).isEmpty();
    }

    @Test
    void blankLinesAfterTheEndAndCrLfLineBreaksAreFine() throws IOException {
        Path file = dir.resolve("crlf.csv");
        Files.writeString(file, "transactionId,transactionRequestId,transactionType,transactionAmountValue,"
                + "transactionAmountCurrency\r\nt-1,pr-1,PAYMENT,10.00,USD\r\n <END> \r\n\r\n\n", StandardCharsets.UTF_8);

        assertThat(parse(file)).extracting(ReportRow::amountMinor).containsExactly(1000L);
    }

    @Test
    void aByteOrderMarkBeforeTheHeaderIsNoPartOfIt() throws IOException {
        assertThat(parse(file("\uFEFFtransactionId,transactionRequestId,transactionType,transactionAmountValue,"
                + "transactionAmountCurrency", "t-1,pr-1,PAYMENT,1.00,USD", "<END>")))
                .extracting(ReportRow::transactionId).containsExactly("t-1");
    }

    @Test
    void aFileWithoutEndIsIncomplete() throws IOException {
        assertRejected(file(HEADER, "t-1,,pr-1,ORD-1,PAYMENT,SUCCESS,12.50,USD,,ALIPAY_CN,CASHIER_PAYMENT,Coffee"),
                "the last line is not <END>: the file is incomplete");
        assertThatThrownBy(() -> parse(file(HEADER, "<END>",
                "t-1,,pr-1,ORD-1,PAYMENT,SUCCESS,12.50,USD,,ALIPAY_CN,CASHIER_PAYMENT,x")))
                .as("never to be whole: rejected").isExactlyInstanceOf(MalformedReportException.class)
                .hasMessage("rows after the <END> line");
        assertThatThrownBy(() -> parse(file(HEADER))).as("left for the next run, not rejected")
                .isInstanceOf(IncompleteReportException.class);
    }

    @Test
    void aControlCharacterRejectsTheFile() throws IOException {
        Path withNul = file(HEADER, "t-1,,pr-1,ORD-1,PAYMENT,SUCCESS,12.50,USD,,ALIPAY_CN,CASHIER_PAYMENT,Co\u0000ffee",
                "<END>");
        assertThatThrownBy(() -> parse(withNul)).as("a download not done writing: read again")
                .isInstanceOf(IncompleteReportException.class).hasMessage("line 2 has a control character (0x0)");
        assertThat(parse(file(HEADER, "t-1,,pr-1,ORD-1,PAYMENT,SUCCESS,12.50,USD,,ALIPAY_CN,CASHIER_PAYMENT,\tCoffee",
                "<END>"))).as("a tab is text").hasSize(1);
    }

    /** A file that cannot be opened now (replaced, its permissions set after it was written) is read again later. */
    @Test
    void anUnreadableFileIsLeftForTheNextRun() {
        assertThatThrownBy(() -> parse(dir.resolve("gone.csv"))).isInstanceOf(IncompleteReportException.class)
                .hasMessageStartingWith("unreadable");
    }

    @Test
    void aFileWithoutHeaderOrEndAtAll() throws IOException {
        assertRejected(file(), "the file is empty: still being written?");
        assertRejected(file("<END>"), "no header row or no <END> line");
        assertRejected(file("", "  ", ""), "the file is empty: still being written?");
    }

    @Test
    void aHeaderWithoutTheRequiredColumns() throws IOException {
        assertRejected(file("transactionId,transactionType,amount,currency", "t-1,PAYMENT,12.50,USD", "<END>"),
                "header lacks [transactionAmountCurrency, transactionAmountValue, transactionRequestId]");
        assertRejected(file("t-1,pr-1,PAYMENT,12.50,USD", "<END>"), "header lacks ");
        // a first row with an empty cell cannot even be a header
        assertRejected(file("t-1,,pr-1,ORD-1,PAYMENT,SUCCESS,12.50,USD", "<END>"), "not a CSV report: ");
    }

    @Test
    void aRowWithMoreOrFewerColumnsThanTheHeader() throws IOException {
        assertRejected(file(HEADER, "t-1,,pr-1,ORD-1,PAYMENT,SUCCESS,12.50,USD", "<END>"),
                "line 2 has 8 columns, the header 12");
    }

    @Test
    void anAmountThatIsNoAmountInItsCurrency() throws IOException {
        assertRejected(amount("twelve", "USD"), "line 2: amount twelve is not a USD amount");
        assertRejected(amount("", "USD"), "line 2: amount  is not a USD amount");
        assertRejected(amount("12.505", "USD"), "line 2: amount 12.505 is not a USD amount");
        assertRejected(amount("12.5", "JPY"), "line 2: amount 12.5 is not a JPY amount");
        assertRejected(amount("99999999999999999999", "USD"), "line 2: amount 99999999999999999999 is not a USD amount");
    }

    /** The ledger keeps Antom's ids of at most 64 characters; a longer one is no Antom id. */
    @Test
    void anIdLongerThanAntomsIds() throws IOException {
        assertRejected(file("transactionId,transactionRequestId,transactionType,transactionAmountValue,"
                + "transactionAmountCurrency", "t-1," + "p".repeat(65) + ",PAYMENT,1.00,USD", "<END>"),
                "line 2: transactionRequestId is longer than 64 characters");
    }

    @Test
    void anUnknownCurrency() throws IOException {
        assertRejected(amount("12.50", "XYZ"), "line 2: unknown currency XYZ");
    }

    @Test
    void aFileThatIsNotUtf8() throws IOException {
        Path file = dir.resolve("latin1.csv");
        Files.write(file, (HEADER + "\nt-1,,pr-1,ORD-1,PAYMENT,SUCCESS,12.50,USD,,ALIPAY_CN,CASHIER_PAYMENT,Caf\u00e9\n"
                + "<END>\n").getBytes(StandardCharsets.ISO_8859_1));

        assertRejected(file, "not UTF-8");
    }

    @Test
    void aMissingFile() {
        assertThatThrownBy(() -> parse(dir.resolve("transactionItems_20261122_000.csv")))
                .isInstanceOf(MalformedReportException.class).hasMessageStartingWith("unreadable: ");
    }

    @Test
    void anEndLineBeforeTheLastRejectsTheFile() throws IOException {
        assertRejected(file(HEADER, "<END>", "t-1,,pr-1,ORD-1,PAYMENT,SUCCESS,12.50,USD,,ALIPAY_CN,CASHIER_PAYMENT,x",
                "<END>"), "rows after the <END> line");
    }

    @Test
    void aQuotedValueMaySpanLines() throws IOException {
        List<ReportRow> rows = parse(file("transactionId,transactionRequestId,transactionType,transactionAmountValue,"
                + "transactionAmountCurrency,orderDescription", "t-1,pr-1,PAYMENT,1.00,USD,\"two", "lines\"",
                "t-2,pr-2,PAYMENT,2.00,USD,one", "<END>"));

        assertThat(rows).extracting(ReportRow::transactionRequestId).containsExactly("pr-1", "pr-2");
    }

    /** The rows are handed on while the file is read; what their handler throws is its own, not a rejection. */
    @Test
    void theHandlersFailureIsNotARejection() throws IOException {
        Path file = amount("1.00", "USD");

        assertThatThrownBy(() -> parser.parse(file, row -> {
            throw new IllegalStateException("the database is down");
        })).isInstanceOf(IllegalStateException.class).hasMessage("the database is down");
    }

    /** commons-csv reports an unterminated quote while the rows are iterated, as an UncheckedIOException. */
    @Test
    void aBrokenQuoteIsNotACsvReport() throws IOException {
        assertThatThrownBy(() -> parse(file(HEADER,
                "t-1,,pr-1,ORD-1,PAYMENT,SUCCESS,12.50,USD,,ALIPAY_CN,CASHIER_PAYMENT,\"Coffee", "<END>")))
                .isInstanceOf(MalformedReportException.class);
    }

    /** A file without line breaks (or a corrupt one) is not read whole into one line. */
    @Test
    void aLineLongerThanAnyRowIsRejected() throws IOException {
        assertRejected(file(HEADER, "t-1," + "x".repeat(TransactionReportParser.MAX_ROW_CHARS) + ",pr-1", "<END>"),
                "line 2 is longer than 65536 characters");
    }

    /** A quote left open takes the lines after it into one value: stopped once that is more than any row. */
    @Test
    void aQuoteLeftOpenOverManyLinesIsRejectedBeforeTheRestOfTheFileIsHeld() throws IOException {
        List<String> lines = new ArrayList<>(List.of(HEADER,
                "t-1,,pr-1,ORD-1,PAYMENT,SUCCESS,12.50,USD,,ALIPAY_CN,CASHIER_PAYMENT,\"Coffee"));
        for (int i = 2; i < 3_000; i++) {
            lines.add("t-" + i + ",,pr-" + i + ",ORD-" + i + ",PAYMENT,SUCCESS,12.50,USD,,ALIPAY_CN,CASHIER_PAYMENT,Tea");
        }
        lines.add("<END>");

        assertRejected(file(lines.toArray(String[]::new)), "a row runs over more than 65536 characters by line");
    }

    private List<ReportRow> parse(Path file) {
        List<ReportRow> rows = new ArrayList<>();
        parser.parse(file, rows::add);
        return rows;
    }

    private Path amount(String value, String currency) throws IOException {
        return file("transactionId,transactionRequestId,transactionType,transactionAmountValue,transactionAmountCurrency",
                "t-1,pr-1,PAYMENT," + value + "," + currency, "<END>");
    }

    private void assertRejected(Path file, String reason) {
        assertThatThrownBy(() -> parse(file)).isInstanceOf(MalformedReportException.class)
                .hasMessageStartingWith(reason);
    }

    private Path file(String... lines) throws IOException {
        Path file = Files.createTempFile(dir, "transactionItems_", ".csv");
        Files.writeString(file, lines.length == 0 ? "" : String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return file;
    }

    /**
     * While the rows are read, the CSV's own error (a broken quote) rejects the file; any other read error (a mount's
     * hiccup) is the reading's, and the file is read again at the next run.
     */
    @Test
    void aReadErrorAmongTheRowsIsReadAgainNotRejected() {
        java.util.Iterator<org.apache.commons.csv.CSVRecord> hiccup = failing(new java.io.IOException("EIO"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TransactionReportParser.next(hiccup))
                .isInstanceOf(IncompleteReportException.class);
        java.util.Iterator<org.apache.commons.csv.CSVRecord> broken = failing(
                new org.apache.commons.csv.CSVException("invalid char between encapsulated token and delimiter"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TransactionReportParser.next(broken))
                .isInstanceOf(MalformedReportException.class).hasMessageStartingWith("not a CSV report: ");
    }

    /** A broken quote in the header is the file's: rejected, not read again every run for a day. */
    @Test
    void aBrokenQuoteInTheHeaderRejectsTheFile() throws IOException {
        Path broken = file("\"transactionId," + HEADER.substring("transactionId,".length()),
                "t-1,,pr-1,ORD-1,PAYMENT,SUCCESS,12.50,USD,2026-11-22T10:00:00+08:00,ALIPAY_CN,CASHIER_PAYMENT,x",
                "<END>");
        assertThatThrownBy(() -> parse(broken)).isExactlyInstanceOf(MalformedReportException.class)
                .hasMessageStartingWith("not a CSV report: ");
    }

    private static java.util.Iterator<org.apache.commons.csv.CSVRecord> failing(java.io.IOException cause) {
        return new java.util.Iterator<>() {
            @Override
            public boolean hasNext() {
                throw new java.io.UncheckedIOException(cause);
            }

            @Override
            public org.apache.commons.csv.CSVRecord next() {
                throw new java.util.NoSuchElementException();
            }
        };
    }
}
