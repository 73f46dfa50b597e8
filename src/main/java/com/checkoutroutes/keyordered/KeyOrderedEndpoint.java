package com.checkoutroutes.keyordered;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** The options of {@code key-ordered:}; see {@link KeyOrderedLanes} for what they change. */
public class KeyOrderedEndpoint extends DefaultEndpoint {

    private final KeyOrderedLanes lanes;
    /** Where each record goes, e.g. {@code direct:order-payment}. */
    private String to;
    /** Records accepted and not finished, and the most running at once. 1 = sequential, on the consumer thread. */
    private int maxInFlight = 1;
    /** Records run on virtual threads (Java 21+); false, or before Java 21: a pool of maxInFlight platform threads. */
    private boolean virtualThreads = true;
    /**
     * The first record after a start runs alone, the others once it has run once: the classes its path loads lazily
     * are loaded by one thread, not by many virtual threads at once (which can deadlock the lanes: KeyOrderedLanes).
     */
    private boolean warmUp = true;
    /** Pause before a record that ended with an exception is sent again (its key waits). */
    private long retryDelay = 1000;
    /** On stop, how long running records get to finish; the rest are read again. */
    private long shutdownTimeout = 20_000;
    /**
     * When a rebalance takes a partition away, how long its records being sent get to end (they are then committed,
     * and their new owner reads on after them); one still being sent after that is read again by the new owner.
     * Kafka's poll waits for it (on the consumer thread), well within max.poll.interval.ms.
     */
    private long revokeTimeout = 20_000;
    /** How long one offset commit (on the consumer thread) may take. */
    private long commitTimeout = 5_000;
    /**
     * The least time, in ms, between two offset commits of one consumer; 0 = after every poll. Each commit is a
     * round trip to the broker and a write to its offsets log, made on the consumer thread.
     */
    private long commitInterval;

    KeyOrderedEndpoint(String uri, KeyOrderedComponent component, KeyOrderedLanes lanes) {
        super(uri, component);
        this.lanes = lanes;
    }

    @Override
    public Producer createProducer() {
        return new KeyOrderedProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("key-ordered: is a step (to:), not a route's from:");
    }

    KeyOrderedLanes lanes() {
        return lanes;
    }

    public String getTo() {
        return to;
    }

    public void setTo(String to) {
        this.to = to;
    }

    public int getMaxInFlight() {
        return maxInFlight;
    }

    public void setMaxInFlight(int maxInFlight) {
        this.maxInFlight = maxInFlight;
    }

    public boolean isVirtualThreads() {
        return virtualThreads;
    }

    public void setVirtualThreads(boolean virtualThreads) {
        this.virtualThreads = virtualThreads;
    }

    public boolean isWarmUp() {
        return warmUp;
    }

    public void setWarmUp(boolean warmUp) {
        this.warmUp = warmUp;
    }

    public long getRetryDelay() {
        return retryDelay;
    }

    public void setRetryDelay(long retryDelay) {
        this.retryDelay = retryDelay;
    }

    public long getShutdownTimeout() {
        return shutdownTimeout;
    }

    public void setShutdownTimeout(long shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    public long getRevokeTimeout() {
        return revokeTimeout;
    }

    public void setRevokeTimeout(long revokeTimeout) {
        this.revokeTimeout = revokeTimeout;
    }

    public long getCommitTimeout() {
        return commitTimeout;
    }

    public void setCommitTimeout(long commitTimeout) {
        this.commitTimeout = commitTimeout;
    }

    public long getCommitInterval() {
        return commitInterval;
    }

    public void setCommitInterval(long commitInterval) {
        this.commitInterval = commitInterval;
    }
}
