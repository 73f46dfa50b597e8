package com.checkoutroutes.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.checkoutroutes.testsupport.FreePort;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A full pool is a busy moment, a database that refuses connections an outage: told apart on Hikari's own
 * exceptions, as Spring hands them to the request paths.
 */
class DatabaseOutageTest {

    @Test
    void aWaitOnAFullPoolWhileRequestsGetAnswersIsNotAnOutage() throws Exception {
        try (HikariDataSource pool = pool("jdbc:h2:mem:outage-" + System.nanoTime())) {
            DatabaseOutage database = new DatabaseOutage(pool);
            try (Connection held = pool.getConnection()) {
                database.worked("test"); // another request got its answer a moment ago
                Throwable query = catchThrowable(() -> new JdbcTemplate(pool).queryForObject("SELECT 1", Integer.class));
                Throwable transaction = catchThrowable(() -> new TransactionTemplate(
                        new DataSourceTransactionManager(pool)).executeWithoutResult(status -> { }));
                assertThat(query).isInstanceOf(DataAccessException.class);
                assertThat(transaction).isInstanceOf(TransactionException.class);

                database.failed("test", query);
                database.failed("test", transaction);

                assertThat(database.isDown()).isFalse();
                assertThat(database.worthTrying()).as("the next request still asks the database").isTrue();
            }
        }
    }

    /** Every pooled connection taken and none answering: a database that holds them without answering. */
    @Test
    void aFullPoolWithNoAnswerForTenSecondsIsAnOutage() throws Exception {
        try (HikariDataSource pool = pool("jdbc:h2:mem:outage-" + System.nanoTime())) {
            DatabaseOutage database = new DatabaseOutage(pool);
            try (Connection held = pool.getConnection()) {
                Throwable query = catchThrowable(() -> new JdbcTemplate(pool).queryForObject("SELECT 1", Integer.class));

                database.failed("test", query);

                assertThat(database.isDown()).isTrue();
            }
        }
    }

    @Test
    void aDatabaseThatRefusesConnectionsIsAnOutage() {
        try (HikariDataSource pool = pool("jdbc:postgresql://127.0.0.1:" + FreePort.find() + "/checkout")) {
            DatabaseOutage database = new DatabaseOutage(pool);
            Throwable query = catchThrowable(() -> new JdbcTemplate(pool).queryForObject("SELECT 1", Integer.class));
            assertThat(query).isInstanceOf(DataAccessException.class);

            database.failed("test", query);

            assertThat(database.isDown()).isTrue();
            assertThat(database.worthTrying()).as("the next requests answer at once").isFalse();
        }
    }

    /**
     * Two requests that lock the same rows in opposite orders on PostgreSQL: one loses the deadlock. The database
     * answered; the next requests still ask it.
     */
    @Test
    void aStatementThatLostADeadlockIsNotAnOutage() throws Exception {
        try (HikariDataSource pool = pool("jdbc:postgresql://127.0.0.1:5432/postgres")) {
            pool.setMaximumPoolSize(2);
            DatabaseOutage database = new DatabaseOutage(pool);
            JdbcTemplate jdbc = new JdbcTemplate(pool);
            String table = "deadlock_" + System.nanoTime();
            jdbc.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, v INT)");
            try {
                jdbc.update("INSERT INTO " + table + " VALUES (1, 0), (2, 0)");
                Throwable lost = deadlock(pool, table);
                assertThat(lost).isInstanceOf(org.springframework.dao.ConcurrencyFailureException.class);

                database.failed("test", lost);
                database.failed("test", new org.springframework.dao.DuplicateKeyException("duplicate key"));

                assertThat(database.isDown()).isFalse();
                assertThat(database.worthTrying()).isTrue();
            } finally {
                jdbc.execute("DROP TABLE " + table);
            }
        }
    }

    /** The failure of whichever of two crossing transactions PostgreSQL picks as the deadlock's loser. */
    private static Throwable deadlock(HikariDataSource pool, String table) throws Exception {
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(pool));
        JdbcTemplate jdbc = new JdbcTemplate(pool);
        java.util.concurrent.CyclicBarrier bothLocked = new java.util.concurrent.CyclicBarrier(2);
        java.util.concurrent.Callable<Throwable> first = () -> catchThrowable(() -> tx.executeWithoutResult(s -> {
            jdbc.update("UPDATE " + table + " SET v = 1 WHERE id = 1");
            await(bothLocked);
            jdbc.update("UPDATE " + table + " SET v = 1 WHERE id = 2");
        }));
        java.util.concurrent.Callable<Throwable> second = () -> catchThrowable(() -> tx.executeWithoutResult(s -> {
            jdbc.update("UPDATE " + table + " SET v = 2 WHERE id = 2");
            await(bothLocked);
            jdbc.update("UPDATE " + table + " SET v = 2 WHERE id = 1");
        }));
        var threads = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var a = threads.submit(first);
            var b = threads.submit(second);
            Throwable failedA = a.get(30, java.util.concurrent.TimeUnit.SECONDS);
            Throwable failedB = b.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(failedA == null ^ failedB == null).as("exactly one lost").isTrue();
            return failedA != null ? failedA : failedB;
        } finally {
            threads.shutdownNow();
        }
    }

    private static void await(java.util.concurrent.CyclicBarrier barrier) {
        try {
            barrier.await(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void withoutAPoolToAskEveryFailureIsAnOutage() {
        DatabaseOutage database = new DatabaseOutage();

        database.failed("test", new IllegalStateException("no connection"));

        assertThat(database.isDown()).isTrue();
    }

    /** One connection at most, and no failure at start when the database is not there. */
    private static HikariDataSource pool(String url) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(url);
        pool.setUsername(url.startsWith("jdbc:h2") ? "sa" : "postgres");
        pool.setMaximumPoolSize(1);
        pool.setMinimumIdle(1);
        pool.setConnectionTimeout(250);
        // H2: the pool starts with its connection however busy the machine; PostgreSQL: there is none to wait for
        pool.setInitializationFailTimeout(url.startsWith("jdbc:h2") ? 10_000 : -1);
        return pool;
    }
}
