package com.checkoutroutes.ledger;

import java.util.List;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The outbox split by message key (the orderId for payment events and channel messages) into a fixed number of
 * shards, each guarded by a PostgreSQL transaction-scoped advisory lock: whoever holds a shard's lock is the only
 * instance publishing that shard's events until its transaction ends (or its connection dies with it). All events
 * of one order fall in one shard, whatever their destination. PostgreSQL only.
 * <p>
 * Why advisory locks rather than a single active publisher: every instance keeps publishing (shards spread over
 * them batch by batch), no lease table or heartbeat to tune, and take-over after a crash is as fast as PostgreSQL
 * notices the dead connection.
 */
final class OutboxShards {

    /** The first key of the two-key advisory locks: keeps the outbox's locks apart from any others. */
    private static final int LOCK_SPACE = 0x0B0C5;

    private final JdbcTemplate jdbc;
    private final int count;

    OutboxShards(JdbcTemplate jdbc, int count) {
        this.jdbc = jdbc;
        this.count = count;
    }

    /**
     * Locks (until the caller's transaction ends) the shards of the oldest {@code pending} unpublished events that
     * no other transaction holds, and returns them. Only shards with work are taken, so instances publishing at
     * once split the shards between them instead of one taking all; the caller reads the rows afterwards, in a
     * statement that sees what the shards' previous owners marked.
     */
    List<Integer> lockPending(int pending) {
        return jdbc.queryForList("SELECT shard FROM (SELECT DISTINCT " + shardOf() + " AS shard FROM ("
                        + "SELECT message_key FROM outbox_event WHERE published_at IS NULL ORDER BY id LIMIT ?) "
                        + "AS oldest) AS busy WHERE pg_try_advisory_xact_lock(?, shard)",
                Integer.class, pending, LOCK_SPACE);
    }

    /** A SQL condition on {@code outbox_event} selecting the rows of these shards (their numbers are ours). */
    String rowFilter(List<Integer> shards) {
        return shardOf() + " IN (" + shards.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")";
    }

    /** A row's shard: hashtext is PostgreSQL's stable string hash, shifted to 0..2^32-1 so it is never negative. */
    private String shardOf() {
        return "CAST(mod(hashtext(COALESCE(message_key, ''))::bigint + 2147483648, " + count + ") AS INTEGER)";
    }
}
