package com.checkoutroutes.keyordered;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.Suspendable;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.resume.ConsumerListener;
import org.apache.camel.resume.ConsumerListenerAware;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.component.kafka.consumer.support.subcription.TopicInfo;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The lanes against Kafka's MockConsumer and a plain Camel route: what is committed, when the consumer pauses, and
 * what happens to records in flight when their partition leaves. The consumer-thread calls (afterConsume, offer) are
 * made from the test thread, as camel-kafka makes them from its one consumer thread.
 */
class KeyOrderedLanesTest {

    private static final TopicPartition P0 = new TopicPartition("orders", 0);
    private static final TopicPartition P1 = new TopicPartition("orders", 1);
    /** How long a rebalance waits for the records of a leaving partition being sent. */
    private static final long REVOKE_MS = 1_000;

    private final CamelContext camel = new DefaultCamelContext();
    /** Every offset committed, per partition, in order. */
    private final Map<TopicPartition, List<Long>> commits = new ConcurrentHashMap<>();
    private final MockConsumer<Object, Object> consumer = new MockConsumer<>(OffsetResetStrategy.EARLIEST) {
        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
            offsets.forEach((tp, o) -> commits.computeIfAbsent(tp, p -> new CopyOnWriteArrayList<>()).add(o.offset()));
            super.commitSync(offsets, timeout);
        }
    };
    private final KeyOrderedLanes lanes = new KeyOrderedLanes("test");
    /** Per key, the offsets in the order the route ran them. */
    private final Map<String, List<Long>> ran = new ConcurrentHashMap<>();
    /** Offsets held in the route until released. */
    private final Map<Long, CountDownLatch> held = new ConcurrentHashMap<>();
    /** Offsets that fail this many more times. */
    private final Map<Long, AtomicInteger> failing = new ConcurrentHashMap<>();
    /** Offsets stuck in the route, deaf to interrupts (a call that outlives the shutdown timeout), until released. */
    private final Map<Long, CountDownLatch> stuck = new ConcurrentHashMap<>();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger mostRunning = new AtomicInteger();
    private final Set<String> threadNames = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicReference<Boolean> onVirtualThreads =
            new java.util.concurrent.atomic.AtomicReference<>();
    /** Per key, the records running now and the most that ever ran at once. */
    private final Map<String, AtomicInteger> runningOfKey = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> mostRunningOfKey = new ConcurrentHashMap<>();
    /** Whether a record reached the route with the Kafka record's own (unbounded) header set. */
    private final java.util.concurrent.atomic.AtomicBoolean recordHeadersReachedTheRoute =
            new java.util.concurrent.atomic.AtomicBoolean();

    @BeforeEach
    void start() throws Exception {
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:work").process(exchange -> {
                    long offset = exchange.getMessage().getHeader(KafkaConstants.OFFSET, Long.class);
                    String key = exchange.getMessage().getHeader(KafkaConstants.KEY, String.class);
                    if (exchange.getMessage().getHeader(KafkaConstants.HEADERS) != null) {
                        recordHeadersReachedTheRoute.set(true);
                    }
                    mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                    threadNames.add(Thread.currentThread().getName());
                    onVirtualThreads.compareAndSet(null, isVirtual(Thread.currentThread()));
                    int ofKey = runningOfKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                    mostRunningOfKey.computeIfAbsent(key, k -> new AtomicInteger()).accumulateAndGet(ofKey, Math::max);
                    try {
                        ran.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(offset);
                        CountDownLatch stuckHere = stuck.get(offset);
                        if (stuckHere != null) {
                            awaitUninterruptibly(stuckHere);
                        }
                        CountDownLatch latch = held.get(offset);
                        if (latch != null && !latch.await(30, TimeUnit.SECONDS)) {
                            throw new IllegalStateException("never released");
                        }
                        AtomicInteger failures = failing.get(offset);
                        if (failures != null && failures.getAndDecrement() > 0) {
                            throw new org.springframework.dao.TransientDataAccessResourceException("database down");
                        }
                    } finally {
                        runningOfKey.get(key).decrementAndGet();
                        running.decrementAndGet();
                    }
                });
            }
        });
        camel.getRegistry().bind(lanes.name(), lanes);
        camel.start();
        // as camel-kafka subscribes with the component's adapter bound: a rebalance calls the lanes in the poll
        new KeyOrderedRebalancing(camel).subscribe(consumer,
                new org.apache.kafka.clients.consumer.ConsumerRebalanceListener() {
                    @Override
                    public void onPartitionsRevoked(java.util.Collection<TopicPartition> partitions) {
                    }

                    @Override
                    public void onPartitionsAssigned(java.util.Collection<TopicPartition> partitions) {
                    }
                },
                new TopicInfo(null, "orders"));
        consumer.rebalance(List.of(P0, P1));
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        lanes.start(camel, "direct:work", 4, 10, 5_000, REVOKE_MS, 1_000, 0, true, false);
        lanes.afterConsume(consumer);
    }

    @AfterEach
    void stop() throws Exception {
        held.values().forEach(CountDownLatch::countDown);
        stuck.values().forEach(CountDownLatch::countDown);
        lanes.stop();
        camel.stop();
    }

    @Test
    void oneKeyRunsInOffsetOrderWhileOtherKeysRunAlongside() {
        hold(0);
        offer(P0, 0, "A");
        offer(P0, 1, "A");
        offer(P0, 2, "B");
        offer(P0, 3, "C");
        await().until(() -> ran.containsKey("B") && ran.containsKey("C"));
        assertThat(ran.get("A")).containsExactly(0L); // 1 waits behind 0, B and C did not
        assertThat(commitAfterPoll(P0)).isEqualTo(0); // 0 is unfinished: nothing past it

        release(0);
        await().until(() -> ran.get("A").size() == 2);
        assertThat(ran.get("A")).containsExactly(0L, 1L);
        await().until(() -> commitAfterPoll(P0) == 4);
    }

    /** Hundreds of records wait in the lanes: none keeps its record's header set, which nothing bounded. */
    @Test
    void aWaitingRecordKeepsNotItsRecordsOwnHeaderSet() {
        offer(P0, 0, "A");
        offer(P0, 1, "A");
        await().until(() -> ran.containsKey("A") && ran.get("A").size() == 2);
        assertThat(recordHeadersReachedTheRoute).isFalse();
    }

    @Test
    void aRecordThatFailsHoldsTheCommitBelowItIsRetriedInPlaceAndItsKeyWaits() {
        failing.put(1L, new AtomicInteger(3));
        offer(P0, 0, "A");
        offer(P0, 1, "B");
        offer(P0, 2, "B");
        offer(P0, 3, "C");
        await().until(() -> ran.getOrDefault("B", List.of()).size() == 5);
        // 1 ran four times (three failures), 2 only after it
        assertThat(ran.get("B")).containsExactly(1L, 1L, 1L, 1L, 2L);
        await().until(() -> commitAfterPoll(P0) == 4);
    }

    /** An outage fails every record in flight at once: one line says so, not one per record (512 as shipped). */
    @Test
    void manyRecordsFailingAtOnceAreOneLine() {
        try (com.checkoutroutes.testsupport.LogLines lines =
                com.checkoutroutes.testsupport.LogLines.of(KeyOrderedLanes.class)) {
            for (long offset = 0; offset < 6; offset++) {
                failing.put(offset, new AtomicInteger(1));
                offer(P0, offset, "K" + offset);
            }
            await().until(() -> commitAfterPoll(P0) == 6);
            assertThat(lines.atLeast(ch.qos.logback.classic.Level.WARN)).singleElement()
                    .satisfies(line -> assertThat(line).contains("failed (attempt 1)").contains("database down")
                            .doesNotContain("more since"));
        }
    }

    @Test
    void theCommitWaitsForTheGapWhileLaterRecordsFinish() {
        failing.put(1L, new AtomicInteger(Integer.MAX_VALUE)); // down for good (until the test stops)
        offer(P0, 0, "A");
        offer(P0, 1, "B");
        offer(P0, 2, "C");
        offer(P0, 3, "D");
        await().until(() -> ran.containsKey("C") && ran.containsKey("D")
                && ran.containsKey("A") && commitAfterPoll(P0) == 1);
        assertThat(lanes.accepted()).isEqualTo(1);
        await().pollDelay(Duration.ofMillis(300)).until(() -> true);
        assertThat(commitAfterPoll(P0)).isEqualTo(1);
    }

    @Test
    void withACommitIntervalEachConsumerCommitsAtMostThatOften() throws Exception {
        lanes.stop();
        lanes.start(camel, "direct:work", 4, 10, 5_000, REVOKE_MS, 1_000, 2_000, true, false);
        offer(P0, 0, "A");
        await().until(() -> commitAfterPoll(P0) == 1); // the first commit is due at once

        offer(P0, 1, "B");
        await().until(() -> ran.containsKey("B") && lanes.accepted() == 0);
        assertThat(commitAfterPoll(P0)).isEqualTo(1); // finished, but within the interval of the last commit

        await().until(() -> commitAfterPoll(P0) == 2);
        assertThat(commits.get(P0)).containsExactly(1L, 2L);
    }

    @Test
    void theConsumerPausesWhenFullAndResumesAsRecordsFinish() {
        fullAndPaused();
        assertThat(mostRunning.get()).isEqualTo(4); // the bound: 4 at once however many threads start, 2 waiting

        for (long offset = 0; offset < 6; offset++) {
            release(offset);
        }
        await().until(() -> {
            lanes.afterConsume(consumer);
            return consumer.paused().isEmpty();
        });
        await().until(() -> commitAfterPoll(P0) == 6);
    }

    /** Six held records of six keys: four run (the bound), two wait, and the consumer is paused. */
    private void fullAndPaused() {
        for (long offset = 0; offset < 6; offset++) {
            hold(offset);
            offer(P0, offset, "K" + offset);
        }
        lanes.afterConsume(consumer);
        assertThat(consumer.paused()).containsExactlyInAnyOrder(P0, P1);
        await().until(() -> running.get() == 4);
    }

    /**
     * Partitions the lanes paused while full stay paused while Camel holds the route (an operator's suspend, a reload
     * stopping it): camel-kafka paused them too, and a resume as the lanes drain would read on. Once the route is
     * resumed, the lanes lift their own pause.
     */
    @Test
    void partitionsPausedWhenFullStayPausedWhileCamelSuspendsTheRoute() throws Exception {
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(new ListenedEndpoint(camel)).routeId("listened").to("log:unused");
            }
        });
        ((ListenedConsumer) camel.getRoute("listened").getConsumer()).setConsumerListener(lanes);
        fullAndPaused();

        camel.getRouteController().suspendRoute("listened");
        for (long offset = 0; offset < 6; offset++) {
            release(offset);
        }
        await().until(() -> running.get() == 0 && ran.values().stream().mapToInt(List::size).sum() == 6);
        lanes.afterConsume(consumer);
        assertThat(consumer.paused()).containsExactlyInAnyOrder(P0, P1);

        camel.getRouteController().resumeRoute("listened");
        lanes.afterConsume(consumer);
        assertThat(consumer.paused()).isEmpty();
    }

    /** A route consumer that serves the lanes as camel-kafka's does: suspendable, with the lanes as its listener. */
    private static final class ListenedEndpoint extends DefaultEndpoint {

        ListenedEndpoint(CamelContext camel) {
            super("listened:orders", null);
            setCamelContext(camel);
        }

        @Override
        public Producer createProducer() {
            throw new UnsupportedOperationException("a consumer only");
        }

        @Override
        public Consumer createConsumer(Processor processor) {
            return new ListenedConsumer(this, processor);
        }
    }

    private static final class ListenedConsumer extends DefaultConsumer
            implements ConsumerListenerAware<ConsumerListener<?, ?>>, Suspendable {

        private ConsumerListener<?, ?> listener;

        ListenedConsumer(Endpoint endpoint, Processor processor) {
            super(endpoint, processor);
        }

        @Override
        public ConsumerListener<?, ?> getConsumerListener() {
            return listener;
        }

        @Override
        public void setConsumerListener(ConsumerListener<?, ?> listener) {
            this.listener = listener;
        }
    }

    /** Once the lanes stop, the partitions they paused stay paused: Camel suspended the consumer meanwhile. */
    @Test
    void partitionsPausedWhenFullStayPausedOnceTheLanesStop() throws Exception {
        fullAndPaused();

        Thread stopping = new Thread(() -> {
            try {
                lanes.stop();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        stopping.start();
        for (long offset = 0; offset < 6; offset++) {
            release(offset);
        }
        stopping.join(10_000);
        lanes.afterConsume(consumer);

        assertThat(consumer.paused()).containsExactlyInAnyOrder(P0, P1);
    }

    /**
     * With warmUp (the endpoint's default) the first record after a start runs alone; once it has run, the bound is
     * maxInFlight again. The classes its path loads lazily are loaded by one thread, not by many pinned virtual threads.
     */
    @Test
    void withWarmUpTheFirstRecordRunsAloneThenTheOthersAtOnce() throws Exception {
        lanes.stop();
        lanes.start(camel, "direct:work", 4, 10, 5_000, REVOKE_MS, 1_000, 0, true, true);
        lanes.afterConsume(consumer);
        for (long offset = 0; offset < 5; offset++) {
            hold(offset);
            offer(P0, offset, "K" + offset);
        }
        await().until(() -> running.get() == 1);
        await().pollDelay(Duration.ofMillis(300)).until(() -> true);
        assertThat(ran).as("the others wait for the first, whichever it is").hasSize(1);
        assertThat(mostRunning.get()).isEqualTo(1);

        long first = ran.values().iterator().next().get(0);
        release(first);
        await().until(() -> running.get() == 4);
        assertThat(mostRunning.get()).as("then maxInFlight at once").isEqualTo(4);
        for (long offset = 0; offset < 5; offset++) {
            if (offset != first) {
                release(offset);
            }
        }
        await().until(() -> commitAfterPoll(P0) == 5);
    }

    /** A record left running from before a restart ends its own start's warm-up, not the new one's. */
    @Test
    void aRecordStillRunningFromBeforeARestartDoesNotEndTheNewStartsWarmUp() throws Exception {
        CountDownLatch antomAnswers = stuckAcrossARestart(true); // its first attempt not returned
        antomAnswers.countDown();
        await().until(() -> running.get() == 0);

        for (long offset = 1; offset < 6; offset++) {
            hold(offset);
            offer(P0, offset, "K" + offset);
        }
        await().until(() -> running.get() == 1);
        await().pollDelay(Duration.ofMillis(300)).until(() -> true);
        assertThat(running.get()).as("the new start's first record runs alone").isEqualTo(1);
        long first = ran.entrySet().stream().filter(e -> e.getKey().startsWith("K")).findFirst().orElseThrow()
                .getValue().get(0);
        release(first);
        await().until(() -> running.get() == 4);
        for (long offset = 1; offset < 6; offset++) {
            release(offset);
        }
    }

    @Test
    void onJava21AndLaterEachRecordRunsOnAVirtualThreadNamedForItsLanes() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.version().feature() >= 21, "virtual threads: Java 21+");
        for (long offset = 0; offset < 8; offset++) {
            offer(P0, offset, "K" + offset);
        }
        await().until(() -> commitAfterPoll(P0) == 8);
        assertThat(onVirtualThreads.get()).isTrue();
        assertThat(threadNames).allMatch(n -> n.startsWith("key-ordered-" + lanes.name() + "-"));
    }

    @Test
    void withVirtualThreadsOffRecordsRunOnAPoolOfMaxInFlightPlatformThreads() throws Exception {
        lanes.stop();
        lanes.start(camel, "direct:work", 4, 10, 5_000, REVOKE_MS, 1_000, 0, false, false);
        lanes.afterConsume(consumer);
        for (long offset = 0; offset < 8; offset++) {
            offer(P0, offset, "K" + offset);
        }
        await().until(() -> commitAfterPoll(P0) == 8);
        assertThat(onVirtualThreads.get()).isFalse();
        assertThat(threadNames).hasSizeLessThanOrEqualTo(4)
                .allMatch(n -> n.startsWith("key-ordered-" + lanes.name() + "-"));
    }

    private static boolean isVirtual(Thread thread) {
        try {
            return (Boolean) Thread.class.getMethod("isVirtual").invoke(thread); // Java 21 API; compiled for 17
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    /**
     * P0 goes to another member while record 1 is being sent: Kafka's poll waits (the rebalance callback) until it
     * ends, and P0 is committed past it before the new owner reads on; record 3, waiting behind it, never starts here.
     */
    @Test
    void aRebalanceLetsTheRecordsOfALeavingPartitionEndAndCommitsThemBeforeItGoes() throws Exception {
        offer(P0, 0, "A");
        hold(1);
        offer(P0, 1, "B");
        offer(P0, 2, "C");
        offer(P0, 3, "B");
        offer(P1, 0, "D");
        await().until(() -> ran.containsKey("C") && ran.containsKey("D") && commitAfterPoll(P1) == 1);
        Thread antomAnswers = releasedOnceThePollWaits(1);

        consumer.rebalance(List.of(P1)); // this thread is the consumer's: Kafka calls the lanes in its poll

        // P0 is no longer this consumer's once the poll returns: a commit of 3 was made in it, after 1 finished
        assertThat(commits.get(P0)).as("0, 1 and 2 committed before P0 left; 3 is its new owner's").endsWith(3L);
        antomAnswers.join();
        await().until(() -> lanes.accepted() == 0);
        assertThat(ran.get("B")).as("3 never started once P0 was leaving").containsExactly(1L);
        lanes.afterConsume(consumer);
        assertThat(commits.get(P0)).endsWith(3L);
    }

    /**
     * Kafka's range assignor is eager: a rebalance takes every partition, also those that come back. Both wait for
     * their records being sent and commit them; the records read again afterwards are tracked afresh.
     */
    @Test
    void anEagerRebalanceHandsEveryPartitionOverAndTheOnesThatComeBackAreReadOnFromTheirCommits() throws Exception {
        hold(0);
        offer(P0, 0, "A");
        offer(P0, 1, "A");
        offer(P1, 3, "B"); // not 0: held records are named by offset
        await().until(() -> running.get() == 1 && commitAfterPoll(P1) == 4);
        Thread antomAnswers = releasedOnceThePollWaits(0);

        consumer.rebalance(List.of()); // every partition revoked, then assigned again
        consumer.rebalance(List.of(P0, P1));

        assertThat(commits.get(P0)).as("0 finished and committed in the poll; 1 never started").endsWith(1L);
        antomAnswers.join();
        await().until(() -> lanes.accepted() == 0);
        assertThat(ran.get("A")).containsExactly(0L);
        offer(P0, 1, "A"); // read again from P0's commit
        offer(P0, 2, "C");
        await().until(() -> commitAfterPoll(P0) == 3);
        assertThat(ran.get("A")).containsExactly(0L, 1L);
    }

    /**
     * Releases a held record from another thread once this one, the consumer's, waits in the rebalance for records
     * being sent (the only timed wait it makes inside the poll), so that the test never depends on a delay.
     */
    private Thread releasedOnceThePollWaits(long offset) {
        Thread consumerThread = Thread.currentThread();
        Thread releasing = new Thread(() -> {
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                    .until(() -> consumerThread.getState() == Thread.State.TIMED_WAITING);
            release(offset);
        });
        releasing.start();
        return releasing;
    }

    /** Lost (not revoked): another member may own it already, so nothing more of it is committed or started. */
    @Test
    void aLostPartitionCommitsNothingMore() {
        hold(1);
        offer(P0, 0, "A");
        offer(P0, 1, "B");
        offer(P0, 2, "B");
        await().until(() -> commitAfterPoll(P0) == 1 && running.get() == 1);

        lanes.partitionsLost(consumer, List.of(P0));
        release(1);
        await().until(() -> lanes.accepted() == 0);
        lanes.afterConsume(consumer);
        assertThat(commits.get(P0)).containsExactly(1L);
        assertThat(ran.get("B")).containsExactly(1L);
    }

    /** A record still being sent after the revoke timeout holds P0's commit below it: the new owner reads it again. */
    @Test
    void aRecordStillBeingSentAfterTheRevokeTimeoutIsLeftToTheNewOwner() {
        offer(P0, 0, "A");
        await().until(() -> commitAfterPoll(P0) == 1);
        hold(1);
        offer(P0, 1, "B");
        offer(P0, 2, "C");
        offer(P1, 0, "D");
        await().until(() -> ran.containsKey("B") && ran.containsKey("C"));

        consumer.rebalance(List.of(P1)); // P0 goes to another instance while 1 is in flight
        lanes.afterConsume(consumer);
        release(1);
        await().until(() -> lanes.accepted() == 0);
        lanes.afterConsume(consumer);
        assertThat(commits.get(P0)).as("P0 stays at its last commit: 1 and 2 are read again by its new owner")
                .containsExactly(1L);
        assertThat(commits.get(P1)).containsExactly(1L);

        // the partition comes back, read again from its commit: the lanes start over from there
        consumer.rebalance(List.of(P0, P1));
        lanes.afterConsume(consumer);
        offer(P0, 1, "B");
        offer(P0, 2, "C");
        await().until(() -> commitAfterPoll(P0) == 3);
        assertThat(commits.get(P0)).containsExactly(1L, 3L);
        assertThat(ran.get("B")).containsExactly(1L, 1L);
    }

    @Test
    void recordsReadAgainAfterARewindAreTrackedAfresh() {
        hold(0);
        offer(P0, 0, "A");
        offer(P0, 1, "B");
        await().until(() -> ran.containsKey("B"));
        // an eager rebalance kept P0 but rewound it to the committed offset: 0 and 1 come again
        offer(P0, 0, "A");
        offer(P0, 1, "B");
        release(0);
        await().until(() -> lanes.accepted() == 0);
        assertThat(commitAfterPoll(P0)).isEqualTo(2);
        assertThat(ran.get("A")).containsExactly(0L, 0L);
    }

    @Test
    void aRecordStillRunningAfterTheStopTimeoutKeepsItsKeyAcrossARestartAndTheCopyReadAgainWaits() throws Exception {
        CountDownLatch antomAnswers = stuckAcrossARestart(false);
        assertThat(lanes.stillRunning()).isEqualTo(1);
        offer(P0, 0, "A");
        offer(P0, 1, "B");
        await().until(() -> ran.containsKey("B"));
        assertThat(ran.get("A")).as("the copy read again waits for the one still running").containsExactly(0L);

        antomAnswers.countDown();
        await().until(() -> ran.get("A").size() == 2 && lanes.accepted() == 0);
        assertThat(mostRunningOfKey.get("A").get()).as("one record of a key at a time").isEqualTo(1);
        lanes.afterConsume(reloaded);
        assertThat(reloaded.committed(Set.of(P0)).get(P0).offset()).isEqualTo(2);
        assertThat(commits.getOrDefault(P0, List.of())).as("the old consumer commits nothing of it").isEmpty();
    }

    @Test
    void aCopyReadAgainAfterARebalanceWaitsForTheRecordStillInFlight() {
        hold(0);
        offer(P0, 0, "A");
        await().until(() -> running.get() == 1);
        consumer.rebalance(List.of(P1)); // P0 leaves while 0 runs, then comes back: read again from its commit
        lanes.afterConsume(consumer);
        consumer.rebalance(List.of(P0, P1));
        lanes.afterConsume(consumer);
        offer(P0, 0, "A");
        await().pollDelay(Duration.ofMillis(200)).until(() -> true);
        assertThat(ran.get("A")).containsExactly(0L);

        release(0);
        await().until(() -> lanes.accepted() == 0);
        assertThat(ran.get("A")).containsExactly(0L, 0L);
        assertThat(mostRunningOfKey.get("A").get()).isEqualTo(1);
        assertThat(commitAfterPoll(P0)).isEqualTo(1);
    }

    /** The consumer of the lanes' current start (a restart gives them a new one). */
    private MockConsumer<Object, Object> reloaded;

    /**
     * Record 0 (key A) runs, stuck, through a stop that times out (a short shutdown timeout) and a restart, as a route
     * reload would: the lanes start again with a new consumer ({@link #reloaded}). Returns the latch that unsticks it.
     */
    private CountDownLatch stuckAcrossARestart(boolean warmUp) throws Exception {
        lanes.stop();
        lanes.start(camel, "direct:work", 4, 10, 200, REVOKE_MS, 1_000, 0, true, warmUp);
        lanes.afterConsume(consumer);
        CountDownLatch antomAnswers = new CountDownLatch(1);
        stuck.put(0L, antomAnswers);
        offer(P0, 0, "A");
        await().until(() -> running.get() == 1);
        lanes.stop(); // times out: offset 0 is still running, deaf to the interrupt
        lanes.start(camel, "direct:work", 4, 10, 200, REVOKE_MS, 1_000, 0, true, warmUp);
        reloaded = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
        reloaded.subscribe(List.of("orders"));
        reloaded.rebalance(List.of(P0, P1));
        lanes.afterConsume(reloaded);
        return antomAnswers;
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                if (!latch.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never released");
                }
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** In this thread: the lanes know a consumer by the thread that polls it, as camel-kafka has one per consumer. */
    private static org.awaitility.core.ConditionFactory await() {
        return Awaitility.await().pollInSameThread().atMost(Duration.ofSeconds(10));
    }

    /** A poll: the lanes commit what is due; returns the committed offset of the partition (0 when none). */
    private long commitAfterPoll(TopicPartition partition) {
        lanes.afterConsume(consumer);
        OffsetAndMetadata committed = consumer.committed(Set.of(partition)).get(partition);
        return committed == null ? 0 : committed.offset();
    }

    private void offer(TopicPartition partition, long offset, String key) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setHeader(KafkaConstants.TOPIC, partition.topic());
        exchange.getMessage().setHeader(KafkaConstants.PARTITION, partition.partition());
        exchange.getMessage().setHeader(KafkaConstants.OFFSET, offset);
        exchange.getMessage().setHeader(KafkaConstants.KEY, key);
        // as camel-kafka hands a record over: its header set as sent, beside the bounded copy the exchange has
        exchange.getMessage().setHeader(KafkaConstants.HEADERS,
                new org.apache.kafka.common.header.internals.RecordHeaders().add("h", new byte[1]));
        exchange.getMessage().setBody("order " + key);
        lanes.offer(exchange);
    }

    private void hold(long offset) {
        held.put(offset, new CountDownLatch(1));
    }

    private void release(long offset) {
        held.get(offset).countDown();
    }
}
