package com.checkoutroutes.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.apache.camel.RuntimeCamelException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.transaction.CannotCreateTransactionException;

/** Which failures are the database's or Kafka's (read the message again) and which the message's or a bug's. */
class InfrastructureFailuresTest {

    @Test
    void theDatabaseOrKafkaInTroubleWhateverWrapsIt() {
        assertThat(InfrastructureFailures.isInfrastructure(new DataAccessResourceFailureException("down",
                new PSQLException("I/O error", PSQLState.CONNECTION_FAILURE)))).isTrue();
        assertThat(InfrastructureFailures.isInfrastructure(new CannotAcquireLockException("lock timeout",
                new PSQLException("lock timeout", PSQLState.UNKNOWN_STATE)))).isTrue();
        assertThat(InfrastructureFailures.isInfrastructure(new CannotCreateTransactionException("no connection",
                new SQLTransientConnectionException("pool empty")))).isTrue();
        assertThat(InfrastructureFailures.isInfrastructure(new RuntimeCamelException(
                new TimeoutException("no broker")))).isTrue();
        assertThat(InfrastructureFailures.isInfrastructure(new IllegalStateException("wrapped",
                new PSQLException("terminating connection due to administrator command", PSQLState.CONNECTION_FAILURE_DURING_TRANSACTION))))
                .as("an untranslated driver exception, by its SQLState").isTrue();
    }

    @Test
    void theMessagesOwnFailuresAndBugsAreNot() {
        assertThat(InfrastructureFailures.isInfrastructure(new DataIntegrityViolationException("too long",
                new PSQLException("value too long", PSQLState.STRING_DATA_RIGHT_TRUNCATION)))).isFalse();
        assertThat(InfrastructureFailures.isInfrastructure(new DuplicateKeyException("duplicate"))).isFalse();
        assertThat(InfrastructureFailures.isInfrastructure(new BadSqlGrammarException("task", "SELECT",
                new SQLException("syntax error", "42601")))).isFalse();
        assertThat(InfrastructureFailures.isInfrastructure(new IllegalStateException("a bug"))).isFalse();
        assertThat(InfrastructureFailures.isInfrastructure(new IllegalStateException("wrapped",
                new SQLException("integrity", "40002")))).as("a constraint checked at commit: the data's").isFalse();
        assertThat(InfrastructureFailures.isInfrastructure(null)).isFalse();
    }

    /** A lost connection fails all that used it; a deadlock or a lock timeout one transaction, tried again alone. */
    @Test
    void aConnectionLostIsToldApartFromOneTransactionsTrouble() {
        assertThat(InfrastructureFailures.isConnectionLost(new DataAccessResourceFailureException("down",
                new PSQLException("I/O error", PSQLState.CONNECTION_FAILURE)))).isTrue();
        assertThat(InfrastructureFailures.isConnectionLost(new IllegalStateException("wrapped",
                new SQLException("terminating connection due to administrator command", "57P01")))).isTrue();
        assertThat(InfrastructureFailures.isConnectionLost(new CannotAcquireLockException("deadlock",
                new SQLException("deadlock detected", "40P01")))).isFalse();
        assertThat(InfrastructureFailures.isConnectionLost(new CannotAcquireLockException("lock timeout",
                new SQLException("lock not available", "55P03")))).isFalse();
        assertThat(InfrastructureFailures.isConnectionLost(new DuplicateKeyException("duplicate"))).isFalse();
    }

    /** The line of a record read again names what really failed: a failure classed wrongly shows its root cause. */
    @Test
    void theLineOfARecordReadAgainNamesItsRootCause() {
        assertThat(InfrastructureFailures.withRootCause(new RuntimeCamelException(new IllegalStateException("wrapped",
                new PSQLException("connection refused", PSQLState.CONNECTION_UNABLE_TO_CONNECT)))))
                .startsWith("org.apache.camel.RuntimeCamelException")
                .endsWith("(root cause: org.postgresql.util.PSQLException: connection refused)");
        assertThat(InfrastructureFailures.withRootCause(new TimeoutException("no broker")))
                .isEqualTo("org.apache.kafka.common.errors.TimeoutException: no broker");
        assertThat(InfrastructureFailures.withRootCause(null)).isEqualTo("?");
    }

    /** A record interrupted mid-way (the lanes stopping for a reload or a shutdown) is read again, not dead-lettered. */
    @Test
    void anInterruptionIsInfrastructure() {
        assertThat(InfrastructureFailures.isInfrastructure(new IllegalStateException(
                "interrupted while the ledger write was committed", new InterruptedException()))).isTrue();
        assertThat(InfrastructureFailures.isInfrastructure(new java.io.InterruptedIOException("read"))).isTrue();
    }

    /** Records read again during an outage are said once per route every 10 s, not once each. */
    @Test
    void recordsReadAgainAreLoggedOncePerRouteAWhile() {
        try (com.checkoutroutes.testsupport.LogLines lines =
                com.checkoutroutes.testsupport.LogLines.of(InfrastructureFailures.class)) {
            InfrastructureFailures failures = new InfrastructureFailures();
            org.apache.camel.CamelContext camel = new org.apache.camel.impl.DefaultCamelContext();
            for (String route : java.util.List.of("order-intake", "order-intake", "order-intake", "order-events")) {
                org.apache.camel.Exchange exchange = new org.apache.camel.support.DefaultExchange(camel);
                exchange.setException(new DataAccessResourceFailureException("database down"));
                exchange.getExchangeExtension().setFromRouteId(route);
                failures.readAgain(exchange);
            }
            assertThat(lines.atLeast(ch.qos.logback.classic.Level.WARN)).hasSize(2)
                    .allSatisfy(line -> assertThat(line).contains("will be read again"));
        }
    }
}
