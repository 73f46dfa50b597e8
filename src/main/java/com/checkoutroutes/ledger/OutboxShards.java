package com.checkoutroutes.ledger;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The outbox split by message key (the orderId for payment events and channel messages) into a fixed number of
 * shards: all events of one order fall in one shard, whatever their destination, and a shard is published by one
 * instance at a time ({@link ShardLeases}). PostgreSQL only.
 */
final class OutboxShards {

    private final int count;

    OutboxShards(int count) {
        this.count = count;
    }

    int count() {
        return count;
    }

    /** A SQL condition on {@code outbox_event} selecting the rows of these shards (their numbers are ours). */
    String rowFilter(List<Integer> shards) {
        return shardOf() + " IN (" + shards.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")";
    }

    /**
     * An {@code outbox_event} row's shard: hashtext is PostgreSQL's stable string hash, shifted to 0..2^32-1 so it is
     * never negative.
     */
    String shardOf() {
        return "CAST(mod(hashtext(COALESCE(message_key, ''))::bigint + 2147483648, " + count + ") AS INTEGER)";
    }
}
