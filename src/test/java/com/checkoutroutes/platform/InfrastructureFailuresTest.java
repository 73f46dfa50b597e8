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
}
