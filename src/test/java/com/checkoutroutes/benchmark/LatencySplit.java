package com.checkoutroutes.benchmark;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Where a phase's order -> continuation latency went, from the ledger's own timestamps: sent -> attempt stored
 * (Kafka, the lane, the group commit's queue), stored -> outcome written (Antom's answer, the attempt's commit),
 * outcome -> published (the outcome's commit, the outbox relay, Kafka's ack), published -> arrived (the reader's
 * fetch). Percentiles of each stage on their own; they do not add up to the total's.
 */
final class LatencySplit {

    private static final String[] STAGES = {"sentToAttemptStored", "storedToOutcomeWritten",
            "outcomeToPublished", "publishedToArrived"};

    private LatencySplit() {
    }

    static Map<String, Object> of(OrderLoad.Sent sent, Arrivals arrivals, JdbcTemplate jdbc, String destination) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < sent.orderIds().size(); i++) {
            index.put(sent.orderIds().get(i), i);
        }
        List<long[]> stages = new ArrayList<>();
        jdbc.query(con -> {
            PreparedStatement statement = con.prepareStatement("SELECT a.order_id, a.created_at, o.created_at, "
                    + "o.published_at FROM payment_attempt a JOIN outbox_event o ON o.message_key = a.order_id "
                    + "AND o.destination = ? WHERE a.order_id = ANY (?) AND o.published_at IS NOT NULL");
            statement.setString(1, destination);
            statement.setArray(2, con.createArrayOf("varchar", sent.orderIds().toArray()));
            return statement;
        }, (ResultSet rs) -> {
                    Integer i = index.get(rs.getString(1));
                    Long arrived = i == null ? null : arrivals.arrival(sent.orderIds().get(i));
                    if (arrived == null) {
                        return;
                    }
                    long sentAt = sent.wallMicros(sent.sentNanos()[i]);
                    long stored = micros(rs.getObject(2, OffsetDateTime.class));
                    long outcome = micros(rs.getObject(3, OffsetDateTime.class));
                    long published = micros(rs.getObject(4, OffsetDateTime.class));
                    stages.add(new long[] {stored - sentAt, outcome - stored, published - outcome,
                            sent.wallMicros(arrived) - published});
                });
        Map<String, Object> split = new LinkedHashMap<>();
        split.put("orders", stages.size());
        for (int s = 0; s < STAGES.length; s++) {
            int stage = s;
            long[] sorted = stages.stream().mapToLong(v -> v[stage]).sorted().toArray();
            split.put(STAGES[s], Map.of("p50Ms", millis(sorted, 0.50), "p99Ms", millis(sorted, 0.99)));
        }
        return split;
    }

    private static long micros(OffsetDateTime time) {
        return ChronoUnit.MICROS.between(OffsetDateTime.parse("1970-01-01T00:00Z"), time);
    }

    private static double millis(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int at = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(quantile * sorted.length) - 1));
        return Math.round(sorted[at] / 100d) / 10d;
    }
}
