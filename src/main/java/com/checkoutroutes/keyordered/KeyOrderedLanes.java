package com.checkoutroutes.keyordered;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import com.checkoutroutes.platform.InfrastructureFailures;
import com.checkoutroutes.platform.LogIds;
import com.checkoutroutes.platform.QuietLog;
import com.checkoutroutes.platform.VirtualThreads;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.errorhandler.KafkaConsumerListener;
import org.apache.camel.component.kafka.consumer.support.ProcessingResult;
import org.apache.camel.resume.ConsumerListenerAware;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Key-ordered, bounded, concurrent processing of the records of a Kafka route, with commits that never pass a record
 * not yet finished. Two halves, both plain Camel:
 * <ul>
 * <li>the {@code key-ordered:<name>} endpoint hands each record (on the Kafka consumer thread) to a lane per record
 * key; each lane runs on a virtual thread of its own (Java 21+; on Java 17 a pool of {@code maxInFlight} platform
 * threads), at most {@code maxInFlight} records at once (a semaphore, not the size of a pool), one record of a key at a
 * time in offset order, different keys at once. A record waiting for Antom or the database parks its virtual thread
 * and holds no platform thread, so the bound can be in the hundreds. Each record is sent to the {@code to} endpoint
 * (a {@code direct:} route); one that ends with an exception
 * (the route's error handler left it unhandled: database or Kafka in trouble) is sent again after {@code retryDelay},
 * in place, and the records of its key wait behind it;</li>
 * <li>this object is also the route's consumer listener (the {@code pausable} EIP): after every poll, on the consumer
 * thread, it commits each partition up to the lowest record not yet finished, and pauses the consumer's partitions
 * while {@code maxInFlight} records are accepted and unfinished (resumed as they finish). The consumer keeps polling
 * while paused, so it stays in its group however long Antom or the database take.</li>
 * </ul>
 * A partition that leaves the consumer in a rebalance ({@link #partitionsRevoked}, called by Kafka inside the poll
 * through {@link KeyOrderedRebalancing}, before any other member gets it) starts no record any more; its records being
 * sent get {@code revokeTimeout} to end, and what is finished is committed there and then: the new owner reads on
 * after them and never runs an order beside the old owner. A consumer that is replaced (camel-kafka reconnects after a
 * failure), a partition lost without a revocation, or a rewind (records read again) revokes what was tracked: those
 * records are never committed here, the owner reads them again. Unstarted records of a revoked partition are skipped.
 * On stop, records not started are left uncommitted, running ones get {@code shutdownTimeout} to finish; one still
 * running after that (or after {@code revokeTimeout}) keeps its lane, so that the copy read again after a restart
 * (route reload) or a rebalance waits behind it: within an instance a key never runs twice at once. Across instances
 * the stored attempt is the fence: the other instance resends the same paymentRequestId, which Antom pays once.
 * <p>
 * With {@code maxInFlight} 1 the record runs on the consumer thread as a plain {@code to} would (the sequential
 * behaviour): an exception goes back to the consumer, which with {@code breakOnFirstError} reads the record again.
 */
public class KeyOrderedLanes extends KafkaConsumerListener {

    private static final Logger LOG = LoggerFactory.getLogger(KeyOrderedLanes.class);

    private final String name;
    private final ThreadLocal<ConsumerState> current = new ThreadLocal<>();
    /** Per key, the records accepted and not finished, the running one first. Guarded by itself. */
    private final Map<Object, Deque<Task>> lanes = new HashMap<>();
    private final AtomicInteger accepted = new AtomicInteger();
    /** A record's first failure (and every 100th): one line per 10 s, however many records fail at once. */
    private final QuietLog failedLog = new QuietLog(Duration.ofSeconds(10));

    private volatile CamelContext context;
    private volatile ProducerTemplate template;
    private volatile String to;
    private volatile int maxInFlight = 1;
    private volatile long retryDelayMs = 1000;
    private volatile long shutdownTimeoutMs = 20_000;
    private volatile long revokeTimeoutMs = 20_000;
    private volatile long commitTimeoutMs = 5_000;
    /** The least time between two commits of one consumer; 0: after every poll. */
    private volatile long commitIntervalNanos;
    private volatile ExecutorService pool;
    /** The places of the records running at once, one set per start. */
    private volatile Places running;
    private volatile boolean stopping;
    /**
     * Set by the first wait of a stop (System.nanoTime): the consumers leave their group before the lanes stop, and
     * the records they wait for then, and the lanes' own wait after, share one {@code shutdownTimeout}. 0: none yet.
     * Only the context's stop is seen while the consumers leave: a stop of the route alone (a reload) waits up to
     * {@code revokeTimeout} there and {@code shutdownTimeout} here.
     */
    private final AtomicLong stopDeadline = new AtomicLong();

    public KeyOrderedLanes(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    public int maxInFlight() {
        return maxInFlight;
    }

    /** Whether the consumer may take more records: fewer than maxInFlight accepted and unfinished. */
    public boolean hasRoom() {
        return maxInFlight == 1 || accepted.get() < maxInFlight;
    }

    /** Records accepted and not finished (running or waiting behind their key). */
    public int accepted() {
        return accepted.get();
    }

    // ---- lifecycle (the key-ordered producer) ----

    /**
     * {@code warmUp}: the first record after a start runs alone, and the other places open once it has run once. The
     * classes a record's path loads lazily (the SDK's fastjson serializers, generated at first use) are then loaded by
     * one thread: loaded by many virtual threads at once, each waiting one pins its carrier, and when the carriers
     * (as many as cores) all wait for a lock held by a virtual thread that has none left to run on, the lanes
     * deadlock (seen at a restart with a backlog, JDK 25 on two cores).
     */
    synchronized void start(CamelContext context, String to, int maxInFlight, long retryDelayMs, long shutdownTimeoutMs,
            long revokeTimeoutMs, long commitTimeoutMs, long commitIntervalMs, boolean virtualThreads, boolean warmUp) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1, not " + maxInFlight);
        }
        this.context = context;
        this.to = to;
        this.maxInFlight = maxInFlight;
        this.retryDelayMs = retryDelayMs;
        this.shutdownTimeoutMs = shutdownTimeoutMs;
        this.revokeTimeoutMs = revokeTimeoutMs;
        this.commitTimeoutMs = commitTimeoutMs;
        this.commitIntervalNanos = TimeUnit.MILLISECONDS.toNanos(commitIntervalMs);
        this.template = context.createProducerTemplate();
        this.stopping = false;
        this.stopDeadline.set(0);
        if (maxInFlight > 1) {
            this.running = new Places(maxInFlight, warmUp);
            String threadName = "key-ordered-" + name + "-";
            Optional<ExecutorService> virtual = virtualThreads ? VirtualThreads.perTaskExecutor(threadName)
                    : Optional.empty();
            this.pool = virtual.orElseGet(() -> platformThreads(threadName));
            LOG.info("key-ordered:{} sends to {} with up to {} records in flight, {}", name, to, maxInFlight,
                    virtual.isPresent() ? "each on a virtual thread" : "on a pool of as many platform threads");
        } else {
            LOG.info("key-ordered:{} sends to {} one record at a time, on the consumer thread", name, to);
        }
    }

    /** Before Java 21: a pool of maxInFlight platform threads, one per record running. */
    private ExecutorService platformThreads(String threadName) {
        AtomicInteger threads = new AtomicInteger();
        return Executors.newFixedThreadPool(maxInFlight, r -> {
            Thread t = new Thread(r, threadName + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    synchronized void stop() throws Exception {
        stopping = true;
        ExecutorService workers = pool;
        pool = null;
        if (workers != null) {
            workers.shutdown();
            long waitStart = System.nanoTime();
            if (!workers.awaitTermination(Math.max(0, stopDeadline() - waitStart), TimeUnit.NANOSECONDS)) {
                LOG.warn("key-ordered:{} stopped with records still running after {} ms more; they are read again "
                        + "once they end, and their keys wait for them", name, millisSince(waitStart));
                workers.shutdownNow();
            }
        }
        synchronized (lanes) {
            // records not started are dropped (read again); a record still running keeps its lane, so that the
            // copy read again after a restart (route reload) or a rebalance waits behind it instead of running
            // beside it. Its consumer is gone: nothing of it is committed, not even by a retry.
            for (Iterator<Deque<Task>> it = lanes.values().iterator(); it.hasNext(); ) {
                Deque<Task> lane = it.next();
                Task head = lane.peekFirst();
                boolean keep = head != null && head.started;
                while (lane.size() > (keep ? 1 : 0)) {
                    lane.pollLast();
                    accepted.decrementAndGet();
                }
                if (keep) {
                    head.tracker.revoke();
                } else {
                    it.remove();
                }
            }
        }
        if (template != null) {
            template.stop();
        }
    }

    /** Records still running from before a stop (a stuck Antom or database call outlived the shutdown timeout). */
    int stillRunning() {
        synchronized (lanes) {
            return (int) lanes.values().stream().filter(l -> !l.isEmpty() && l.peekFirst().started).count();
        }
    }

    // ---- the consumer thread: poll loop hooks (pausable EIP) ----

    /** Called by camel-kafka after every poll, on that consumer's thread, before the polled records are processed. */
    @Override
    public boolean afterConsume(Object polling) {
        Consumer<?, ?> consumer = (Consumer<?, ?>) polling;
        ConsumerState state = current.get();
        if (state == null || state.consumer != consumer) {
            if (state != null) {
                state.revokeAll(); // camel-kafka replaced the consumer: it reads again from the committed offsets
            }
            state = new ConsumerState(consumer);
            current.set(state);
        }
        Set<TopicPartition> assignment = consumer.assignment();
        state.followRebalance(assignment);
        if (System.nanoTime() - state.lastCommitNanos >= commitIntervalNanos) {
            commit(state, state.trackers, "tried again after the next poll");
        }
        if (!hasRoom()) {
            // keeps polling (heartbeats, rebalances), returns no records. Only partitions nobody else paused are
            // ours to resume later: camel-kafka pauses them itself when the route is suspended (shutdown, reload)
            Set<TopicPartition> toPause = new java.util.HashSet<>(assignment);
            toPause.removeAll(consumer.paused());
            consumer.pause(toPause);
            state.pausedByLanes.addAll(toPause);
        } else if (!state.pausedByLanes.isEmpty() && !stopping && !context.isStopping() && !heldByCamel()) {
            // not while Camel stops or suspends the route (a reload, an operator's suspend): it paused the consumer
            // (what the lanes had paused already too), and a resume would have it fetch records nobody will start,
            // or read on a route an operator suspended
            state.pausedByLanes.retainAll(consumer.paused());
            consumer.resume(state.pausedByLanes);
            state.pausedByLanes.clear();
        }
        return true; // false would make camel-kafka drop the records of this poll
    }

    /**
     * Whether Camel has suspended or is stopping the route consumer these lanes listen to: camel-kafka pauses every
     * partition then, and a pause the lanes made earlier cannot be told from it. Found as the consumer whose listener
     * this is (the {@code pausable} step sets it); none found: as before, the lanes' pause is theirs to lift.
     */
    private boolean heldByCamel() {
        for (Route route : context.getRoutes()) {
            if (route.getConsumer() instanceof ConsumerListenerAware<?> listened
                    && listened.getConsumerListener() == this
                    && route.getConsumer() instanceof ServiceSupport service) {
                return service.isSuspendingOrSuspended() || service.isStoppingOrStopped();
            }
        }
        return false;
    }

    /** Records are tracked here, per partition, not by camel-kafka's result (false would skip the rest of a poll). */
    @Override
    public boolean afterProcess(ProcessingResult result) {
        return true;
    }

    /**
     * Kafka takes these partitions from this consumer (a rebalance, or the consumer leaving its group at a stop): on
     * the consumer thread, inside its poll, before any other member gets them. No record of them starts any more; those
     * being sent get {@code revokeTimeout} to end; what is finished is committed, the rest is left to the new owner.
     * A record still being sent after the timeout keeps its lane, so a copy read again here waits behind it.
     */
    public void partitionsRevoked(Object polling, Collection<TopicPartition> partitions) {
        ConsumerState state = current.get();
        if (state == null || state.consumer != polling) {
            return; // not a consumer of these lanes, or one whose records were revoked already
        }
        Map<TopicPartition, OffsetTracker> leaving = new HashMap<>();
        for (TopicPartition tp : partitions) {
            OffsetTracker tracker = state.trackers.get(tp);
            if (tracker != null) {
                leaving.put(tp, tracker);
                tracker.close();
            }
        }
        if (leaving.isEmpty()) {
            return;
        }
        long waitStart = System.nanoTime();
        long deadline = waitStart + TimeUnit.MILLISECONDS.toNanos(revokeTimeoutMs);
        if (stopping || context.isStopping()) {
            deadline = Math.min(deadline, stopDeadline()); // leaving the group at a stop: within the stop's time
        }
        int stillSent = 0;
        try {
            for (OffsetTracker tracker : leaving.values()) {
                stillSent += tracker.awaitSends(deadline);
            }
            commit(state, leaving, "the new owner reads on from the last commit");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the consumer is being stopped: what is not committed is read again
        } finally {
            leaving.forEach((tp, tracker) -> {
                tracker.revoke();
                state.trackers.remove(tp);
                state.pausedByLanes.remove(tp);
            });
        }
        if (stillSent > 0) {
            LOG.warn("key-ordered:{} gave up {} with {} records still being sent after {} ms: their new owner reads "
                    + "them again", name, leaving.keySet(), stillSent, millisSince(waitStart));
        } else {
            LOG.debug("key-ordered:{} handed {} over with everything finished committed", name, leaving.keySet());
        }
    }

    /** When a stop's waiting ends: shutdownTimeout after its first wait began. */
    private long stopDeadline() {
        stopDeadline.compareAndSet(0, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(shutdownTimeoutMs));
        return stopDeadline.get();
    }

    /** Kafka says these partitions were lost (another member may own them already): nothing of them is committed. */
    public void partitionsLost(Object polling, Collection<TopicPartition> partitions) {
        ConsumerState state = current.get();
        if (state != null && state.consumer == polling) {
            for (TopicPartition tp : partitions) {
                OffsetTracker tracker = state.trackers.remove(tp);
                if (tracker != null) {
                    tracker.revoke();
                }
                state.pausedByLanes.remove(tp);
            }
        }
    }

    private static long millisSince(long nanoTime) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanoTime);
    }

    /** Commits what is due of these partitions, on the consumer thread; {@code ifNot}: what follows a failure. */
    private void commit(ConsumerState state, Map<TopicPartition, OffsetTracker> trackers, String ifNot) {
        Map<TopicPartition, OffsetAndMetadata> due = new HashMap<>();
        for (Map.Entry<TopicPartition, OffsetTracker> e : trackers.entrySet()) {
            OptionalLong next = e.getValue().due();
            if (next.isPresent()) {
                due.put(e.getKey(), new OffsetAndMetadata(next.getAsLong()));
            }
        }
        if (due.isEmpty()) {
            return;
        }
        try {
            state.consumer.commitSync(due, Duration.ofMillis(commitTimeoutMs));
            state.lastCommitNanos = System.nanoTime();
            due.forEach((tp, offset) -> {
                OffsetTracker tracker = state.trackers.get(tp);
                if (tracker != null) {
                    tracker.committed(offset.offset());
                }
            });
        } catch (WakeupException | InterruptException e) {
            throw e; // the consumer is being stopped
        } catch (RuntimeException e) {
            LOG.warn("key-ordered:{} could not commit {} ({}): {}", name, due, ifNot, e.toString());
        }
    }

    // ---- the consumer thread: the key-ordered producer ----

    /** Hands one record over; on the consumer thread. With maxInFlight 1 it runs here and now. */
    void offer(Exchange exchange) {
        ConsumerState state = current.get();
        if (state == null) {
            throw new IllegalStateException("key-ordered:" + name + " is not the consumer listener of this Kafka "
                    + "route: add the step 'pausable' with consumerListener " + name + " before it");
        }
        String topic = exchange.getMessage().getHeader(KafkaConstants.TOPIC, String.class);
        Integer partition = exchange.getMessage().getHeader(KafkaConstants.PARTITION, Integer.class);
        Long offset = exchange.getMessage().getHeader(KafkaConstants.OFFSET, Long.class);
        if (topic == null || partition == null || offset == null) {
            throw new IllegalStateException("key-ordered:" + name + " takes Kafka records (kafka.TOPIC, "
                    + "kafka.PARTITION and kafka.OFFSET headers)");
        }
        TopicPartition tp = new TopicPartition(topic, partition);
        OffsetTracker tracker = state.tracker(tp);
        if (tracker.isBehind(offset)) {
            tracker = state.restart(tp); // the consumer was rewound: these records are read again
        }
        tracker.register(offset);
        Object key = exchange.getMessage().getHeader(KafkaConstants.KEY);
        Task task = new Task(tracker, offset, key != null ? key : tp, exchange);
        if (maxInFlight == 1) {
            Exchange done = send(task);
            if (done.getException() != null) {
                exchange.setException(done.getException()); // back to the consumer: read again
            } else {
                tracker.finish(offset);
            }
            return;
        }
        accepted.incrementAndGet();
        synchronized (lanes) {
            Deque<Task> lane = lanes.computeIfAbsent(task.key, k -> new ArrayDeque<>());
            lane.addLast(task);
            if (lane.size() == 1) {
                schedule(task.key);
            }
        }
    }

    // ---- the workers ----

    /** Under the lanes lock: runs the head of this key's lane on the pool, or drops the lane if stopped. */
    private void schedule(Object key) {
        ExecutorService workers = pool;
        try {
            if (workers == null) {
                throw new RejectedExecutionException("stopped");
            }
            workers.execute(() -> runHead(key));
        } catch (RejectedExecutionException e) {
            Deque<Task> lane = lanes.remove(key);
            if (lane != null) {
                accepted.addAndGet(-lane.size()); // never finished: read again by whoever owns the partition
            }
        }
    }

    private void runHead(Object key) {
        Task task;
        synchronized (lanes) {
            Deque<Task> lane = lanes.get(key);
            task = lane == null ? null : lane.peekFirst();
            if (task == null || task.started) {
                return;
            }
            task.started = true; // under the lock: stop() keeps the lanes of started records
        }
        try {
            processWithin(task);
        } finally {
            synchronized (lanes) {
                Deque<Task> lane = lanes.get(key);
                if (lane != null && lane.peekFirst() == task) {
                    lane.pollFirst();
                    accepted.decrementAndGet();
                    if (lane.isEmpty()) {
                        lanes.remove(key);
                    } else {
                        schedule(key);
                    }
                }
            }
        }
    }

    /** Waits for one of the maxInFlight places, then processes the record in it. */
    private void processWithin(Task task) {
        Places places = running;
        try {
            places.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stopping: the record is left to be read again
            return;
        }
        try {
            process(task, places);
        } finally {
            places.release();
        }
    }

    /** Sends the record until it finishes, or until nobody could commit it any more (stopped, partition gone). */
    private void process(Task task, Places places) {
        for (int attempt = 1; ; attempt++) {
            // once Camel is stopping, the consumer closes and can commit nothing more: what has not started is left
            // to be read again; so is a record whose partition is leaving (closed) or has left (revoked)
            if (stopping || context.isStopping() || !task.tracker.beginSend()) {
                LOG.debug("key-ordered:{} leaves {} to be read again", name, task);
                return;
            }
            Exchange done;
            try {
                done = send(task);
                if (done.getException() == null) {
                    task.tracker.finish(task.offset); // before endSend: a revocation waiting for it commits it
                }
            } finally {
                task.tracker.endSend();
                places.warmedUp();
            }
            if (done.getException() == null) {
                return;
            }
            long leftOut = attempt == 1 || attempt % 100 == 0 ? failedLog.admit(name) : -1;
            if (leftOut >= 0) {
                // the route's error handling says why; with the database down every record in flight fails again
                // every few seconds, and a line each time (or each one's first: 512 at once) buried the outage's own
                LOG.warn("key-ordered:{} {} failed (attempt {}), sent again every {} ms until it is done; its key "
                        + "waits{}: {}", name, task, attempt, retryDelayMs, QuietLog.more(leftOut),
                        InfrastructureFailures.withRootCause(done.getException()));
            } else {
                LOG.debug("key-ordered:{} {} failed (attempt {}): {}", name, task, attempt,
                        done.getException().toString());
            }
            try {
                Thread.sleep(retryDelayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** A fresh exchange per attempt, from the record as it was consumed. */
    private Exchange send(Task task) {
        Exchange exchange = new DefaultExchange(context);
        exchange.getIn().setHeaders(new HashMap<>(task.headers));
        exchange.getIn().setBody(task.body);
        return template.send(to, exchange);
    }

    // ---- state ----

    /**
     * The records running at once (the Antom calls and database work this route may have going): maxInFlight places,
     * or with warm-up one place until the first record has run once. One per start, so a record still running from
     * before a stop gives its place back, and opens the rest, where it took it.
     */
    private static final class Places {
        private final Semaphore free;
        private final int maxInFlight;
        private final AtomicBoolean warmingUp;

        Places(int maxInFlight, boolean warmUp) {
            this.free = new Semaphore(warmUp ? 1 : maxInFlight);
            this.maxInFlight = maxInFlight;
            this.warmingUp = new AtomicBoolean(warmUp);
        }

        void acquire() throws InterruptedException {
            free.acquire();
        }

        void release() {
            free.release();
        }

        /** The first record has run once: the other places open. */
        void warmedUp() {
            if (warmingUp.compareAndSet(true, false)) {
                free.release(maxInFlight - 1);
            }
        }
    }

    /** One record: copied off the consumer's exchange, which camel-kafka reuses or releases once the route returns. */
    private static final class Task {
        final OffsetTracker tracker;
        final long offset;
        final Object key;
        final Object body;
        final Map<String, Object> headers;
        /** Set once a worker took it (under the lanes lock); a started record keeps its lane through a stop. */
        boolean started;

        Task(OffsetTracker tracker, long offset, Object key, Exchange consumed) {
            this.tracker = tracker;
            this.offset = offset;
            this.key = key;
            this.body = consumed.getMessage().getBody();
            this.headers = new HashMap<>(consumed.getMessage().getHeaders());
            this.headers.remove(KafkaConstants.MANUAL_COMMIT); // the consumer is not for worker threads
            // the record's own header set as sent, unbounded (BoundedKafkaHeaders made the exchange's): never read,
            // and hundreds of records wait here
            this.headers.remove(KafkaConstants.HEADERS);
        }

        @Override
        public String toString() {
            return "record " + headers.get(KafkaConstants.PARTITION) + "/" + offset + " (key "
                    + LogIds.quoted(String.valueOf(key)) + ")";
        }
    }

    /** What one Kafka consumer (one consumer thread) has handed over, per partition. Consumer thread only. */
    private static final class ConsumerState {
        final Consumer<?, ?> consumer;
        final Map<TopicPartition, OffsetTracker> trackers = new HashMap<>();
        /** The partitions the lanes paused for want of room (never those camel-kafka paused). */
        final Set<TopicPartition> pausedByLanes = new java.util.HashSet<>();
        /** When this consumer last committed (System.nanoTime); the first commit is due at once. */
        long lastCommitNanos;

        ConsumerState(Consumer<?, ?> consumer) {
            this.consumer = consumer;
            this.lastCommitNanos = System.nanoTime() - Long.MAX_VALUE / 2;
        }

        OffsetTracker tracker(TopicPartition tp) {
            return trackers.computeIfAbsent(tp, p -> new OffsetTracker());
        }

        OffsetTracker restart(TopicPartition tp) {
            OffsetTracker fresh = new OffsetTracker();
            OffsetTracker old = trackers.put(tp, fresh);
            if (old != null) {
                old.revoke();
            }
            return fresh;
        }

        /**
         * Partitions that left are revoked. A partition kept through an eager rebalance is read again from its
         * committed offset: {@link OffsetTracker#isBehind} sees the rewind when its records arrive. (A cooperative
         * rebalance keeps positions, and so the tracker.)
         */
        void followRebalance(Set<TopicPartition> assignment) {
            for (Iterator<Map.Entry<TopicPartition, OffsetTracker>> it = trackers.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<TopicPartition, OffsetTracker> e = it.next();
                if (!assignment.contains(e.getKey())) {
                    e.getValue().revoke();
                    it.remove();
                }
            }
        }

        void revokeAll() {
            trackers.values().forEach(OffsetTracker::revoke);
            trackers.clear();
        }
    }
}
