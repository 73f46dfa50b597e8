package com.checkoutroutes.keyordered;

import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The offsets of one partition handed to the lanes by one consumer generation, and how far they may be committed:
 * up to (not past) the lowest record not yet finished. Records finish out of order; a finished record above an
 * unfinished one waits until the gap fills. A record that keeps failing is never finished, so the commit stays below
 * it. Once {@link #revoke() revoked} (the partition went to another consumer, or this consumer was replaced) the
 * tracker never offers a commit again: its records are read again by the new owner. Before a partition leaves, the
 * tracker is {@link #close() closed}: no record of it starts a send any more, those being sent end and are committed.
 * Thread-safe: the consumer thread registers and commits, the workers finish.
 */
public final class OffsetTracker {

    /** Registered and not finished. */
    private final TreeSet<Long> pending = new TreeSet<>();
    private long highestRegistered = -1;
    /** The next offset to read that Kafka has been told (committed position), or -1 before the first commit. */
    private long committed = -1;
    private boolean revoked;
    /** No record starts a send any more (its partition is leaving). */
    private boolean closed;
    /** Records being sent now (a worker between {@link #beginSend()} and {@link #endSend()}). */
    private int sending;

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

    /** For tests: the lanes ask {@link #beginSend()}. */
    synchronized boolean isRevoked() {
        return revoked;
    }

    /** A worker is about to send one of the records: false once closed or revoked (the record is read again). */
    public synchronized boolean beginSend() {
        if (closed || revoked) {
            return false;
        }
        sending++;
        return true;
    }

    /** The send begun has ended, finished or not. */
    public synchronized void endSend() {
        sending--;
        if (sending == 0) {
            notifyAll();
        }
    }

    /** From now on no record starts a send; what is due can still be committed. */
    public synchronized void close() {
        closed = true;
    }

    /** Waits until no record is being sent, at most until {@code deadlineNanos}; returns how many still are. */
    public synchronized int awaitSends(long deadlineNanos) throws InterruptedException {
        while (sending > 0) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                break;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return sending;
    }

    /** Registered and not finished. */
    public synchronized int unfinished() {
        return pending.size();
    }
}
