package com.checkoutroutes.keyordered;

import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * The offsets of one partition handed to the lanes by one consumer generation, and how far they may be committed:
 * up to (not past) the lowest record not yet finished. Records finish out of order; a finished record above an
 * unfinished one waits until the gap fills. A record that keeps failing is never finished, so the commit stays below
 * it. Once {@link #revoke() revoked} (the partition went to another consumer, or this consumer was replaced) the
 * tracker never offers a commit again: its records are read again by the new owner.
 * Thread-safe: the consumer thread registers and commits, the workers finish.
 */
public final class OffsetTracker {

    /** Registered and not finished. */
    private final TreeSet<Long> pending = new TreeSet<>();
    private long highestRegistered = -1;
    /** The next offset to read that Kafka has been told (committed position), or -1 before the first commit. */
    private long committed = -1;
    private boolean revoked;

    /** A record was handed over (consumer thread). Offsets must increase; see {@link #isBehind(long)}. */
    public synchronized void register(long offset) {
        if (offset <= highestRegistered) {
            throw new IllegalArgumentException("offset " + offset + " is not after " + highestRegistered);
        }
        pending.add(offset);
        highestRegistered = offset;
    }

    /** True when this offset was registered before: the consumer was rewound and reads records again. */
    public synchronized boolean isBehind(long offset) {
        return offset <= highestRegistered;
    }

    /** The record is durable: its outcome recorded, or it was dead-lettered (a worker). */
    public synchronized void finish(long offset) {
        pending.remove(offset);
    }

    /** The offset to commit now (Kafka's "next offset to read"), if it moved since the last commit. */
    public synchronized OptionalLong due() {
        if (revoked || highestRegistered < 0) {
            return OptionalLong.empty();
        }
        long next = pending.isEmpty() ? highestRegistered + 1 : pending.first();
        return next > committed ? OptionalLong.of(next) : OptionalLong.empty();
    }

    /** Kafka accepted a commit of {@code next} (consumer thread). */
    public synchronized void committed(long next) {
        committed = Math.max(committed, next);
    }

    /** The partition is no longer this tracker's: nothing more is committed for it. */
    public synchronized void revoke() {
        revoked = true;
    }

    public synchronized boolean isRevoked() {
        return revoked;
    }

    /** Registered and not finished. */
    public synchronized int unfinished() {
        return pending.size();
    }
}
