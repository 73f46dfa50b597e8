package com.checkoutroutes.benchmark;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
            String orderId = rs.getString(1);
            Integer i = index.get(orderId);
            Long arrived = arrivals.arrival(orderId);
            if (i == null || arrived == null) {
                return;
            }
            long sentAt = sent.wallMicros(sent.sentNanos()[i]);
            long stored = micros(rs, 2);
            long outcome = micros(rs, 3);
            long published = micros(rs, 4);
            stages.add(new long[] {stored - sentAt, outcome - stored, published - outcome,
                    sent.wallMicros(arrived) - published});
        });
        Map<String, Object> split = new LinkedHashMap<>();
        split.put("orders", stages.size());
        for (int s = 0; s < STAGES.length; s++) {
            int stage = s;
            // OrderLoad's percentiles take nanoseconds
            long[] sorted = stages.stream().mapToLong(v -> TimeUnit.MICROSECONDS.toNanos(v[stage])).sorted().toArray();
            split.put(STAGES[s], Map.of("p50Ms", OrderLoad.millis(sorted, 0.50),
                    "p99Ms", OrderLoad.millis(sorted, 0.99)));
        }
        return split;
    }

    private static long micros(ResultSet rs, int column) throws SQLException {
        return OrderLoad.epochMicros(rs.getObject(column, OffsetDateTime.class).toInstant());
    }
}
