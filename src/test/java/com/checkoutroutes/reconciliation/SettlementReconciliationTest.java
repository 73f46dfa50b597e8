package com.checkoutroutes.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.ledger.Refund;
import com.checkoutroutes.ledger.RefundAmount;
import com.checkoutroutes.ledger.RefundState;
import com.checkoutroutes.refunds.Refunds;
import com.checkoutroutes.sandbox.OutcomeScript.Outcome;
import com.checkoutroutes.shipment.ShipmentChecks;
import com.checkoutroutes.testsupport.FlowTestSupport;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Antom's transaction report against the ledger. Each test moves both clocks to a day of its own, so the
 * sandbox's report for that day holds only the test's payments.
 */
class SettlementReconciliationTest extends FlowTestSupport {

    @Autowired
    SettlementReconciliation reconciliation;
    @Autowired
    ShipmentChecks shipment;
    @Autowired
    Refunds refunds;
    @Autowired
    com.checkoutroutes.results.RefundResults refundResults;
    @Autowired
    JdbcTemplate jdbc;
    @Value("${checkout.topics.reconciliation}")
    String reconciliationTopic;
    @Value("${checkout.reconciliation.report-dir}")
    Path reportDir;
    /** Antom's reports are per day in UTC+8. */
    private static final ZoneOffset ANTOM_DAY = ZoneOffset.ofHours(8);
    private Duration shifted = Duration.ZERO;

    @AfterEach
    void sandboxBackToToday() {
        sandbox.advanceClock(shifted.negated());
    }

    @Test
    void plantedDifferencesYieldExactlyThoseMismatches() throws Exception {
        LocalDate day = moveToOwnDay(40);
        PaymentAttempt missing = paidWallet();
        PaymentAttempt wrongAmount = paidWallet();
        PaymentAttempt notPaidHere = pendingWallet();
        PaymentAttempt card = paidCard();
        PaymentAttempt cancelledThere = paidWallet();
        Path file = sandbox.writeReport(day);

        List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        lines.removeIf(l -> l.contains(missing.paymentRequestId()));
        lines.replaceAll(l -> l.contains(wrongAmount.paymentRequestId()) ? l.replace(",12.50,", ",12.40,") : l);
        String header = lines.get(0);
        lines.add(lines.size() - 1, row(header, "PAYMENT", notPaidHere.paymentRequestId(), notPaidHere.paymentId(), "12.50"));
        lines.add(lines.size() - 1, row(header, "PAYMENT", "not-ours-" + day, "20990101000000000000000000000000001", "3.00"));
        // a cancel without originalTransactionId: its own ids are its payment's
        lines.add(lines.size() - 1, row(header, "CANCEL", cancelledThere.paymentRequestId(), cancelledThere.paymentId(),
                "12.50"));
        Files.write(file, lines, StandardCharsets.UTF_8);

        reconciliation.run();

        JsonNode report = reportEvent(file);
        assertThat(report.path("status").asText()).isEqualTo("MISMATCHES");
        assertThat(kinds(report)).containsExactlyInAnyOrder(
                "OURS_NOT_IN_FILE " + missing.paymentRequestId(),
                "AMOUNT_DIFFERS " + wrongAmount.paymentRequestId(),
                "STATUS_DIFFERS " + notPaidHere.paymentRequestId(),
                "STATUS_DIFFERS " + cancelledThere.paymentRequestId(),
                "IN_FILE_NOT_OURS not-ours-" + day);
        assertThat(ledger.find(card.paymentRequestId()).orElseThrow().flagged()).isFalse();
        assertThat(shipment.decide(wrongAmount.orderId(), null).reasons())
                .extracting(r -> r.code()).contains("FLAGGED_BY_RECONCILIATION");
        assertThat(ledger.history(wrongAmount.paymentRequestId())).filteredOn(step -> step.cause()
                .equals("RECONCILIATION_AMOUNT_DIFFERS")).singleElement().satisfies(step -> {
                    assertThat(step.from()).isEqualTo(PaymentState.SUCCEEDED).isEqualTo(step.to());
                    assertThat(step.detail()).startsWith("file 1240 USD, ledger 1250 USD");
                });
        assertThat(ledger.find(missing.paymentRequestId()).orElseThrow().flagReason())
                .startsWith("RECONCILIATION: OURS_NOT_IN_FILE in transactionItems_");
        assertThat(jdbc.queryForObject("SELECT mismatches FROM reconciliation_report WHERE file_name = ?",
                Integer.class, file.getFileName().toString())).isEqualTo(5);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM reconciliation_seen", Integer.class))
                .as("the file's ids are forgotten with its report").isZero();
    }

    /**
     * A day Antom splits into parts (_000, _001): a payment one part names is not missing from the other; what no part
     * names is counted once, by the day's last part; an earlier part's own mismatches are stored and flag as any.
     */
    @Test
    void aDaySplitIntoPartsCountsMissingOnlyWhatNoPartNames() throws Exception {
        LocalDate day = moveToOwnDay(60);
        PaymentAttempt wrongAmount = paidWallet();
        PaymentAttempt second = paidWallet();
        PaymentAttempt missing = paidWallet();
        DayReport report = DayReport.of(sandbox.writeReport(day));
        Path part0 = report.write(0, report.naming(wrongAmount).replace(",12.50,", ",12.40,"));
        Path part1 = report.write(1, report.naming(second));

        reconciliation.run();

        assertThat(kinds(reportEvent(part0))).containsExactly("AMOUNT_DIFFERS " + wrongAmount.paymentRequestId());
        assertThat(kinds(reportEvent(part1))).containsExactly("OURS_NOT_IN_FILE " + missing.paymentRequestId());
        assertThat(jdbc.queryForObject("SELECT mismatches FROM reconciliation_report WHERE file_name = ?",
                Integer.class, part0.getFileName().toString())).isEqualTo(1);
        assertThat(ledger.find(wrongAmount.paymentRequestId()).orElseThrow().flagReason())
                .startsWith("RECONCILIATION: AMOUNT_DIFFERS");
        assertThat(ledger.find(second.paymentRequestId()).orElseThrow().flagged()).isFalse();
    }

    /**
     * A part that arrives after its day was counted (the day's first part then was its last): what it names was
     * counted missing then; its own count does not count the first part's payments missing again.
     */
    @Test
    void aLatePartDoesNotCountTheEarlierPartsPaymentsMissing() throws Exception {
        LocalDate day = moveToOwnDay(100);
        PaymentAttempt first = paidWallet();
        PaymentAttempt late = paidWallet();
        DayReport report = DayReport.of(sandbox.writeReport(day));
        Path part0 = report.write(0, report.naming(first));
        reconciliation.run();
        assertThat(kinds(reportEvent(part0))).containsExactly("OURS_NOT_IN_FILE " + late.paymentRequestId());

        Path part1 = report.write(1, report.naming(late));
        reconciliation.run();

        assertThat(reportEvent(part1).path("status").asText()).isEqualTo("CLEAN");
        assertThat(ledger.find(first.paymentRequestId()).orElseThrow().flagged()).isFalse();
    }

    /**
     * A day's part that is rejected (malformed) holds the day's count: the other part does not count its payments
     * missing; its good copy, put in its place, is read again and counts what no part named.
     */
    @Test
    void aRejectedPartHoldsTheDaysCountUntilItsCopyIsRead() throws Exception {
        LocalDate day = moveToOwnDay(140);
        PaymentAttempt inRejected = paidWallet();
        PaymentAttempt inSecond = paidWallet();
        PaymentAttempt missing = paidWallet();
        DayReport report = DayReport.of(sandbox.writeReport(day));
        String good0 = report.naming(inRejected);
        Path part0 = report.write(0, good0.replace(",12.50,", ",twelve,"));
        Path part1 = report.write(1, report.naming(inSecond));

        reconciliation.run();

        assertThat(reportEvent(part0).path("status").asText()).isEqualTo("REJECTED");
        assertThat(reportEvent(part1).path("status").asText()).as("nothing counted missing yet").isEqualTo("CLEAN");
        assertThat(ledger.find(inRejected.paymentRequestId()).orElseThrow().flagged()).isFalse();

        report.write(0, good0);
        Files.setLastModifiedTime(part0, FileTime.from(Instant.now().plusSeconds(5)));
        reconciliation.run();

        JsonNode copy = read(kafka().await(reconciliationTopic, r -> part0.getFileName().toString().equals(r.key())
                && !r.value().contains("REJECTED")).value());
        assertThat(kinds(copy)).containsExactly("OURS_NOT_IN_FILE " + missing.paymentRequestId());
        assertThat(ledger.find(inSecond.paymentRequestId()).orElseThrow().flagged()).isFalse();
    }

    /** The sandbox's report of a day (its first part, _000), rewritten as parts that each name some of its rows. */
    private record DayReport(Path first, List<String> lines) {

        static DayReport of(Path first) throws java.io.IOException {
            return new DayReport(first, Files.readAllLines(first, StandardCharsets.UTF_8));
        }

        /** The report's header, these payments' rows, and its last line. */
        String naming(PaymentAttempt... payments) {
            StringBuilder part = new StringBuilder(lines.get(0)).append('\n');
            for (PaymentAttempt payment : payments) {
                part.append(lines.stream().filter(l -> l.contains(payment.paymentRequestId())).findFirst()
                        .orElseThrow()).append('\n');
            }
            return part.append("<END>\n").toString();
        }

        /** Writes part {@code n} of the day (transactionItems_<day>_00n.csv) beside the first. */
        Path write(int n, String content) throws java.io.IOException {
            String name = first.getFileName().toString().replace("_000.csv", "_%03d.csv".formatted(n));
            Path part = first.resolveSibling(name);
            Files.writeString(part, content, StandardCharsets.UTF_8);
            return part;
        }
    }

    @Test
    void aCleanDaySaysSo() {
        LocalDate day = moveToOwnDay(80);
        paidWallet();
        paidCard();
        Path file = sandbox.writeReport(day);

        reconciliation.run();

        JsonNode report = reportEvent(file);
        assertThat(report.path("status").asText()).isEqualTo("CLEAN");
        assertThat(report.path("rows").asInt()).isEqualTo(3);
        assertThat(report.path("mismatches")).isEmpty();
    }

    /**
     * Antom dates a payment by its own clock, the ledger by when it heard: one paid just before midnight whose
     * notification came just after is in that day's file, and not missing from the next day's.
     */
    @Test
    void aPaymentTheLedgerDatesOnTheNextDayIsNotMissingFromThatDaysReport() {
        LocalDate day = moveToOwnDay(160);
        PaymentAttempt late = paidWallet();
        jdbc.update("UPDATE payment_attempt SET paid_at = ? WHERE payment_request_id = ?",
                day.plusDays(1).atTime(0, 0, 30).atOffset(ANTOM_DAY), late.paymentRequestId());
        Path file = sandbox.writeReport(day);
        Path next = sandbox.writeReport(day.plusDays(1));

        reconciliation.run();

        assertThat(reportEvent(file).path("status").asText()).isEqualTo("CLEAN");
        assertThat(kinds(reportEvent(next))).isEmpty();
        assertThat(ledger.find(late.paymentRequestId()).orElseThrow().flagged()).isFalse();
    }

    /**
     * Money that moved at Antom without this service (a refund made in Antom's Dashboard, a refund the buyer's bank
     * returned): the payment it names is flagged, and its order is not shipped.
     */
    @Test
    void aRefundOrReversalTheLedgerDoesNotKeepFlagsItsPayment() throws Exception {
        LocalDate day = moveToOwnDay(200);
        PaymentAttempt refundedElsewhere = paidWallet();
        PaymentAttempt reversed = paidWallet();
        PaymentAttempt disputed = paidWallet();
        PaymentAttempt notified = paidWallet();
        // a dispute notified, settled and cleared by an operator before the file lists it
        assertThat(antomNotifier().send("{\"paymentRequestId\":\"" + notified.paymentRequestId()
                + "\",\"disputeId\":\"DSP-N-" + day + "\",\"paymentId\":\"" + notified.paymentId()
                + "\",\"disputeNotificationType\":\"RDR_RESOLVED\"}").status()).isEqualTo(200);
        ledger.clearFlag(notified.paymentRequestId(), "operator", "accounted for");
        Path file = sandbox.writeReport(day);
        List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        String header = lines.get(0);
        lines.add(lines.size() - 1, row(header, "REFUND", "REF-dashboard-" + day, "20990101000000000000000000000000003",
                refundedElsewhere.paymentId(), "12.50"));
        lines.add(lines.size() - 1, row(header, "REFUND_REVERSAL", "REV-" + day, "20990101000000000000000000000000004",
                reversed.paymentId(), "-1.00"));
        lines.add(lines.size() - 1, row(header, "DISPUTE", "DSP-" + day, "20990101000000000000000000000000005",
                disputed.paymentId(), "12.50"));
        lines.add(lines.size() - 1, row(header, "RAPID_DISPUTE_RESOLUTION", "DSP-N-" + day, "DSP-N-" + day,
                notified.paymentId(), "12.50"));
        Files.write(file, lines, StandardCharsets.UTF_8);

        reconciliation.run();

        assertThat(kinds(reportEvent(file))).containsExactlyInAnyOrder("IN_FILE_NOT_OURS REF-dashboard-" + day,
                "NOT_IN_LEDGER REV-" + day, "NOT_IN_LEDGER DSP-" + day, "NOT_IN_LEDGER DSP-N-" + day);
        // a chargeback the notifications did not bring: flagged DISPUTED, and not even all that is left is refunded
        assertThat(ledger.find(disputed.paymentRequestId()).orElseThrow().flagReason())
                .startsWith("DISPUTED: DISPUTE 20990101000000000000000000000000005 listed in " + file.getFileName());
        assertThatThrownBy(() -> refunds.request(disputed.orderId(), null, "cancelled", "order-system"))
                .isInstanceOfSatisfying(com.checkoutroutes.ledger.RefundRefusedException.class,
                        e -> assertThat(e.code()).isEqualTo("DISPUTED"));
        // the notified one, cleared: flagged as a row the ledger does not keep, its refunds not refused again
        assertThat(ledger.find(notified.paymentRequestId()).orElseThrow().flagReason())
                .startsWith("RECONCILIATION: NOT_IN_LEDGER");
        assertThat(ledger.history(notified.paymentRequestId())).extracting(c -> c.cause())
                .containsOnlyOnce("DISPUTED");
        assertThat(ledger.find(refundedElsewhere.paymentRequestId()).orElseThrow().flagReason())
                .startsWith("REFUND_NOT_OURS: refund REF-dashboard-" + day + " listed in " + file.getFileName())
                .contains("RECONCILIATION: IN_FILE_NOT_OURS");
        assertThat(ledger.find(reversed.paymentRequestId()).orElseThrow().flagReason())
                .startsWith("RECONCILIATION: NOT_IN_LEDGER");
        assertThat(shipment.decide(refundedElsewhere.orderId(), null).reasons())
                .extracting(r -> r.code()).contains("FLAGGED_BY_RECONCILIATION");
        // the order system's return may be that very refund: no amount is refunded until an operator accounts for it
        assertThatThrownBy(() -> refunds.request(refundedElsewhere.orderId(), new RefundAmount("USD", 500), "return",
                "order-system")).isInstanceOfSatisfying(com.checkoutroutes.ledger.RefundRefusedException.class,
                        e -> assertThat(e.code()).isEqualTo("REFUNDED_OUTSIDE"));
        assertThat(sandbox.requests("refund", refundedElsewhere.paymentRequestId())).isEmpty();

        // an operator accounts for it: the next file listing the same refund does not flag it again
        ledger.clearFlag(refundedElsewhere.paymentRequestId(), "operator", "the Dashboard's refund was another return");
        refundResults.flagRefundNotOurs(refundedElsewhere, "REF-dashboard-" + day, "listed in the next file");
        assertThat(ledger.find(refundedElsewhere.paymentRequestId()).orElseThrow().flagged()).isFalse();
    }

    @Test
    void refundRowsAreMatchedWithTheLedgersRefunds() throws Exception {
        LocalDate day = moveToOwnDay(120);
        Refund matched = refunds.request(paidWallet().orderId(), new RefundAmount("USD", 250), "test", "operator");
        Refund missing = refunds.request(paidWallet().orderId(), null, "test", "operator");
        Refund wrongAmount = refunds.request(paidWallet().orderId(), new RefundAmount("USD", 300), "test", "operator");
        assertThat(List.of(matched, missing, wrongAmount)).allSatisfy(r -> assertThat(r.state())
                .isIn(RefundState.ACCEPTED, RefundState.REFUNDED));
        Path file = sandbox.writeReport(day);

        List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        lines.removeIf(l -> l.contains(",REFUND,") && l.contains(missing.refundRequestId()));
        lines.replaceAll(l -> l.contains(wrongAmount.refundRequestId()) ? l.replace(",3.00,", ",3.10,") : l);
        lines.add(lines.size() - 1, row(lines.get(0), "REFUND", "REF-not-ours-" + day,
                "20990101000000000000000000000000002", "1.00"));
        Files.write(file, lines, StandardCharsets.UTF_8);

        reconciliation.run();

        JsonNode report = reportEvent(file);
        assertThat(kinds(report)).containsExactlyInAnyOrder(
                "OURS_NOT_IN_FILE " + missing.refundRequestId(),
                "AMOUNT_DIFFERS " + wrongAmount.refundRequestId(),
                "IN_FILE_NOT_OURS REF-not-ours-" + day);
        assertThat(ledger.find(matched.paymentRequestId()).orElseThrow().flagged()).isFalse();
        assertThat(ledger.find(wrongAmount.paymentRequestId()).orElseThrow().flagReason())
                .startsWith("RECONCILIATION: AMOUNT_DIFFERS");
    }

    @Test
    void aMalformedFileIsRejectedWholeAndTheNextFileStillRuns() throws Exception {
        Path broken = reportDir.resolve("transactionItems_20990101_000.csv");
        Files.writeString(broken, "transactionId,transactionRequestId,transactionType,transactionAmountValue,"
                + "transactionAmountCurrency\n1,2,PAYMENT,one,USD\n<END>\n");
        Path fine = reportDir.resolve("transactionItems_20990102_000.csv");
        Files.writeString(fine, "transactionId,transactionRequestId,transactionType,transactionAmountValue,"
                + "transactionAmountCurrency\n<END>\n");

        reconciliation.run();

        JsonNode rejected = reportEvent(broken);
        assertThat(rejected.path("status").asText()).isEqualTo("REJECTED");
        assertThat(rejected.path("reason").asText()).contains("amount one");
        assertThat(reportEvent(fine).path("status").asText()).isEqualTo("CLEAN");
    }

    /**
     * A file still arriving (no {@code <END>} yet: a pull still writing it) is not rejected for good: the run records
     * nothing for it, and the next run, once the file is whole, reconciles it.
     */
    @Test
    void anIncompleteFileIsReadAgainAtTheNextRun() throws Exception {
        Path arriving = reportDir.resolve("transactionItems_20990107_000.csv");
        String header = "transactionId,transactionRequestId,transactionType,transactionAmountValue,"
                + "transactionAmountCurrency\n";
        Files.writeString(arriving, header);
        Path nextDay = reportDir.resolve("transactionItems_20990108_000.csv");
        Files.writeString(nextDay, header + "<END>\n");

        assertThat(reconciliation.run().detail()).contains(arriving.getFileName() + ":INCOMPLETE")
                .as("the next day waits for it").doesNotContain(nextDay.getFileName().toString());
        assertThat(jdbc.queryForObject("SELECT count(*) FROM reconciliation_report WHERE file_name = ?",
                Integer.class, arriving.getFileName().toString())).isZero();

        Files.writeString(arriving, header + "<END>\n");
        reconciliation.run();
        assertThat(reportEvent(arriving).path("status").asText()).isEqualTo("CLEAN");
        assertThat(reportEvent(nextDay).path("status").asText()).isEqualTo("CLEAN");
    }

    /** A download that died: still without its {@code <END>} a day after its last change, it is rejected. */
    @Test
    void aFileIncompleteForADayIsRejected() throws Exception {
        Path died = reportDir.resolve("transactionItems_20990109_000.csv");
        Files.writeString(died, "transactionId,transactionRequestId,transactionType,transactionAmountValue,"
                + "transactionAmountCurrency\nt-1,pr-1,PAYMENT,1.00,USD\n");
        Files.setLastModifiedTime(died, FileTime.from(Instant.now().minus(Duration.ofHours(25))));

        reconciliation.run();

        JsonNode rejected = reportEvent(died);
        assertThat(rejected.path("status").asText()).isEqualTo("REJECTED");
        assertThat(rejected.path("reason").asText()).isEqualTo("the last line is not <END>: the file is incomplete, "
                + "unchanged for PT24H");
    }

    /**
     * Mismatches are stored in batches as rows are read: a rejection further on takes back those already stored, and
     * flags nothing.
     */
    @Test
    void aRejectionFoundAfterMismatchesKeepsNoneOfThem() throws Exception {
        PaymentAttempt paid = paidWallet();
        Path broken = reportDir.resolve("transactionItems_20990105_000.csv");
        StringBuilder file = new StringBuilder("transactionId,transactionRequestId,transactionType,"
                + "transactionAmountValue,transactionAmountCurrency\n" + paid.paymentId() + ","
                + paid.paymentRequestId() + ",PAYMENT,99.99,USD\n");
        for (int i = 0; i < 1500; i++) { // more than a batch: some are stored before the bad row is read
            file.append("t-").append(i).append(",not-ours-").append(i).append(",PAYMENT,1.00,USD\n");
        }
        Files.writeString(broken, file.append("t-x,not-ours-x,PAYMENT,one,USD\n<END>\n"));

        reconciliation.run();

        assertThat(reportEvent(broken).path("status").asText()).isEqualTo("REJECTED");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM reconciliation_mismatch m JOIN reconciliation_report r "
                + "ON r.id = m.report_id WHERE r.file_name = ?", Integer.class, broken.getFileName().toString()))
                .isZero();
        assertThat(ledger.find(paid.paymentRequestId()).orElseThrow().flagged()).isFalse();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM reconciliation_seen", Integer.class)).isZero();
    }

    /**
     * A run that stopped half-way (a crash) left its report {@code RECONCILING} with some of its mismatches: the next
     * run takes them back and reconciles the file again, once.
     */
    @Test
    void aReportLeftHalfReconciledRunsAgain() throws Exception {
        Path file = reportDir.resolve("transactionItems_20990106_000.csv");
        Files.writeString(file, "transactionId,transactionRequestId,transactionType,transactionAmountValue,"
                + "transactionAmountCurrency\nt-1,half-1,PAYMENT,1.00,USD\n<END>\n");
        jdbc.update("INSERT INTO reconciliation_report (file_name, report_date, status, rows_read, mismatches, "
                + "created_at) VALUES (?, DATE '2099-01-06', 'RECONCILING', 0, 0, CURRENT_TIMESTAMP)",
                file.getFileName().toString());
        long stopped = jdbc.queryForObject("SELECT id FROM reconciliation_report WHERE file_name = ?", Long.class,
                file.getFileName().toString());
        jdbc.update("INSERT INTO reconciliation_mismatch (report_id, kind, transaction_request_id) VALUES (?, "
                + "'IN_FILE_NOT_OURS', 'half-1')", stopped);
        jdbc.update("INSERT INTO reconciliation_seen (report_id, refund, request_id) VALUES (?, FALSE, 'x')", stopped);

        reconciliation.run();

        assertThat(reportEvent(file).path("mismatchCount").asInt()).isEqualTo(1);
        assertThat(jdbc.queryForList("SELECT r.status FROM reconciliation_report r JOIN reconciliation_mismatch m ON "
                + "m.report_id = r.id WHERE r.file_name = ?", String.class, file.getFileName().toString()))
                .containsExactly("MISMATCHES");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM reconciliation_seen", Integer.class)).isZero();
    }

    /**
     * Files that once failed at every run, so that no later report was reconciled: eight digits that are no date, a
     * NUL in a cell (no column takes one: read again, as a download may not have written there yet, and rejected once
     * it stays so), a transaction type longer than 32 characters (the mismatch's column held no more).
     */
    @Test
    void aFileThatOnceFailedEveryRunIsRejectedOrStoredAndTheNextDayRuns() throws Exception {
        String header = "transactionId,transactionRequestId,transactionType,transactionAmountValue,"
                + "transactionAmountCurrency\n";
        Path noDate = reportDir.resolve("transactionItems_20990230_000.csv");
        Files.writeString(noDate, header + "<END>\n");
        Path nul = reportDir.resolve("transactionItems_20991231_000.csv");
        Files.writeString(nul, header + "t-nul-1,pr-\u00001,PAYMENT,1.00,USD\n<END>\n");
        Path longType = reportDir.resolve("transactionItems_20990111_000.csv");
        String type = "A_TRANSACTION_TYPE_ANTOM_MAY_ADD_ONE_DAY";
        Files.writeString(longType, header + "t-long-1,pr-long-1," + type + ",1.00,USD\n<END>\n");

        assertThat(reconciliation.run().detail()).contains(nul.getFileName() + ":INCOMPLETE");

        assertThat(reportEvent(noDate).path("status").asText()).isEqualTo("REJECTED");
        Files.setLastModifiedTime(nul, FileTime.from(Instant.now().minus(Duration.ofHours(25))));
        reconciliation.run();
        JsonNode withNul = reportEvent(nul);
        assertThat(withNul.path("status").asText()).isEqualTo("REJECTED");
        assertThat(withNul.path("reason").asText())
                .isEqualTo("line 2 has a control character (0x0), unchanged for PT24H");
        assertThat(reportEvent(longType).path("status").asText()).isEqualTo("MISMATCHES");
        assertThat(jdbc.queryForList("SELECT m.transaction_type FROM reconciliation_mismatch m JOIN "
                + "reconciliation_report r ON m.report_id = r.id WHERE r.file_name = ?", String.class,
                longType.getFileName().toString())).containsExactly(type);
    }

    /**
     * A rejected file replaced by a good copy (put in its place by the transfer or an operator) is reconciled at the
     * next run, where it took an SQL delete; the rejection keeps its record under another name. The copy is told by
     * another modification time, earlier too (a transfer that keeps the remote file's time).
     */
    @Test
    void aRejectedFileReplacedByAGoodCopyIsReconciled() throws Exception {
        Path file = reportDir.resolve("transactionItems_20990112_000.csv");
        String header = "transactionId,transactionRequestId,transactionType,transactionAmountValue,"
                + "transactionAmountCurrency\n";
        Files.writeString(file, header + "t-1,pr-1,PAYMENT,one,USD\n<END>\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofMinutes(5))));
        reconciliation.run();
        assertThat(reportEvent(file).path("status").asText()).isEqualTo("REJECTED");
        assertThat(reconciliation.run().detail()).as("unchanged: not read again")
                .doesNotContain(file.getFileName().toString());

        Files.writeString(file, header + "<END>\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofMinutes(10))));
        assertThat(reconciliation.run().detail()).contains(file.getFileName() + ":CLEAN");
        assertThat(jdbc.queryForList("SELECT status FROM reconciliation_report WHERE file_name LIKE ? ORDER BY id",
                String.class, file.getFileName() + "%")).containsExactly("REJECTED", "CLEAN");
    }

    /** A reason quoting a cell of any length is cut, so that the rejection is stored and the job moves on. */
    @Test
    void aRejectionQuotingALongCellIsStored() throws Exception {
        Path broken = reportDir.resolve("transactionItems_20990104_000.csv");
        Files.writeString(broken, "transactionId,transactionRequestId,transactionType,transactionAmountValue,"
                + "transactionAmountCurrency\nt-1,pr-1,PAYMENT," + "9".repeat(5000) + "x,USD\n<END>\n");

        reconciliation.run();

        JsonNode rejected = reportEvent(broken);
        assertThat(rejected.path("status").asText()).isEqualTo("REJECTED");
        assertThat(rejected.path("reason").asText()).startsWith("line 2: amount 999").hasSizeLessThanOrEqualTo(500);
    }

    /**
     * Another merchant's file: every row mismatches. All are stored; the event lists the first (it once held them
     * all, and past about 500 the outbox refused it, so the job failed on that file at every run).
     */
    @Test
    void aWrongFilesEventListsTheFirstMismatchesAndTheTableHasAll() throws Exception {
        Path wrong = reportDir.resolve("transactionItems_20990103_000.csv");
        StringBuilder file = new StringBuilder("transactionId,transactionRequestId,transactionType,"
                + "transactionAmountValue,transactionAmountCurrency\n");
        for (int i = 0; i < 1005; i++) {
            file.append("t-").append(i).append(",elsewhere-").append(i).append(",PAYMENT,1.00,USD\n");
        }
        Files.writeString(wrong, file.append("<END>\n"));

        reconciliation.run();

        JsonNode report = reportEvent(wrong);
        assertThat(report.path("status").asText()).isEqualTo("MISMATCHES");
        assertThat(report.path("rows").asInt()).isEqualTo(1005);
        assertThat(report.path("mismatchCount").asInt()).isEqualTo(1005);
        assertThat(report.path("mismatches")).hasSize(SettlementReconciliation.MAX_LISTED);
        assertThat(report.path("mismatches").get(0).path("transactionRequestId").asText()).isEqualTo("elsewhere-0");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM reconciliation_mismatch m JOIN reconciliation_report r "
                + "ON r.id = m.report_id WHERE r.file_name = ?", Integer.class, wrong.getFileName().toString()))
                .isEqualTo(1005);
    }

    /** More mismatches naming payments than one batch of flags (1,000): every payment is flagged. */
    @Test
    void mismatchesOverMoreThanOnePageFlagEveryPayment() throws Exception {
        LocalDate day = moveToOwnDay(50);
        PaymentAttempt pending = pendingWallet();
        // 1,000 more like it, each of an order of its own (PostgreSQL: the row with two fields replaced)
        jdbc.update("INSERT INTO payment_attempt SELECT (jsonb_populate_record(a, jsonb_build_object("
                + "'payment_request_id', a.payment_request_id || '-' || g, 'order_id', a.order_id || '-' || g))).* "
                + "FROM payment_attempt a, generate_series(1, 1000) g WHERE a.payment_request_id = ?",
                pending.paymentRequestId());
        Path file = sandbox.writeReport(day);
        List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        String header = lines.get(0);
        // Antom lists every one of them paid: the ledger has them pending
        lines.add(lines.size() - 1, row(header, "PAYMENT", pending.paymentRequestId(), pending.paymentId(), "12.50"));
        for (int i = 1; i <= 1000; i++) {
            lines.add(lines.size() - 1, row(header, "PAYMENT", pending.paymentRequestId() + "-" + i,
                    pending.paymentId(), "12.50"));
        }
        Files.write(file, lines, StandardCharsets.UTF_8);

        reconciliation.run();

        assertThat(reportEvent(file).path("mismatchCount").asInt()).isEqualTo(1001);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM payment_attempt WHERE (payment_request_id = ? "
                + "OR payment_request_id LIKE ?) AND flagged AND flag_reason LIKE 'RECONCILIATION: STATUS_DIFFERS%'",
                Integer.class, pending.paymentRequestId(), pending.paymentRequestId() + "-%")).isEqualTo(1001);
    }

    /**
     * Moves both clocks to noon (UTC+8, the report's day) {@code days} from today: the payments the test makes next
     * all fall on that day. Whole days alone kept the time of day, and a test run just before midnight UTC+8 (16:00
     * UTC) made some of them on the day after.
     */
    private LocalDate moveToOwnDay(int days) {
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ANTOM_DAY);
        OffsetDateTime noon = now.toLocalDate().plusDays(days).atTime(12, 0).atOffset(ANTOM_DAY);
        shifted = Duration.between(now, noon);
        clock.advance(shifted);
        sandbox.advanceClock(shifted);
        return noon.toLocalDate();
    }

    /** A report row in the file's own column order. */
    private static String row(String header, String type, String requestId, String transactionId, String amount) {
        return row(header, type, requestId, transactionId, "", amount);
    }

    private static String row(String header, String type, String requestId, String transactionId,
            String originalTransactionId, String amount) {
        Map<String, String> values = Map.of("transactionId", transactionId, "originalTransactionId",
                originalTransactionId, "transactionRequestId", requestId, "transactionType", type,
                "transactionStatus", "SUCCESS", "transactionAmountValue", amount, "transactionAmountCurrency", "USD");
        List<String> cells = new ArrayList<>();
        for (String column : header.split(",")) {
            cells.add(values.getOrDefault(column.strip(), ""));
        }
        return String.join(",", cells);
    }

    private JsonNode reportEvent(Path file) {
        String name = file.getFileName().toString();
        return read(kafka().await(reconciliationTopic, r -> name.equals(r.key())).value());
    }

    private static List<String> kinds(JsonNode report) {
        List<String> out = new ArrayList<>();
        report.path("mismatches").forEach(m -> out.add(m.path("kind").asText() + " " + m.path("transactionRequestId").asText()));
        return out;
    }

    private PaymentAttempt paidCard() {
        String orderId = newOrderId();
        publish(cardOrder(orderId, null));
        return await().atMost(Duration.ofSeconds(20))
                .until(() -> onlyAttempt(orderId), a -> a.state() == PaymentState.CAPTURED);
    }
}
