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
