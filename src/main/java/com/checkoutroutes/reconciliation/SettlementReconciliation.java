package com.checkoutroutes.reconciliation;

import com.checkoutroutes.ledger.Outbox;
import com.checkoutroutes.ledger.DisputeHistory;
import com.checkoutroutes.ledger.OutboxMessage;
import com.checkoutroutes.ledger.OutboxSettings;
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentLedger;
import com.checkoutroutes.ledger.RefundRules;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.ledger.Refund;
import com.checkoutroutes.ledger.RefundLedger;
import com.checkoutroutes.ledger.RefundState;
import com.checkoutroutes.platform.AntomTime;
import com.checkoutroutes.results.RefundResults;
import com.checkoutroutes.scheduling.JobRuns.Report;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.lang3.StringUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reconciles Antom's daily transaction reports with the ledger: every file in the report directory not yet
 * reconciled is read and matched by transactionRequestId / transactionId (payments, captures, cancels, and refunds by
 * refundRequestId / refundId); the mismatches (in the file but not ours, ours but not in the file, amount or status
 * differs) are stored, flag their attempts (held from shipment) and are published as one report event per file. A
 * malformed file is rejected whole and the next one still runs.
 */
@Component
public class SettlementReconciliation {

    private static final Logger LOG = LoggerFactory.getLogger(SettlementReconciliation.class);
    /** A day's report, in parts numbered from 000 when Antom splits a large day. */
    private static final Pattern FILE = Pattern.compile("transactionItems_(\\d{8})_(\\d{3})\\.csv");
    private static final int FETCH_SIZE = 1000;
    /** How long the scan of a day's payments may wait for PostgreSQL's answer (the pool's: 60 s as shipped). */
    private static final Duration DAY_SCAN_TIMEOUT = Duration.ofHours(1);
    private static final Set<String> PAYMENTS = Set.of("PAYMENT", "AUTHORIZATION");
    private static final Set<String> REFUNDS = Set.of("REFUND");
    /** A dispute's rows (the second: a card scheme's rapid resolution, which refunds the buyer at once). */
    private static final Set<String> DISPUTES = Set.of("DISPUTE", "RAPID_DISPUTE_RESOLUTION");
    /** A line for money the ledger does not keep moving (a dispute, a reversal). */
    private static final String NOT_IN_LEDGER = "NOT_IN_LEDGER";
    /** VOID: Antom's name for the cancel of a card's authorisation. */
    private static final Set<String> CANCELS = Set.of("CANCEL", "VOID");
    /** A report being matched; left so only by a run that stopped half-way. */
    private static final String RECONCILING = "RECONCILING";
    /** A line of the file the ledger has no payment or refund for. */
    private static final String IN_FILE_NOT_OURS = "IN_FILE_NOT_OURS";
    private static final int MAX_REASON = 500;
    /** The payments (or refunds) a file named that one statement marks reconciled. */
    private static final int MARK_PAGE = 5000;
    /** Antom's reports count days in UTC+8. */
    static final ZoneOffset ANTOM_DAY = ZoneOffset.ofHours(8);

    private final TransactionReportParser parser;
    private final PaymentLedger ledger;
    private final RefundLedger refunds;
    private final RefundResults refundResults;
    private final Outbox outbox;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Duration incompleteFor;
    private final Path directory;
    private final String destination;

    public SettlementReconciliation(TransactionReportParser parser, PaymentLedger ledger, RefundLedger refunds,
            RefundResults refundResults, Outbox outbox, JdbcTemplate jdbc, TransactionTemplate tx, ObjectMapper json,
            Clock clock, MeterRegistry meters, ReconciliationSettings settings, OutboxSettings outboxSettings) {
        this.parser = parser;
        this.refundResults = refundResults;
        this.ledger = ledger;
        this.refunds = refunds;
        this.outbox = outbox;
        this.jdbc = jdbc;
        this.tx = tx;
        this.json = json;
        this.clock = clock;
        this.meters = meters;
        this.directory = Path.of(settings.reportDir());
        this.incompleteFor = settings.incompleteFor();
        this.destination = outboxSettings.reconciliationDestination();
    }

    /**
     * The report of one file. Its event lists the first mismatches, as many as fit ({@code mismatchCount} says how
     * many there are); all of them are in {@code reconciliation_mismatch} and flag their payments.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ReconciliationReport(String type, String file, String date, String status, int rows,
            int mismatchCount, List<Mismatch> mismatches, String reason, String at) {

        ReconciliationReport listing(int first) {
            return new ReconciliationReport(type, file, date, status, rows, mismatchCount,
                    mismatches.subList(0, first), reason, at);
        }
    }

    /** A file still arriving: not recorded, read again at the next run. */
    static final String INCOMPLETE = "INCOMPLETE";

    /** The most mismatches one report event lists: a wrong file (another merchant's, another day's) has them all. */
    static final int MAX_LISTED = 200;
    /** The longest report event: the outbox keeps a payload of at most 100,000 characters. */
    static final int MAX_EVENT_CHARS = 64_000;

    public record Mismatch(String kind, String transactionType, String transactionRequestId, String transactionId,
            String paymentRequestId, String detail) {
    }

    /** Reconciles every report file not reconciled yet, oldest first. */
    public Report run() {
        forgetInterrupted();
        List<Path> files = pending();
        int mismatches = 0;
        List<String> done = new ArrayList<>();
        for (Path file : files) {
            ReconciliationReport report = reconcile(file);
            mismatches += report.mismatchCount();
            done.add(file.getFileName() + ":" + report.status());
            if (report.status().equals(INCOMPLETE)) {
                // the later days wait: matched before it, a payment Antom dates on its day would be missing there
                break;
            }
        }
        return new Report(files.size(), mismatches, String.join(", ", done));
    }

    /**
     * Matches a file's rows as they are read, storing mismatches on the way in short writes (a report's matching can
     * take minutes: one transaction around it would hold back PostgreSQL's vacuum of the busy tables that long),
     * then flags the payments and publishes the report in one transaction. A rejection found further on takes back
     * what was stored; a run that stopped half-way (a crash) leaves its report {@code RECONCILING}, which the next
     * run takes back before it starts the file again.
     */
    public ReconciliationReport reconcile(Path file) {
        String name = file.getFileName().toString();
        Matcher m = FILE.matcher(name);
        LocalDate date = m.matches() ? dateOf(m.group(1)) : null;
        if (date == null) {
            return reject(name, null, null,
                    new MalformedReportException("file name is not transactionItems_<yyyyMMdd>_<000-999>.csv"), null);
        }
        // the file as it is before it is read: a rejection records it, and a copy put in its place is read again
        Instant fileTime = modifiedAt(file);
        // a rejection of an earlier copy of this file keeps its record under another name (a report's name is 33
        // characters: the column keeps 255)
        jdbc.update("UPDATE reconciliation_report SET file_name = file_name || ' (replaced, report ' || id || ')' "
                + "WHERE file_name = ? AND status = 'REJECTED'", name);
        long reportId = insertReport(new ReconciliationReport("RECONCILIATION_REPORT", name, date.toString(),
                RECONCILING, 0, 0, List.of(), null, now()));
        Matching matching = new Matching(reportId);
        try {
            parser.parse(file, matching::row);
            matching.finish(date, !otherPartOutstanding(name, m.group(1)));
        } catch (IncompleteReportException e) {
            return unchangedFor(file).compareTo(incompleteFor) >= 0
                    ? reject(name, date, reportId, new MalformedReportException(e.getMessage() + ", unchanged for "
                            + incompleteFor), fileTime)
                    : leaveForNextRun(name, date, reportId, e);
        } catch (MalformedReportException e) {
            return reject(name, date, reportId, e, fileTime);
        } catch (RuntimeException e) {
            takeBackNow(reportId, e); // the database gone, say: the next run starts the file again
            throw e;
        }
        int count = matching.count();
        ReconciliationReport report = new ReconciliationReport("RECONCILIATION_REPORT", name, date.toString(),
                count == 0 ? "CLEAN" : "MISMATCHES", matching.rows, count, matching.listed, null, now());
        tx.executeWithoutResult(status -> {
            // first: had another run taken this report back (taking this run for a crashed one), this one stops here
            if (jdbc.update("UPDATE reconciliation_report SET status = ?, rows_read = ?, mismatches = ?, "
                    + "created_at = ? WHERE id = ? AND status = ?", report.status(), report.rows(),
                    report.mismatchCount(), OffsetDateTime.now(clock), reportId, RECONCILING) != 1) {
                throw new IllegalStateException("transaction report " + name
                        + " was taken back while it was matched");
            }
            flagPayments(reportId, name);
            publish(report);
        });
        matching.byKind.forEach((kind, n) -> meters.counter("checkout.reconciliation.mismatches", "kind", kind)
                .increment(n));
        LOG.info("transaction report {}: {} rows, {}", name, matching.rows,
                count == 0 ? "clean" : count + " mismatches");
        return report;
    }

    /**
     * Whether another part of the same day's report (Antom splits a large day: transactionItems_20250101_000.csv,
     * _001...) is in the directory and not reconciled yet, or was rejected: the day's payments that no part names are
     * then counted by the day's last part to be reconciled, not by this one (it would count the other part's missing).
     */
    private boolean otherPartOutstanding(String name, String day) {
        Set<String> reconciled = new HashSet<>(jdbc.queryForList("SELECT file_name FROM reconciliation_report "
                + "WHERE file_name LIKE ? AND status IN ('CLEAN', 'MISMATCHES')", String.class,
                "transactionItems_" + day + "%"));
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(other -> !other.equals(name) && !reconciled.contains(other))
                    .map(FILE::matcher).anyMatch(o -> o.matches() && o.group(1).equals(day));
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + directory.toAbsolutePath() + " for " + name, e);
        }
    }

    /** The file name's date; null for eight digits that are no date (20250230): rejected, not thrown at every run. */
    private static LocalDate dateOf(String digits) {
        try {
            return LocalDate.parse(digits, DateTimeFormatter.BASIC_ISO_DATE);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /** How long since the file last changed, by the file system's clock (which wrote its modification time). */
    private static Duration unchangedFor(Path file) {
        Instant modified = modifiedAt(file);
        return modified == null ? Duration.ZERO : Duration.between(modified, Instant.now()); // gone: the next run sees
    }

    /** Takes back what the file's matching stored, and records nothing: the next run reads the file again. */
    private ReconciliationReport leaveForNextRun(String name, LocalDate date, long reportId,
            IncompleteReportException e) {
        LOG.warn("transaction report {} is not complete ({}): it is read again at the next run", name,
                e.getMessage());
        meters.counter("checkout.reconciliation.incomplete").increment();
        tx.executeWithoutResult(status -> takeBack(reportId));
        return new ReconciliationReport("RECONCILIATION_REPORT", name, date.toString(), INCOMPLETE, 0, 0,
                List.of(), e.getMessage(), now());
    }

    /** {@code fileTime}: the file's modification time when it was read (null: a name no report has). */
    private ReconciliationReport reject(String name, LocalDate date, Long reportId, MalformedReportException e,
            Instant fileTime) {
        // a reason can quote a cell of any length; the report's column keeps 2,000 characters
        String reason = StringUtils.abbreviate(e.getMessage(), MAX_REASON);
        LOG.warn("transaction report {} rejected: {}", name, reason);
        ReconciliationReport rejected = new ReconciliationReport("RECONCILIATION_REPORT", name,
                date == null ? null : date.toString(), "REJECTED", 0, 0, List.of(), reason, now());
        tx.executeWithoutResult(status -> {
            if (reportId != null) {
                takeBack(reportId);
            }
            long id = insertReport(rejected);
            if (fileTime != null) {
                jdbc.update("UPDATE reconciliation_report SET file_modified_at = ? WHERE id = ?",
                        OffsetDateTime.ofInstant(fileTime, ZoneOffset.UTC), id);
            }
            publish(rejected);
        });
        return rejected;
    }

    /**
     * The mismatches of a report that name a payment flag it, with its history: together at the end, a batch at a time
     * (the payments stay locked until the report's commit). A refund not ours is flagged as a notifyRefund or an
     * inquiry flags it ({@code REFUND_NOT_OURS}, once per refund: one an operator cleared is not flagged again), so
     * that no amount is refunded of its payment until an operator accounts for it (the return may be that refund).
     */
    private void flagPayments(long reportId, String file) {
        List<PaymentLedger.Flag> batch = new ArrayList<>();
        List<OutsideRefund> outside = new ArrayList<>();
        List<FileDispute> disputes = new ArrayList<>();
        jdbc.query(connection -> {
            PreparedStatement select = connection.prepareStatement("SELECT kind, payment_request_id, detail, "
                    + "transaction_request_id, transaction_id, transaction_type FROM reconciliation_mismatch "
                    + "WHERE report_id = ? "
                    + "AND payment_request_id IS NOT NULL ORDER BY id");
            select.setFetchSize(FETCH_SIZE);
            select.setLong(1, reportId);
            return select;
        }, (RowCallbackHandler) rs -> {
            String kind = rs.getString("kind");
            if (IN_FILE_NOT_OURS.equals(kind)) {
                String refundId = rs.getString("transaction_request_id") != null
                        ? rs.getString("transaction_request_id") : rs.getString("transaction_id");
                outside.add(new OutsideRefund(rs.getString("payment_request_id"), refundId));
                return;
            }
            String type = rs.getString("transaction_type");
            if (NOT_IN_LEDGER.equals(kind) && DISPUTES.contains(type)) {
                // for these rows Antom's transactionId is the disputeId
                disputes.add(new FileDispute(rs.getString("payment_request_id"), type, rs.getString("transaction_id"),
                        rs.getString("detail")));
                return;
            }
            batch.add(new PaymentLedger.Flag(rs.getString("payment_request_id"), "RECONCILIATION_" + kind,
                    rs.getString("detail"), "RECONCILIATION: " + kind + " in " + file));
            if (batch.size() == FETCH_SIZE) {
                ledger.flagAll(batch);
                batch.clear();
            }
        });
        ledger.flagAll(batch);
        ledger.flagAll(disputes.stream().map(d -> d.flag(file, notified(d))).toList());
        for (OutsideRefund refund : outside) {
            ledger.find(refund.paymentRequestId()).ifPresent(payment -> refundResults.flagRefundNotOurs(payment,
                    refund.refundId(), "listed in " + file + " (RECONCILIATION: " + IN_FILE_NOT_OURS
                            + "), made outside this service"));
        }
    }

    /** Whether a notifyDispute already told the ledger of this dispute (its history names the dispute's id). */
    private boolean notified(FileDispute dispute) {
        return dispute.disputeId() != null && ledger.history(dispute.paymentRequestId()).stream()
                .anyMatch(c -> DisputeHistory.notified(c.detail(), dispute.disputeId()));
    }

    /**
     * A dispute row of the file on one of our payments. Unknown to the ledger (the Dashboard's notification URL is
     * elsewhere), it flags the payment DISPUTED, as a notifyDispute would: nothing is refunded of it until an operator
     * clears the flag (RefundRules.refuseWhileDisputed). One the notifications brought is flagged as any row the
     * ledger does not keep: its operator may have settled and cleared it already.
     */
    private record FileDispute(String paymentRequestId, String type, String disputeId, String detail) {

        PaymentLedger.Flag flag(String file, boolean notified) {
            if (notified) {
                return new PaymentLedger.Flag(paymentRequestId, "RECONCILIATION_" + NOT_IN_LEDGER, detail,
                        "RECONCILIATION: " + NOT_IN_LEDGER + " in " + file);
            }
            return new PaymentLedger.Flag(paymentRequestId, RefundRules.DISPUTED, detail, RefundRules.DISPUTED + ": "
                    + type + " " + disputeId + " listed in " + file + " (RECONCILIATION: " + NOT_IN_LEDGER
                    + "); nothing is refunded of this payment until the flag is cleared");
        }
    }

    /** A refund of one of our payments that the file lists and the ledger does not keep. */
    private record OutsideRefund(String paymentRequestId, String refundId) {
    }

    /** Reports left {@code RECONCILING} by a run that stopped: taken back, so that their files run again. */
    private void forgetInterrupted() {
        for (Long reportId : jdbc.queryForList("SELECT id FROM reconciliation_report WHERE status = ?", Long.class,
                RECONCILING)) {
            LOG.warn("transaction report {} was left half-reconciled; it runs again", reportId);
            tx.executeWithoutResult(status -> takeBack(reportId));
        }
    }

    /** Deletes a report still {@code RECONCILING} and what its matching stored; one that was decided stays. */
    private void takeBack(long reportId) {
        if (!jdbc.queryForList("SELECT id FROM reconciliation_report WHERE id = ? AND status = ? FOR UPDATE",
                Long.class, reportId, RECONCILING).isEmpty()) {
            jdbc.update("DELETE FROM reconciliation_seen WHERE report_id = ?", reportId);
            jdbc.update("DELETE FROM reconciliation_mismatch WHERE report_id = ?", reportId);
            jdbc.update("DELETE FROM reconciliation_report WHERE id = ?", reportId);
        }
    }

    private void takeBackNow(long reportId, RuntimeException failure) {
        try {
            tx.executeWithoutResult(status -> takeBack(reportId));
        } catch (RuntimeException e) {
            failure.addSuppressed(e); // left RECONCILING: the next run takes it back
        }
    }

    /**
     * One file's matching: its rows against the ledger as they are read (a batch of rows looked up at once), then
     * the ledger's day against the file.
     * What it holds does not grow with the file: its mismatches are stored in batches as they are found (the first
     * ones kept for the event), and the ledger's ids that the file names go to {@code reconciliation_seen}.
     */
    private final class Matching {

        /** Rows looked up in the ledger together, rows per INSERT; what the matching holds of each at most. */
        private static final int BATCH = 1000;

        private final long reportId;
        private final List<Mismatch> listed = new ArrayList<>();
        private final List<ReportRow> pending = new ArrayList<>();
        private final List<Object[]> seen = new ArrayList<>();
        private final List<Object[]> mismatches = new ArrayList<>();
        private final Map<String, Integer> byKind = new TreeMap<>();
        private int rows;

        Matching(long reportId) {
            this.reportId = reportId;
        }

        void row(ReportRow row) {
            rows++;
            if (row.transactionStatus() == null || "SUCCESS".equals(row.transactionStatus())) {
                pending.add(row);
            }
            if (pending.size() == BATCH) {
                matchPending();
            }
        }

        /** The rows read since the last batch, against the ledger looked up for all of them at once, in file order. */
        private void matchPending() {
            Set<String> byPaymentId = ids(PAYMENTS, ReportRow::transactionId);
            // every other row names its payment by originalTransactionId (a refund made elsewhere, a dispute)
            byPaymentId.addAll(pending.stream().filter(r -> !PAYMENTS.contains(r.transactionType()))
                    .map(ReportRow::originalTransactionId).filter(Objects::nonNull).toList());
            // a cancel's own ids are its payment's (paymentId, paymentRequestId), should originalTransactionId be blank
            byPaymentId.addAll(ids(CANCELS, ReportRow::transactionId));
            Set<String> byRequestId = ids(PAYMENTS, ReportRow::transactionRequestId);
            byRequestId.addAll(ids(CANCELS, ReportRow::transactionRequestId));
            List<PaymentAttempt> attempts = ledger.findAll(byRequestId, byPaymentId);
            Map<String, PaymentAttempt> attemptByRequestId = index(attempts, PaymentAttempt::paymentRequestId);
            Map<String, PaymentAttempt> attemptByPaymentId = index(attempts, PaymentAttempt::paymentId);
            List<Refund> refundsFound = refunds.findAll(ids(REFUNDS, ReportRow::transactionRequestId),
                    ids(REFUNDS, ReportRow::transactionId));
            Map<String, Refund> refundByRequestId = index(refundsFound, Refund::refundRequestId);
            Map<String, Refund> refundById = index(refundsFound, Refund::refundId);
            for (ReportRow row : pending) {
                switch (row.transactionType()) {
                    case "PAYMENT", "AUTHORIZATION" -> {
                        Optional<PaymentAttempt> attempt = found(attemptByRequestId, row.transactionRequestId())
                                .or(() -> found(attemptByPaymentId, row.transactionId()));
                        attempt.ifPresent(a -> seen(false, a.paymentRequestId()));
                        check(row, attempt, this::mismatch,
                                a -> a.state().isPaid() || a.state() == PaymentState.CANCELLED);
                    }
                    case "CAPTURE" -> check(row, found(attemptByPaymentId, row.originalTransactionId()), this::mismatch,
                            a -> a.state() == PaymentState.CAPTURED);
                    case "CANCEL", "VOID" -> check(row, found(attemptByPaymentId, row.originalTransactionId())
                            .or(() -> found(attemptByPaymentId, row.transactionId()))
                            .or(() -> found(attemptByRequestId, row.transactionRequestId())), this::mismatch,
                            a -> a.state() == PaymentState.CANCELLED || a.state() == PaymentState.EXPIRED);
                    case "REFUND" -> {
                        Optional<Refund> refund = found(refundByRequestId, row.transactionRequestId())
                                .or(() -> found(refundById, row.transactionId()));
                        refund.ifPresent(r -> seen(true, r.refundRequestId()));
                        checkRefund(row, refund, found(attemptByPaymentId, row.originalTransactionId()),
                                this::mismatch);
                    }
                    default -> notInLedger(row, found(attemptByPaymentId, row.originalTransactionId()));
                }
            }
            pending.clear();
        }

        /**
         * A dispute, a reversal (a refund the buyer's bank returned, a payment reversed), a type the ledger does not
         * keep: the payment it names is flagged, as its money moved without the ledger knowing.
         */
        private void notInLedger(ReportRow row, Optional<PaymentAttempt> payment) {
            mismatch(new Mismatch(NOT_IN_LEDGER, row.transactionType(), row.transactionRequestId(),
                    row.transactionId(), payment.map(PaymentAttempt::paymentRequestId).orElse(null),
                    "line " + row.line() + ": " + row.transactionType() + " of " + row.amountMinor() + " "
                            + row.currency() + " on payment " + row.originalTransactionId()
                            + ", which the ledger does not keep"));
        }

        /** The ids of the pending rows of these types, as a set (of its own, to add to). */
        private Set<String> ids(Set<String> types, Function<ReportRow, String> id) {
            return pending.stream().filter(r -> types.contains(r.transactionType())).map(id)
                    .filter(Objects::nonNull).collect(Collectors.toCollection(HashSet::new));
        }

        /**
         * Marks what the file named, then adds what the ledger has on the file's day that no file of the day named
         * ({@code dayCheck}: the day's last part; an earlier part leaves that to it), stores the last mismatches, and
         * forgets the file's ids.
         */
        void finish(LocalDate date, boolean dayCheck) {
            matchPending();
            flushSeen();
            markNamed(date);
            if (dayCheck) {
                OffsetDateTime from = date.atStartOfDay().atOffset(ANTOM_DAY);
                checkDay(from, from.plusDays(1));
            }
            flushMismatches();
            jdbc.update("DELETE FROM reconciliation_seen WHERE report_id = ?", reportId);
        }

        /** What the ledger has on the day and no file of it named: OURS_NOT_IN_FILE. */
        private void checkDay(OffsetDateTime from, OffsetDateTime to) {
            notSeen("SELECT refund_request_id, refund_id, payment_request_id, refunded_at, amount_value, currency "
                    + "FROM refund r WHERE refunded_at >= ? AND refunded_at < ? AND state IN ("
                    + RefundState.sqlList(RefundState::isTakenByAntom) + ") AND r.reconciled_on IS NULL AND NOT "
                    + "EXISTS (SELECT 1 FROM reconciliation_seen s WHERE s.report_id = ? AND s.refund = TRUE AND "
                    + "s.request_id = r.refund_request_id) ORDER BY refunded_at", from, to, rs -> mismatch(new Mismatch(
                            "OURS_NOT_IN_FILE", "REFUND", rs.getString("refund_request_id"), rs.getString("refund_id"),
                            rs.getString("payment_request_id"), "refunded " + rs.getObject("refunded_at",
                                    OffsetDateTime.class) + " (" + rs.getLong("amount_value") + " "
                                    + rs.getString("currency") + "), not reported")));
            notSeen("SELECT payment_request_id, payment_id, paid_at, state FROM payment_attempt a WHERE paid_at >= ? "
                    + "AND paid_at < ? AND a.reconciled_on IS NULL AND NOT EXISTS (SELECT 1 FROM reconciliation_seen s "
                    + "WHERE s.report_id = ? AND s.refund = FALSE AND s.request_id = a.payment_request_id) "
                    + "ORDER BY paid_at", from, to, rs -> {
                        String id = rs.getString("payment_request_id");
                        mismatch(new Mismatch("OURS_NOT_IN_FILE", "PAYMENT", id, rs.getString("payment_id"), id,
                                "paid " + rs.getObject("paid_at", OffsetDateTime.class) + " ("
                                        + rs.getString("state") + "), not reported"));
                    });
        }

        /**
         * Marks (reconciled_on) every payment and refund the file named, so that no other report counts them missing:
         * Antom dates a payment or refund by its own clock, the ledger by when it heard (a notification just after
         * midnight, a janitor's inquiry hours later), so the report of the ledger's day may not name it; and a day
         * Antom splits into parts names each payment in one of them. A page of ids at a time, each its own short
         * statement (a large day names millions), rows marked already left alone (a file read again).
         */
        private void markNamed(LocalDate date) {
            markNamed(date, false, "payment_attempt", "payment_request_id");
            markNamed(date, true, "refund", "refund_request_id");
        }

        private void markNamed(LocalDate date, boolean refund, String table, String idColumn) {
            String after = "";
            while (true) {
                // the page's last id, in ix_reconciliation_seen's order (report_id, refund, request_id)
                String last = jdbc.queryForObject("SELECT max(request_id) FROM (SELECT request_id FROM "
                        + "reconciliation_seen WHERE report_id = ? AND refund = ? AND request_id > ? "
                        + "ORDER BY request_id LIMIT " + MARK_PAGE + ") page", String.class, reportId, refund, after);
                if (last == null) {
                    return;
                }
                jdbc.update("UPDATE " + table + " SET reconciled_on = ? WHERE " + idColumn + " IN (SELECT request_id "
                        + "FROM reconciliation_seen WHERE report_id = ? AND refund = ? AND request_id > ? "
                        + "AND request_id <= ?) AND reconciled_on IS DISTINCT FROM ?",
                        date, reportId, refund, after, last, date);
                after = last;
            }
        }

        /** The mismatches found so far. */
        int count() {
            return byKind.values().stream().mapToInt(Integer::intValue).sum();
        }

        private void seen(boolean refund, String requestId) {
            seen.add(new Object[] {reportId, refund, requestId});
            if (seen.size() == BATCH) {
                flushSeen();
            }
        }

        private void flushSeen() {
            jdbc.batchUpdate("INSERT INTO reconciliation_seen (report_id, refund, request_id) VALUES (?, ?, ?)", seen);
            seen.clear();
        }

        /** Stores a mismatch (in batches), keeping the first ones for the event; its payment is flagged at the end. */
        private void mismatch(Mismatch mismatch) {
            if (listed.size() < MAX_LISTED) {
                listed.add(mismatch);
            }
            mismatches.add(new Object[] {reportId, mismatch.kind(), mismatch.transactionType(),
                mismatch.transactionRequestId(), mismatch.transactionId(), mismatch.paymentRequestId(),
                mismatch.detail()});
            if (mismatches.size() == BATCH) {
                flushMismatches();
            }
            byKind.merge(mismatch.kind(), 1, Integer::sum);
        }

        private void flushMismatches() {
            jdbc.batchUpdate("INSERT INTO reconciliation_mismatch (report_id, kind, transaction_type, "
                    + "transaction_request_id, transaction_id, payment_request_id, detail) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?)", mismatches);
            mismatches.clear();
        }

        /**
         * The rows of the ledger's day that the file did not name, read through a cursor: PostgreSQL's driver would
         * otherwise fetch a whole day at once, and only inside a transaction does it honour the fetch size. The
         * payments' day is found by a scan ({@code paid_at} has no index: one would cost the order path an index
         * entry per write, for a query run once a day), which on a large ledger outlasts the pool's socketTimeout:
         * this connection waits longer, until the pool resets it.
         */
        private void notSeen(String sql, OffsetDateTime from, OffsetDateTime to, RowCallbackHandler each) {
            tx.executeWithoutResult(status -> jdbc.query(connection -> {
                connection.setNetworkTimeout(Runnable::run, (int) DAY_SCAN_TIMEOUT.toMillis());
                PreparedStatement select = connection.prepareStatement(sql);
                select.setFetchSize(FETCH_SIZE);
                select.setObject(1, from);
                select.setObject(2, to);
                select.setLong(3, reportId);
                return select;
            }, each));
            flushMismatches();
        }
    }

    private static <T> Map<String, T> index(List<T> found, Function<T, String> key) {
        Map<String, T> byKey = new HashMap<>();
        for (T each : found) {
            String k = key.apply(each);
            if (k != null) {
                byKey.putIfAbsent(k, each);
            }
        }
        return byKey;
    }

    private static <T> Optional<T> found(Map<String, T> byKey, String key) {
        return key == null ? Optional.empty() : Optional.ofNullable(byKey.get(key));
    }

    private void check(ReportRow row, Optional<PaymentAttempt> found, Consumer<Mismatch> out,
            java.util.function.Predicate<PaymentAttempt> expectedState) {
        if (found.isEmpty()) {
            out.accept(new Mismatch(IN_FILE_NOT_OURS, row.transactionType(), row.transactionRequestId(),
                    row.transactionId(), null, "line " + row.line() + ": no such payment in the ledger"));
            return;
        }
        PaymentAttempt attempt = found.get();
        // the amount whichever sign the file gives it (a cancel's or a void's may be written as money going back)
        if (attempt.amountValue() != Math.abs(row.amountMinor()) || !attempt.currency().equals(row.currency())) {
            out.accept(new Mismatch("AMOUNT_DIFFERS", row.transactionType(), row.transactionRequestId(),
                    row.transactionId(), attempt.paymentRequestId(), "file " + row.amountMinor() + " " + row.currency()
                            + ", ledger " + attempt.amountValue() + " " + attempt.currency()));
        }
        if (!expectedState.test(attempt)) {
            out.accept(new Mismatch("STATUS_DIFFERS", row.transactionType(), row.transactionRequestId(),
                    row.transactionId(), attempt.paymentRequestId(), "file " + row.transactionType() + " SUCCESS, ledger "
                            + attempt.state()));
        }
    }

    /**
     * A REFUND row against the refund it names: it must exist, taken by Antom (REFUNDED, or ACCEPTED while its final
     * result is on its way), with the same amount.
     */
    private static void checkRefund(ReportRow row, Optional<Refund> found, Optional<PaymentAttempt> payment,
            Consumer<Mismatch> out) {
        if (found.isEmpty()) {
            // made outside this service (Antom's Dashboard, say): its payment is flagged, so the order is not shipped
            // or refunded again as if its money were all there
            out.accept(new Mismatch(IN_FILE_NOT_OURS, row.transactionType(), row.transactionRequestId(),
                    row.transactionId(), payment.map(PaymentAttempt::paymentRequestId).orElse(null),
                    "line " + row.line() + ": no such refund in the ledger"
                            + (payment.isPresent() ? ", on payment " + row.originalTransactionId() : "")));
            return;
        }
        Refund refund = found.get();
        // the refunded amount, whichever sign the file gives it
        if (refund.amountValue() != Math.abs(row.amountMinor()) || !refund.currency().equals(row.currency())) {
            out.accept(new Mismatch("AMOUNT_DIFFERS", row.transactionType(), row.transactionRequestId(),
                    row.transactionId(), refund.paymentRequestId(), "file " + row.amountMinor() + " " + row.currency()
                            + ", ledger refund " + refund.amountValue() + " " + refund.currency()));
        }
        if (!refund.state().isTakenByAntom()) {
            out.accept(new Mismatch("STATUS_DIFFERS", row.transactionType(), row.transactionRequestId(),
                    row.transactionId(), refund.paymentRequestId(), "file REFUND SUCCESS, ledger refund "
                            + refund.state()));
        }
    }

    private long insertReport(ReconciliationReport report) {
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        jdbc.update(c -> {
            var s = c.prepareStatement("INSERT INTO reconciliation_report (file_name, report_date, status, rows_read, "
                    + "mismatches, reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)", new String[] {"id"});
            s.setString(1, report.file());
            s.setObject(2, report.date() == null ? null : LocalDate.parse(report.date()));
            s.setString(3, report.status());
            s.setInt(4, report.rows());
            s.setInt(5, report.mismatchCount());
            s.setString(6, report.reason());
            s.setObject(7, OffsetDateTime.now(clock));
            return s;
        }, key);
        return key.getKey().longValue();
    }

    private void publish(ReconciliationReport report) {
        // keyed by the file's name, cut to the outbox's 128 characters: only a name Antom never gives is longer
        outbox.append(new OutboxMessage(destination, StringUtils.truncate(report.file(), 128), event(report)));
    }

    private List<Path> pending() {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        Set<String> done = new HashSet<>(jdbc.queryForList("SELECT file_name FROM reconciliation_report",
                String.class));
        // a rejected report replaced since (a good copy put in its place: another modification time) is read again
        Map<String, Instant> rejectedCopy = new HashMap<>();
        jdbc.query("SELECT file_name, file_modified_at FROM reconciliation_report WHERE status = 'REJECTED' "
                + "AND file_modified_at IS NOT NULL", rs -> {
                    rejectedCopy.put(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant());
                });
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> p.getFileName().toString().startsWith("transactionItems_"))
                    .filter(p -> !done.contains(p.getFileName().toString())
                            || replaced(p, rejectedCopy.get(p.getFileName().toString())))
                    .sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + directory.toAbsolutePath(), e);
        }
    }

    /** Whether the file is another copy than the rejected one read at {@code rejectedCopy} (null: none rejected). */
    private static boolean replaced(Path file, Instant rejectedCopy) {
        Instant now = modifiedAt(file);
        return rejectedCopy != null && now != null && !now.equals(rejectedCopy);
    }

    /** The file's modification time, to the microsecond the databases keep; null when it is gone. */
    private static Instant modifiedAt(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        } catch (IOException e) {
            return null;
        }
    }

    /** The report as published: its first mismatches, at most MAX_LISTED and as many as fit MAX_EVENT_CHARS. */
    private String event(ReconciliationReport report) {
        int listed = Math.min(report.mismatches().size(), MAX_LISTED);
        String event = write(report.listing(listed));
        while (event.length() > MAX_EVENT_CHARS && listed > 0) {
            listed /= 2;
            event = write(report.listing(listed));
        }
        return event;
    }

    private String write(ReconciliationReport report) {
        try {
            return json.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private String now() {
        return AntomTime.format(OffsetDateTime.now(clock));
    }
}
