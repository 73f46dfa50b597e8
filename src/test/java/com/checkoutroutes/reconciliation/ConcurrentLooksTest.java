package com.checkoutroutes.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The janitor's looks run up to the concurrency at once, never more, and report in the order given. */
class ConcurrentLooksTest {

    @Test
    void asManyLooksAsTheConcurrencyRunAtOnceAndReportInOrder() {
        try (ConcurrentLooks looks = new ConcurrentLooks("test-look-", 4, 0)) {
            // each look waits until four are running: one at a time would break the barrier after 10 s
            CyclicBarrier fourAtOnce = new CyclicBarrier(4);
            AtomicInteger running = new AtomicInteger();
            AtomicInteger mostAtOnce = new AtomicInteger();
            List<Callable<Integer>> work = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                int n = i;
                work.add(() -> {
                    mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                    fourAtOnce.await(10, TimeUnit.SECONDS);
                    running.decrementAndGet();
                    return n;
                });
            }
            assertThat(looks.runAll(work)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
            assertThat(mostAtOnce).hasValue(4);
        }
    }

    @Test
    void withAMaxRateTheLooksStartNoSoonerThanTheirTurnsAndStillReportInOrder() {
        for (int concurrency : new int[] {1, 4}) {
            try (ConcurrentLooks looks = new ConcurrentLooks("test-look-", concurrency, 20)) { // one per 50 ms
                List<Callable<Long>> work = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    work.add(System::nanoTime);
                }
                long runStarted = System.nanoTime();
                List<Long> startedAt = looks.runAll(work);
                for (int i = 1; i < startedAt.size(); i++) {
                    assertThat(startedAt.get(i) - runStarted).as("look %d, %d at once", i, concurrency)
                            .isGreaterThanOrEqualTo(i * TimeUnit.MILLISECONDS.toNanos(50));
                }
            }
        }
    }

    @Test
    void aConcurrencyOfOneLooksOnTheCallersThreadOneAfterAnother() {
        try (ConcurrentLooks looks = new ConcurrentLooks("test-look-", 1, 0)) {
            Thread caller = Thread.currentThread();
            List<Callable<Boolean>> work = List.of(() -> Thread.currentThread() == caller,
                    () -> Thread.currentThread() == caller);
            assertThat(looks.runAll(work)).containsExactly(true, true);
        }
    }

    @Test
    void closingWhileARunWaitsFailsTheRunInsteadOfLeavingItWaiting() throws Exception {
        ConcurrentLooks looks = new ConcurrentLooks("test-look-", 2, 0);
        CountDownLatch twoRunning = new CountDownLatch(2);
        CountDownLatch never = new CountDownLatch(1);
        Callable<String> stuck = () -> {
            twoRunning.countDown();
            never.await();
            return "answered";
        };
        List<Callable<String>> work = List.of(stuck, stuck, () -> "queued behind them");
        CompletableFuture<List<String>> run = CompletableFuture.supplyAsync(() -> looks.runAll(work));
        assertThat(twoRunning.await(10, TimeUnit.SECONDS)).isTrue();

        looks.close(); // as at shutdown: the two running are interrupted, the queued one is cancelled

        assertThatThrownBy(() -> run.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void aLookThatFailsFailsTheRunWithItsOwnException() {
        try (ConcurrentLooks looks = new ConcurrentLooks("test-look-", 3, 0)) {
            List<Callable<String>> work = List.of(() -> "fine", () -> {
                throw new IllegalArgumentException("database gone");
            });
            assertThatThrownBy(() -> looks.runAll(work)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("database gone");
        }
    }
}
