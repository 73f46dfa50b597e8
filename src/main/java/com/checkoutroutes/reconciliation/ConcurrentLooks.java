package com.checkoutroutes.reconciliation;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a job's looks at most {@code concurrency} at once and hands back their results in the order given. A look
 * mostly waits for Antom, so one at a time caps a run at batch-size x Antom's latency (100 x 0.3 s = 30 s, the
 * janitor's whole period). With a concurrency of 1 the looks run one after another on the job's own thread.
 * The threads are started when a run needs them and end after a minute idle.
 * <p>
 * At most {@code maxPerSecond} looks start a second (0: no limit). Each look is a signed Antom call: when Antom
 * answers at once, a run's hundreds of looks would otherwise come in one burst and take the cores from the orders.
 */
final class ConcurrentLooks implements AutoCloseable {

    private final int concurrency;
    /** The least time between the starts of two looks of a run; 0 without a limit. */
    private final long spacingNanos;
    private final ThreadPoolExecutor pool;

    ConcurrentLooks(String threadPrefix, int concurrency, int maxPerSecond) {
        this.concurrency = concurrency;
        this.spacingNanos = maxPerSecond > 0 ? TimeUnit.SECONDS.toNanos(1) / maxPerSecond : 0;
        AtomicInteger threads = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(concurrency, concurrency, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(),
                task -> {
                    Thread thread = new Thread(task, threadPrefix + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
    }

    /** Runs every look and returns their results in order; a look that throws fails the run, as it would alone. */
    <T> List<T> runAll(List<Callable<T>> unpaced) {
        List<Callable<T>> looks = paced(unpaced);
        List<T> results = new ArrayList<>(looks.size());
        try {
            if (concurrency == 1) {
                for (Callable<T> look : looks) {
                    results.add(look.call());
                }
                return results;
            }
            for (Future<T> done : pool.invokeAll(looks)) {
                results.add(done.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the looks ran (shutting down?)", e);
        } catch (ExecutionException e) {
            throw rethrown(e.getCause());
        } catch (CancellationException e) {
            throw new IllegalStateException("the looks were stopped (shutting down?)", e);
        } catch (Exception e) {
            throw rethrown(e);
        }
    }

    /** Each look waits for its turn: the run's start plus its place times the spacing. */
    private <T> List<Callable<T>> paced(List<Callable<T>> looks) {
        if (spacingNanos == 0) {
            return looks;
        }
        long start = System.nanoTime();
        List<Callable<T>> paced = new ArrayList<>(looks.size());
        for (int i = 0; i < looks.size(); i++) {
            long turn = start + i * spacingNanos;
            Callable<T> look = looks.get(i);
            paced.add(() -> {
                long left;
                while ((left = turn - System.nanoTime()) > 0) {
                    TimeUnit.NANOSECONDS.sleep(left);
                }
                return look.call();
            });
        }
        return paced;
    }

    private static RuntimeException rethrown(Throwable failure) {
        if (failure instanceof RuntimeException runtime) {
            return runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        return new IllegalStateException(failure);
    }

    /** Stops the threads; a look still queued is cancelled, so a run waiting for it fails instead of waiting on. */
    @Override
    public void close() {
        for (Runnable dropped : pool.shutdownNow()) {
            if (dropped instanceof Future<?> look) {
                look.cancel(true);
            }
        }
    }
}
