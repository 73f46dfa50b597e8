package com.checkoutroutes.ledger;

import com.checkoutroutes.platform.InfrastructureFailures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Group commit for the ledger's writes on the order and notification paths: the writes of concurrent orders (their
 * attempts, their outcomes with the outbox events they emit) and notifications run one after another in one
 * transaction, and one commit makes them all durable (one fsync instead of one per write). A caller returns only once
 * its write is committed, so an attempt is still durable before its Antom call, an outcome before its offset is
 * committed and a notification before Antom hears SUCCESS.
 * <p>
 * A writer thread takes whatever is waiting, up to {@code checkout.ledger.group-commit-max-batch} writes, and commits
 * it while the next writes gather. The other {@code checkout.ledger.group-commit-writers} join in only while a
 * backlog waits (a quarter of a batch): at a moderate rate one writer's commits carry more writes each, and commits
 * (with the thread hand-offs and database round trips around each) are what an order costs most there. For the
 * same reason the first writer waits for more writes until the batch's first write has waited
 * {@code checkout.ledger.group-commit-linger} (under load it has, and nothing waits). A write
 * is the caller's usual code with its own {@code TransactionTemplate}: inside the batch it joins the batch's
 * transaction. If any write of a batch fails, the batch is rolled back and each write runs again alone, in its own
 * transaction as without group commit, so one order's failure (a redelivered attempt, a conflict) is its own. The
 * waiting writes are bounded by the callers: each one blocks until its write is done. The meters
 * {@code checkout.ledger.group.commit.writes} and {@code ...commits} show how many writes a commit carried, also
 * counting the writes run alone while the group commit stops.
 */
@Component
public class GroupCommit implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);

    private final TransactionTemplate tx;
    private final int maxBatch;
    private final long lingerNanos;
    /** Writes committed, and the commits they took: their ratio is the batch size the load gave. */
    private final Counter writes;
    private final Counter commits;
    private final LinkedBlockingQueue<Write<?>> waiting;
    /** Writes waiting beyond which the other writers help: a permit per write that found such a backlog. */
    private final int backlog;
    private final Semaphore backlogged = new Semaphore(0);
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean stopped;

    @Autowired
    public GroupCommit(TransactionTemplate tx, LedgerSettings settings, MeterRegistry meters) {
        this(tx, settings, meters, new LinkedBlockingQueue<>());
    }

    /** With the queue the writes wait in: a test's, to hold a caller at the moment it adds its write. */
    GroupCommit(TransactionTemplate tx, LedgerSettings settings, MeterRegistry meters,
            LinkedBlockingQueue<Write<?>> waiting) {
        this.tx = tx;
        this.waiting = waiting;
        this.maxBatch = settings.groupCommitMaxBatch();
        this.lingerNanos = settings.groupCommitLinger().toNanos();
        this.writes = meters.counter("checkout.ledger.group.commit.writes");
        this.commits = meters.counter("checkout.ledger.group.commit.commits");
        this.backlog = Math.max(1, maxBatch / 4);
        if (maxBatch > 1) {
            for (int i = 1; i <= settings.groupCommitWriters(); i++) {
                boolean leading = i == 1;
                Thread writer = new Thread(() -> writeBatches(leading), "ledger-group-commit-" + i);
                writer.setDaemon(true);
                writer.start();
                writers.add(writer);
            }
        }
    }

    /**
     * Runs {@code write} (ledger work that opens its transactions with the shared {@code TransactionTemplate}) and
     * returns once it is committed, together with the writes of other threads waiting at the same time.
     */
    public <T> T execute(Supplier<T> write) {
        if (maxBatch <= 1 || stopped || TransactionSynchronizationManager.isActualTransactionActive()) {
            return write.get(); // inside a transaction already: the write belongs to it, on this thread
        }
        Write<T> mine = new Write<>(write, MDC.getCopyOfContextMap());
        waiting.add(mine);
        if (stopped && waiting.remove(mine)) {
            // stopped since the check above: the writers may have made their last drain before the add, so
            // nobody would take it. Whoever removes it runs it: here, or a writer that took it first.
            writeAlone(mine);
        } else if (waiting.size() > backlog) {
            backlogged.release(); // more than one writer keeps up with: the others help
        }
        try {
            return mine.done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the ledger write was committed", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Writes waiting for a writer thread. */
    int waiting() {
        return waiting.size();
    }

    /** The leading writer takes every write; the others help with a backlog. */
    private void writeBatches(boolean leading) {
        List<Write<?>> batch = new ArrayList<>(maxBatch);
        while (!stopped || !waiting.isEmpty()) {
            try {
                Write<?> first = leading ? waiting.poll(100, TimeUnit.MILLISECONDS) : backlogsFirst();
                if (first == null) {
                    continue;
                }
                batch.add(first);
                waiting.drainTo(batch, maxBatch - 1);
                if (leading) {
                    lingerFor(first, batch);
                }
                commit(batch);
            } catch (InterruptedException e) {
                // the writer ends once what waits is written; keeping the interrupt would make every poll throw at
                // once, and nothing waiting would ever be written
                stopped = true;
            } catch (Throwable e) {
                batch.forEach(w -> w.done.completeExceptionally(e)); // never leave a caller waiting
            } finally {
                batch.clear();
            }
        }
        Write<?> left;
        while ((left = waiting.poll()) != null) {
            writeAlone(left);
        }
    }

    /**
     * Below saturation: takes the writes that come until {@code first} has waited the linger, or the batch is full.
     * Each commit costs the database about as much as several writes, and every order two of them.
     */
    private void lingerFor(Write<?> first, List<Write<?>> batch) {
        long until = first.queuedAt + lingerNanos;
        long left;
        try {
            while (batch.size() < maxBatch && (left = until - System.nanoTime()) > 0) {
                Write<?> next = waiting.poll(left, TimeUnit.NANOSECONDS);
                if (next == null) {
                    return;
                }
                batch.add(next);
                waiting.drainTo(batch, maxBatch - batch.size());
            }
        } catch (InterruptedException e) {
            // as in writeBatches: the writer stops, but only after committing the batch in hand (its callers wait)
            stopped = true;
        }
    }

    /** A helping writer: the oldest waiting write once a backlog called for help (null after 100 ms without). */
    private Write<?> backlogsFirst() throws InterruptedException {
        if (!backlogged.tryAcquire(100, TimeUnit.MILLISECONDS)) {
            return null;
        }
        backlogged.drainPermits(); // one call for help per backlog, not one per write in it
        return waiting.poll();
    }

    private void commit(List<Write<?>> batch) {
        if (batch.size() == 1) {
            writeAlone(batch.get(0));
            return;
        }
        BatchTry tried = tryTogether(batch);
        if (tried.connectionLost()) {
            // one connection dropped (its backend ended, a reset): the pool's next one may well serve. The database
            // down fails this second try as the first (no connection, or lost again): a wait of the pool's timeout
            tried = tryTogether(batch);
        }
        if (tried.failure == null) {
            count(batch.size(), 1);
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).complete(tried.results.get(i));
            }
            return;
        }
        Throwable failure = tried.failure;
        if (!tried.began || tried.connectionLost() || isFatal(failure)) {
            // no transaction, or its connection lost twice: run alone, each write would wait for one again, one
            // after another, and a notification queued behind them past Antom's 5 s. Each caller is told its write
            // failed (an order is sent again on its lane, a notification answered with a failure and resent by
            // Antom); one whose COMMIT lost its connection may have been kept, which a write run again finds
            batch.forEach(w -> w.done.completeExceptionally(failure));
            return;
        }
        // one write failed, even with an Error of its own (a class that failed to load, a stack overflow), or the
        // commit did: nothing of the batch was kept; each runs again on its own
        LOG.debug("group commit of {} writes rolled back, each runs alone: {}", batch.size(), failure.toString());
        batch.forEach(this::writeAlone);
    }

    /** The JVM's own trouble (out of memory), not one write's: a write run alone would meet it too. */
    private static boolean isFatal(Throwable failure) {
        return failure instanceof VirtualMachineError && !(failure instanceof StackOverflowError);
    }

    /** The batch's writes in one transaction: their results, or the failure that rolled it back. */
    private BatchTry tryTogether(List<Write<?>> batch) {
        List<Object> results = new ArrayList<>(batch.size());
        boolean[] began = new boolean[1];
        try {
            tx.executeWithoutResult(status -> {
                began[0] = true;
                for (Write<?> w : batch) {
                    results.add(w.run());
                }
            });
            return new BatchTry(results, null, true);
        } catch (RuntimeException | Error e) {
            return new BatchTry(null, e, began[0]);
        }
    }

    /** One try of a batch; {@code began}: it had a transaction, so a connection. */
    private record BatchTry(List<Object> results, Throwable failure, boolean began) {
        boolean connectionLost() {
            return failure != null && began && InfrastructureFailures.isConnectionLost(failure);
        }
    }

    /** A write in its own transaction: one write, one commit. */
    private void writeAlone(Write<?> write) {
        write.runAlone();
        count(1, 1);
    }

    private void count(int written, int committed) {
        writes.increment(written);
        commits.increment(committed);
    }

    @Override
    public void destroy() throws InterruptedException {
        stopped = true;
        for (Thread writer : writers) {
            writer.join(10_000);
        }
    }

    /** One caller's write, and the future it waits on. */
    static final class Write<T> {
        final Supplier<T> work;
        final Map<String, String> mdc;
        final CompletableFuture<T> done = new CompletableFuture<>();
        final long queuedAt = System.nanoTime();

        Write(Supplier<T> work, Map<String, String> mdc) {
            this.work = work;
            this.mdc = mdc;
        }

        /** On the writer thread, with the caller's log context (orderId...). */
        T run() {
            Map<String, String> previous = MDC.getCopyOfContextMap();
            setMdc(mdc);
            try {
                return work.get();
            } finally {
                setMdc(previous);
            }
        }

        void runAlone() {
            try {
                done.complete(run());
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }

        @SuppressWarnings("unchecked")
        void complete(Object result) {
            done.complete((T) result);
        }

        private static void setMdc(Map<String, String> context) {
            if (context == null) {
                MDC.clear();
            } else {
                MDC.setContextMap(context);
            }
        }
    }
}
