package com.checkoutroutes.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Group commit against an in-memory database: concurrent writes share one commit, a caller returns only once its
 * write is committed, and a failing write fails alone while the others of its batch are kept.
 */
class GroupCommitTest {

    private final JdbcTemplate jdbc;
    private final AtomicInteger commits = new AtomicInteger();
    private final io.micrometer.core.instrument.simple.SimpleMeterRegistry meters =
            new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    private final TransactionTemplate tx;
    private final ExecutorService callers = Executors.newFixedThreadPool(32);
    private GroupCommit groupCommit;

    GroupCommitTest() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:group-commit-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        jdbc = new JdbcTemplate(h2);
        jdbc.execute("CREATE TABLE attempt (id INT PRIMARY KEY)");
        DataSourceTransactionManager manager = new DataSourceTransactionManager(h2) {
            @Override
            protected void doCommit(DefaultTransactionStatus status) {
                commits.incrementAndGet();
                super.doCommit(status);
            }
        };
        tx = new TransactionTemplate(manager);
    }

    @AfterEach
    void stop() throws Exception {
        callers.shutdownNow();
        if (groupCommit != null) {
            groupCommit.destroy();
        }
    }

    @Test
    void writesWaitingTogetherShareOneCommitAndEachReturnsOnlyOnceCommitted() throws Exception {
        groupCommit = new GroupCommit(tx, new LedgerSettings(64, 1, Duration.ZERO), meters);
        CountDownLatch release = new CountDownLatch(1);
        Future<?> first = holdTheWriter(0, release);
        List<Future<Integer>> rest = new ArrayList<>();
        for (int i = 1; i <= 16; i++) {
            int id = i;
            rest.add(callers.submit(() -> {
                int written = groupCommit.execute(() -> tx.execute(status -> insert(id)));
                // returned: committed, so another connection sees it
                assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM attempt WHERE id = ?", Integer.class, id))
                        .isEqualTo(1);
                return written;
            }));
        }
        org.awaitility.Awaitility.await().until(() -> queued() == 16);
        release.countDown();
        first.get(5, TimeUnit.SECONDS);
        for (Future<Integer> f : rest) {
            assertThat(f.get(5, TimeUnit.SECONDS)).isEqualTo(1);
        }
        assertThat(commits.get()).as("the first write alone, then the 16 that waited together").isEqualTo(2);
        assertThat(meters.counter("checkout.ledger.group.commit.writes").count()).isEqualTo(17);
        assertThat(meters.counter("checkout.ledger.group.commit.commits").count()).isEqualTo(2);
    }

    @Test
    void aFailingWriteFailsAloneAndTheOthersOfItsBatchAreKept() throws Exception {
        insert(5); // 5 exists: writing it again breaks the primary key, as a redelivered attempt would
        groupCommit = new GroupCommit(tx, new LedgerSettings(64, 1, Duration.ZERO), meters);
        CountDownLatch release = new CountDownLatch(1);
        Future<?> first = holdTheWriter(100, release);
        List<Future<Integer>> writes = writes(1, 8);
        org.awaitility.Awaitility.await().until(() -> queued() == 8);
        release.countDown();
        first.get(5, TimeUnit.SECONDS);
        for (int id = 1; id <= 8; id++) {
            Future<Integer> write = writes.get(id - 1);
            if (id == 5) {
                assertThatThrownBy(() -> write.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(DuplicateKeyException.class);
            } else {
                assertThat(write.get(5, TimeUnit.SECONDS)).isEqualTo(1);
            }
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM attempt", Integer.class)).isEqualTo(9);
    }

    /** Without a connection for the batch, its writes fail at once, not each after another wait for one. */
    @Test
    void aBatchThatGetsNoTransactionFailsEveryWriteAtOnce() throws Exception {
        AtomicBoolean databaseDown = new AtomicBoolean();
        AtomicInteger begins = new AtomicInteger();
        DataSourceTransactionManager manager = new DataSourceTransactionManager(jdbc.getDataSource()) {
            @Override
            protected void doBegin(Object transaction, TransactionDefinition definition) {
                begins.incrementAndGet();
                if (databaseDown.get()) {
                    throw new CannotCreateTransactionException("no connection within the pool's timeout");
                }
                super.doBegin(transaction, definition);
            }
        };
        TransactionTemplate failing = new TransactionTemplate(manager);
        groupCommit = new GroupCommit(failing, new LedgerSettings(64, 1, Duration.ZERO), meters);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch writerBusy = new CountDownLatch(1);
        callers.submit(() -> groupCommit.execute(() -> {
            writerBusy.countDown();
            await(release);
            return 0;
        }));
        assertThat(writerBusy.await(5, TimeUnit.SECONDS)).isTrue();
        List<Future<Integer>> writes = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            int id = i;
            writes.add(callers.submit(() -> groupCommit.execute(() -> failing.execute(status -> insert(id)))));
        }
        org.awaitility.Awaitility.await().until(() -> queued() == 8);
        databaseDown.set(true);
        release.countDown();

        for (Future<Integer> write : writes) {
            assertThatThrownBy(() -> write.get(5, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(CannotCreateTransactionException.class);
        }
        assertThat(begins.get()).as("the batch's one try, no try per write").isEqualTo(1);
    }

    /** An Error of one write's own (a stack overflow) is that write's failure, as an exception is. */
    @Test
    void aWriteFailingWithAnErrorFailsAloneAndTheOthersOfItsBatchAreKept() throws Exception {
        groupCommit = new GroupCommit(tx, new LedgerSettings(64, 1, Duration.ZERO), meters);
        CountDownLatch release = new CountDownLatch(1);
        Future<?> first = holdTheWriter(100, release);
        List<Future<Integer>> writes = writes(1, 4);
        Future<Integer> broken = callers.submit(() -> groupCommit.execute(() -> tx.execute(status -> {
            insert(5);
            throw new StackOverflowError();
        })));
        org.awaitility.Awaitility.await().until(() -> queued() == 5);
        release.countDown();
        first.get(5, TimeUnit.SECONDS);

        for (Future<Integer> write : writes) {
            assertThat(write.get(5, TimeUnit.SECONDS)).isEqualTo(1);
        }
        assertThatThrownBy(() -> broken.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(StackOverflowError.class);
        assertThat(jdbc.queryForList("SELECT id FROM attempt ORDER BY id", Integer.class))
                .containsExactly(1, 2, 3, 4, 100);
    }

    /**
     * A batch whose connection is lost once begun, and again in its second try (the database gone), fails every write
     * at once (the database kept none of them), not each after another wait for a connection, one after another.
     */
    @Test
    void aBatchThatLosesItsConnectionTwiceFailsEveryWriteAtOnce() throws Exception {
        AtomicInteger begins = new AtomicInteger();
        List<Future<Integer>> writes = writesLosingTheConnection(Integer.MAX_VALUE, begins);

        for (Future<Integer> write : writes) {
            assertThatThrownBy(() -> write.get(5, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(DataAccessResourceFailureException.class);
        }
        assertThat(begins.get()).as("the batch's two tries, no try per write").isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM attempt", Integer.class)).isZero();
    }

    /** One connection dropped (its backend ended): the batch's second try, on another, writes every write. */
    @Test
    void aBatchThatLosesItsConnectionOnceIsWrittenInItsSecondTry() throws Exception {
        AtomicInteger begins = new AtomicInteger();
        List<Future<Integer>> writes = writesLosingTheConnection(1, begins);

        for (Future<Integer> write : writes) {
            assertThat(write.get(5, TimeUnit.SECONDS)).isEqualTo(1);
        }
        assertThat(begins.get()).as("the batch's two tries").isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM attempt", Integer.class)).isEqualTo(8);
    }

    /**
     * Eight writes queued as one batch behind a write that holds the writer; the first {@code losses} of their
     * statements then fail as pgjdbc reports a connection the server or the network dropped. {@code begins}: the
     * transactions begun for them.
     */
    private List<Future<Integer>> writesLosingTheConnection(int losses, AtomicInteger begins) throws Exception {
        AtomicInteger lossesLeft = new AtomicInteger();
        AtomicBoolean counting = new AtomicBoolean();
        DataSourceTransactionManager manager = new DataSourceTransactionManager(jdbc.getDataSource()) {
            @Override
            protected void doBegin(Object transaction, TransactionDefinition definition) {
                if (counting.get()) {
                    begins.incrementAndGet();
                }
                super.doBegin(transaction, definition);
            }
        };
        TransactionTemplate losing = new TransactionTemplate(manager);
        groupCommit = new GroupCommit(losing, new LedgerSettings(64, 1, Duration.ZERO), meters);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch writerBusy = new CountDownLatch(1);
        callers.submit(() -> groupCommit.execute(() -> {
            writerBusy.countDown();
            await(release);
            return 0;
        }));
        assertThat(writerBusy.await(5, TimeUnit.SECONDS)).isTrue();
        List<Future<Integer>> writes = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            int id = i;
            writes.add(callers.submit(() -> groupCommit.execute(() -> losing.execute(status -> {
                if (lossesLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                    throw new DataAccessResourceFailureException("insert failed",
                            new SQLException("An I/O error occurred while sending to the backend.", "08006"));
                }
                return insert(id);
            }))));
        }
        org.awaitility.Awaitility.await().until(() -> queued() == 8);
        lossesLeft.set(losses);
        counting.set(true);
        release.countDown();
        return writes;
    }

    @Test
    void oneWriteAtATimeWhenTheBatchIsOne() {
        groupCommit = new GroupCommit(tx, new LedgerSettings(1, 1, Duration.ZERO), meters);
        int written = groupCommit.execute(() -> tx.execute(status -> insert(1)));
        assertThat(written).isEqualTo(1);
        assertThat(commits.get()).isEqualTo(1);
    }

    @Test
    void severalWritersCommitEveryWrite() throws Exception {
        groupCommit = new GroupCommit(tx, new LedgerSettings(8, 3, Duration.ZERO), meters);
        List<Future<Integer>> writes = writes(1, 30);
        for (Future<Integer> write : writes) {
            assertThat(write.get(5, TimeUnit.SECONDS)).isEqualTo(1);
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM attempt", Integer.class)).isEqualTo(30);
        assertThat(commits.get()).isLessThanOrEqualTo(30);
    }

    @Test
    void theOtherWritersStayOutOfAFewWaitingWritesAndHelpWithABacklog() throws Exception {
        groupCommit = new GroupCommit(tx, new LedgerSettings(16, 3, Duration.ZERO), meters); // a backlog: more than 4 waiting
        CountDownLatch release = new CountDownLatch(1);
        Future<?> held = holdTheWriter(0, release);
        List<Future<Integer>> few = writes(1, 4);
        org.awaitility.Awaitility.await().until(() -> queued() == 4);
        // four wait for the leading writer: the others stay out, the next commit carries all four
        org.awaitility.Awaitility.await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> queued() == 4);

        List<Future<Integer>> more = writes(5, 12);
        // a backlog: the other writers commit it while the leading one is still held, down to a few
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> queued() <= 4
                && jdbc.queryForObject("SELECT COUNT(*) FROM attempt", Integer.class) == 12 - queued());
        assertThat(held).isNotDone();

        release.countDown();
        held.get(5, TimeUnit.SECONDS);
        for (Future<Integer> write : few) {
            assertThat(write.get(5, TimeUnit.SECONDS)).isEqualTo(1);
        }
        for (Future<Integer> write : more) {
            assertThat(write.get(5, TimeUnit.SECONDS)).isEqualTo(1);
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM attempt", Integer.class)).isEqualTo(13);
    }

    @Test
    void belowSaturationTheFirstWriteWaitsTheLingerForOthersThatThenShareItsCommit() throws Exception {
        Duration linger = Duration.ofMillis(400);
        groupCommit = new GroupCommit(tx, new LedgerSettings(64, 1, linger), meters);
        long start = System.nanoTime();
        Future<Integer> first = callers.submit(() -> groupCommit.execute(() -> tx.execute(status -> insert(1))));
        // a second write comes while the first lingers
        Future<Integer> second = callers.submit(() -> groupCommit.execute(() -> tx.execute(status -> insert(2))));

        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("committed once the linger was over")
                .isGreaterThanOrEqualTo(linger);
        assertThat(commits.get()).as("both writes in one commit").isEqualTo(1);
    }

    @Test
    void aBatchThatIsFullIsCommittedWithoutWaitingTheLinger() throws Exception {
        groupCommit = new GroupCommit(tx, new LedgerSettings(4, 1, Duration.ofSeconds(60)), meters);
        List<Future<Integer>> writes = writes(1, 4);
        for (Future<Integer> write : writes) {
            assertThat(write.get(10, TimeUnit.SECONDS)).as("a full batch does not wait the 60 s").isEqualTo(1);
        }
        assertThat(commits.get()).as("the four in one commit").isEqualTo(1);
    }

    @Test
    void aWriterInterruptedWhileItLingersStillCommitsTheWriteInHand() throws Exception {
        java.util.Set<Thread> before = Thread.getAllStackTraces().keySet();
        groupCommit = new GroupCommit(tx, new LedgerSettings(64, 1, Duration.ofSeconds(60)), meters);
        Thread writer = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.getName().startsWith("ledger-group-commit-")).findFirst()
                .orElseThrow();
        Future<Integer> write = callers.submit(() -> groupCommit.execute(() -> tx.execute(status -> insert(1))));
        org.awaitility.Awaitility.await().until(() -> java.util.Arrays.stream(writer.getStackTrace())
                .anyMatch(frame -> frame.getMethodName().equals("lingerFor")));

        writer.interrupt();

        assertThat(write.get(5, TimeUnit.SECONDS)).as("committed, not left waiting for 60 s").isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM attempt WHERE id = 1", Integer.class)).isEqualTo(1);
        writer.join(5_000);
        assertThat(writer.isAlive()).as("the interrupted writer stopped").isFalse();
    }

    @Test
    void aWriterInterruptedBetweenBatchesWritesWhatWaitsBeforeItStops() throws Exception {
        groupCommit = new GroupCommit(tx, new LedgerSettings(64, 1, Duration.ZERO), meters);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch writerBusy = new CountDownLatch(1);
        Future<Integer> interrupting = callers.submit(() -> groupCommit.execute(() -> {
            writerBusy.countDown();
            await(release);
            int written = tx.execute(status -> insert(0));
            Thread.currentThread().interrupt(); // on the writer thread: its next wait for writes is interrupted
            return written;
        }));
        assertThat(writerBusy.await(5, TimeUnit.SECONDS)).isTrue();
        List<Future<Integer>> waiting = writes(1, 4);
        org.awaitility.Awaitility.await().until(() -> queued() == 4);

        release.countDown();

        assertThat(interrupting.get(5, TimeUnit.SECONDS)).isEqualTo(1);
        for (Future<Integer> write : waiting) {
            assertThat(write.get(5, TimeUnit.SECONDS)).as("written, not left waiting").isEqualTo(1);
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM attempt", Integer.class)).isEqualTo(5);
    }

    @Test
    void aWriteAddedJustAfterTheWritersLastDrainIsWrittenByItsCaller() throws Exception {
        CountDownLatch adding = new CountDownLatch(1);
        CountDownLatch writersGone = new CountDownLatch(1);
        LinkedBlockingQueue<GroupCommit.Write<?>> queue = new LinkedBlockingQueue<>() {
            @Override
            public boolean add(GroupCommit.Write<?> write) {
                adding.countDown(); // the caller saw the writers running...
                await(writersGone); // ...and adds its write only after their last drain
                return super.add(write);
            }
        };
        groupCommit = new GroupCommit(tx, new LedgerSettings(64, 3, Duration.ZERO), meters, queue);
        Future<Integer> late = callers.submit(() -> groupCommit.execute(() -> tx.execute(status -> insert(1))));
        assertThat(adding.await(5, TimeUnit.SECONDS)).isTrue();

        groupCommit.destroy(); // the writers stop and are joined: nothing was waiting for them
        writersGone.countDown();

        assertThat(late.get(5, TimeUnit.SECONDS)).as("written, not left waiting").isEqualTo(1);
        assertRowOneWrittenAndCountedAsOneCommit();
    }

    @Test
    void aWriteThatArrivesAsTheWritersLeaveIsWrittenInTheirFinalDrainAndCounted() throws Exception {
        GroupCommit.Write<Integer> late = new GroupCommit.Write<>(() -> tx.execute(status -> insert(1)), null);
        AtomicBoolean arrived = new AtomicBoolean();
        LinkedBlockingQueue<GroupCommit.Write<?>> queue = new LinkedBlockingQueue<>() {
            @Override
            public boolean isEmpty() {
                // the writers ask only once stopped: the write arrives just after they found the queue empty
                boolean empty = super.isEmpty();
                if (empty && arrived.compareAndSet(false, true)) {
                    super.add(late);
                }
                return empty;
            }
        };
        groupCommit = new GroupCommit(tx, new LedgerSettings(64, 1, Duration.ZERO), meters, queue);

        groupCommit.destroy();

        assertThat(arrived).isTrue();
        assertThat(late.done.get(5, TimeUnit.SECONDS)).as("written, not left waiting").isEqualTo(1);
        assertRowOneWrittenAndCountedAsOneCommit();
    }

    @Test
    void writesThatComeWhileTheGroupCommitStopsAreAllWrittenAndNoneIsLeftWaiting() throws Exception {
        // many callers writing through a stop; the race itself is the test above, made deterministic
        AtomicInteger ids = new AtomicInteger();
        for (int round = 0; round < 20; round++) {
            groupCommit = new GroupCommit(tx, new LedgerSettings(8, 3, Duration.ZERO), meters);
            GroupCommit stopping = groupCommit;
            CountDownLatch started = new CountDownLatch(16);
            List<Future<Integer>> callersWrote = new ArrayList<>();
            for (int c = 0; c < 16; c++) {
                callersWrote.add(callers.submit(() -> {
                    started.countDown();
                    int written = 0;
                    for (int i = 0; i < 200; i++) {
                        int id = ids.incrementAndGet();
                        written += stopping.execute(() -> tx.execute(status -> insert(id)));
                    }
                    return written;
                }));
            }
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
            stopping.destroy();
            int written = 0;
            for (Future<Integer> caller : callersWrote) {
                written += caller.get(10, TimeUnit.SECONDS); // a write left in the queue would never return
            }
            assertThat(written).isEqualTo(16 * 200);
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM attempt", Integer.class)).isEqualTo(ids.get());
    }

    private void assertRowOneWrittenAndCountedAsOneCommit() {
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM attempt WHERE id = 1", Integer.class)).isEqualTo(1);
        assertThat(meters.counter("checkout.ledger.group.commit.writes").count()).as("counted").isEqualTo(1);
        assertThat(meters.counter("checkout.ledger.group.commit.commits").count()).isEqualTo(1);
    }

    /** Callers' writes of rows {@code from..to} through the group commit, each on a thread of its own. */
    private List<Future<Integer>> writes(int from, int to) {
        List<Future<Integer>> writes = new ArrayList<>();
        for (int id = from; id <= to; id++) {
            int row = id;
            writes.add(callers.submit(() -> groupCommit.execute(() -> tx.execute(status -> insert(row)))));
        }
        return writes;
    }

    private int insert(int id) {
        return jdbc.update("INSERT INTO attempt (id) VALUES (?)", id);
    }

    /** A first write that holds the writer until released, so that the next ones queue up as orders in flight do. */
    private Future<?> holdTheWriter(int id, CountDownLatch release) throws InterruptedException {
        CountDownLatch writerBusy = new CountDownLatch(1);
        Future<?> first = callers.submit(() -> groupCommit.execute(() -> {
            writerBusy.countDown();
            await(release);
            return tx.execute(status -> insert(id));
        }));
        assertThat(writerBusy.await(5, TimeUnit.SECONDS)).isTrue();
        return first;
    }

    private int queued() {
        return groupCommit.waiting();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
