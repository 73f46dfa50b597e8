package com.checkoutroutes.console;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Settlement reconciliation as the console shows it: each report file with its outcome, and its mismatches. */
@Component
public class Reconciliations {

    private final JdbcTemplate jdbc;

    public Reconciliations(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public record Report(long id, String fileName, String reportDate, String status, int rowsRead, int mismatches,
            String reason, OffsetDateTime createdAt) {
    }

    /** One mismatch, with the order of the payment it names (null when the ledger has no such payment). */
    public record Mismatch(String kind, String transactionType, String transactionRequestId, String transactionId,
            String paymentRequestId, String orderId, String detail) {
    }

    public List<Report> recent(int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM reconciliation_report ORDER BY id DESC LIMIT ?",
                (rs, i) -> report(rs), limit);
    }

    public Optional<Report> find(long id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM reconciliation_report WHERE id = ?", (rs, i) -> report(rs), id)
                .stream().findFirst();
    }

    public List<Mismatch> mismatches(long reportId, int limit) {
        return jdbc.query("SELECT m.kind, m.transaction_type, m.transaction_request_id, m.transaction_id, "
                        + "m.payment_request_id, a.order_id, m.detail FROM reconciliation_mismatch m "
                        + "LEFT JOIN payment_attempt a ON a.payment_request_id = m.payment_request_id "
                        + "WHERE m.report_id = ? ORDER BY m.id LIMIT ?",
                (rs, i) -> new Mismatch(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7)), reportId, limit);
    }

    private static final String COLUMNS = "id, file_name, report_date, status, rows_read, mismatches, reason, created_at";

    private static Report report(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Report(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                rs.getInt(6), rs.getString(7), rs.getObject(8, OffsetDateTime.class));
    }
}
