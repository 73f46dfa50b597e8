package com.checkoutroutes.ledger;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Time-fenced ownership of the outbox's {@link OutboxShards shards} (issue 19): an instance publishes a shard only
 * under a lease it committed first, and another instance takes a shard over only once every send its last owner may
 * have started is over, even if that owner was SIGKILLed, or cut off from PostgreSQL while still alive, with sends on
 * their way to Kafka. (A lock that ends with the owner's connection, as the advisory locks before this did, lets the
 * next owner send while the old owner's last send is still in its Kafka producer: version 1 then landed after 2.)
 * <p>
 * The rule. The hand-over is judged on the database's clock, an instance's own sends on its monotonic clock:
 * <ul>
 * <li>claim, in a statement committed before any send: {@code fenced_until = now() + lease} on the shards with
 * pending events that are free (released, past their {@code fenced_until}, or this instance's already);</li>
 * <li>the claimer starts sends only within {@code (lease - max-send-time) / 2} of the moment it sent the claim (so
 * before the database's {@code now()} plus that); a send started then is over, written or given up, within
 * {@code max-send-time} (Kafka: {@code max.block.ms + delivery.timeout.ms}), before {@code fenced_until} less the
 * other half, which is the margin for a pause between the check and the send and for clock rates;</li>
 * <li>release: {@code fenced_until = NULL} in the transaction that marks the batch published, on the shards whose
 * every send was acknowledged: the next owner starts at once. A failed or unanswered send keeps its shard's fence
 * (the relay keeps it for {@code max-send-time} after the failure, also through batches that leave the failed
 * order's events out while they wait);</li>
 * <li>an owner that dies or loses the database leaves {@code fenced_until} set; after it another instance claims
 * the shard and sends what was not marked, after everything the old owner sent.</li>
 * </ul>
 * An instance re-claims its own shards at once: its sends go through the same producers, which keep them in order.
 * Why leases rather than Kafka transactions (a {@code transactional.id} per shard, whose {@code initTransactions}
 * fences the old producer): a Camel endpoint has one producer, not one per shard; every consumer, the order
 * system's included, would have to read {@code read_committed}; and an HTTP channel could not take part. The cost
 * is time: a crashed owner's shards wait up to {@code lease}, and the fence assumes a send Kafka gave up on does not
 * land later than the margin (a broker holding a request that long).
 */
final class ShardLeases {

    private final JdbcTemplate jdbc;
    private final OutboxShards shards;
    private final String owner;
    private final double leaseSeconds;
    private final long sendWindowNanos;
    /** This JVM's monotonic clock, {@link System#nanoTime()}; a test's own, so that a slow send takes no real time. */
    private final LongSupplier nanoTime;
    private final String claim;
    /** {@link #claim}, leaving out the events of keys held back ({@code message_key = ANY (?)}). */
    private final String claimNotHeld;

    ShardLeases(JdbcTemplate jdbc, OutboxShards shards, Duration lease, Duration maxSendTime, LongSupplier nanoTime) {
        if (lease.compareTo(maxSendTime) <= 0) {
            throw new IllegalArgumentException("the lease (" + lease + ") must be longer than max-send-time ("
                    + maxSendTime + ")");
        }
        this.jdbc = jdbc;
        this.shards = shards;
        this.nanoTime = nanoTime;
        // pid@host (which instance holds a shard, for operators) and a suffix unique to this relay
        this.owner = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
        this.leaseSeconds = lease.toMillis() / 1000.0;
        this.sendWindowNanos = lease.minus(maxSendTime).dividedBy(2).toNanos();
        String free = "(owner = ? OR fenced_until IS NULL OR fenced_until <= now())";
        // the shards of the oldest pending events among the free shards (a fenced shard's backlog does not hide the
        // others), each locked without waiting and checked again under its lock, then claimed
        this.claim = claimSql(free, "");
        // nor does the backlog of an order whose events the relay holds back after a failed send: its oldest events
        // would be all a claim found, and the other shards' waited for as long as its destination failed
        this.claimNotHeld = claimSql(free, " AND NOT (COALESCE(message_key, '') = ANY (?))");
        jdbc.update("INSERT INTO outbox_shard_lease (shard) SELECT generate_series(0, ?) ON CONFLICT (shard) DO NOTHING",
                shards.count() - 1);
    }

    private String claimSql(String free, String notHeld) {
        return "UPDATE outbox_shard_lease SET owner = ?, fenced_until = now() + make_interval(secs => ?) "
                + "WHERE shard IN (SELECT shard FROM outbox_shard_lease WHERE " + free + " AND shard IN ("
                + "SELECT DISTINCT shard FROM (SELECT " + shards.shardOf() + " AS shard FROM outbox_event "
                + "WHERE published_at IS NULL AND " + shards.shardOf() + " IN (SELECT shard FROM outbox_shard_lease "
                + "WHERE " + free + ")" + notHeld + " ORDER BY id LIMIT ?) AS oldest) ORDER BY shard "
                + "FOR UPDATE SKIP LOCKED) RETURNING shard";
    }

    /** This relay's name in {@code outbox_shard_lease.owner}. */
    String owner() {
        return owner;
    }

    /**
     * Claims for one batch the free shards of the oldest {@code pending} unpublished events, in a statement of its
     * own that is committed when this returns (call it outside a transaction). Empty: nothing pending, or every
     * pending event is in a shard another instance holds.
     */
    Claim claim(int pending, List<String> heldBack) {
        long sentAt = nanoTime.getAsLong(); // before the statement, so never after the database's now() for it
        List<Integer> claimed = heldBack.isEmpty()
                ? jdbc.queryForList(claim, Integer.class, owner, leaseSeconds, owner, owner, pending)
                : jdbc.queryForList(claimNotHeld, Integer.class, owner, leaseSeconds, owner, owner,
                        heldBack.toArray(String[]::new), pending);
        return new Claim(claimed, sentAt + sendWindowNanos, nanoTime);
    }

    /**
     * Hands the claimed shards back at once, in the caller's transaction (the one that marks what was sent), but for
     * those in {@code keep}: the shards with a send that failed or was not acknowledged, whose fence stands until it
     * expires (the send may still land).
     */
    void release(Claim claim, java.util.Set<Integer> keep) {
        List<Integer> free = claim.shards().stream().filter(shard -> !keep.contains(shard)).toList();
        if (!free.isEmpty()) {
            jdbc.update("UPDATE outbox_shard_lease SET fenced_until = NULL WHERE owner = ? AND shard IN ("
                    + free.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")", owner);
        }
    }

    /** A SQL expression giving an {@code outbox_event} row's shard. */
    String shardOf() {
        return shards.shardOf();
    }

    /** A SQL condition on {@code outbox_event} selecting the rows of the claimed shards. */
    String rowFilter(Claim claim) {
        return shards.rowFilter(claim.shards());
    }

    /** The shards one batch may publish, and until when (on the leases' {@code nanoTime}) it may start sends. */
    record Claim(List<Integer> shards, long sendUntilNanos, LongSupplier nanoTime) {

        boolean isEmpty() {
            return shards.isEmpty();
        }

        /** Whether a send may still start: past this, the rest of the batch waits for the next claim. */
        boolean maySend() {
            return nanoTime.getAsLong() - sendUntilNanos < 0;
        }
    }
}
