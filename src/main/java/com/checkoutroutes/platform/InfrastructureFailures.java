package com.checkoutroutes.platform;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import org.apache.camel.Exchange;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;

/**
 * Whether a failure is the database's, Kafka's or the process's rather than the message's: then the message is read
 * again after a pause, never dead-lettered (routes/error-handling.yaml asks, as {@code infrastructureFailures}).
 * The whole cause chain is looked at: Camel matches an onException clause on the deepest cause first, and the
 * driver's exception under Spring's (pgjdbc's PSQLException, an SQLException) matched only the catch-all, which
 * dead-lettered an order because of a dropped connection. A constraint the data breaks, or SQL that is wrong, is the
 * message's or a bug: not infrastructure, so it is tried twice more and dead-lettered instead of blocking its
 * partition for good.
 */
@Component("infrastructureFailures")
public class InfrastructureFailures {

    private static final Logger LOG = LoggerFactory.getLogger(InfrastructureFailures.class);
    /** At most one line per route every 10 s, however many of its records fail meanwhile. */
    private final QuietLog readAgainLog = new QuietLog(java.time.Duration.ofSeconds(10));

    /**
     * For the routes' {@code onWhen}: the exception being handled is infrastructure's. The exchange, not an
     * {@code @ExchangeException} parameter: Camel binds that to the deepest cause of the parameter's type, the driver's
     * exception without Spring's over it.
     */
    public boolean test(Exchange exchange) {
        Throwable failure = failureOf(exchange);
        return isInfrastructure(failure);
    }

    /** The failure being handled: the exchange's exception, or the one an onException clause caught. */
    private static Throwable failureOf(Exchange exchange) {
        return exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    }

    /**
     * For the catch-all's {@code onWhen}: it is not. Both clauses name java.lang.Exception, and which of two equally
     * near clauses Camel picks is not the order they are written in: each says when it applies.
     */
    public boolean testNot(Exchange exchange) {
        return !test(exchange);
    }

    /**
     * For the routes' infrastructure clause: says that a record will be read again, one WARN line per route every
     * 10 s with how many more came meanwhile. With the database down every record in flight fails again every few
     * seconds: a line (and Camel's stack trace) for each buried the outage's own line in hundreds a second.
     */
    public void readAgain(Exchange exchange) {
        oneLineEvery10s(exchange, route -> route + ": the record at " + exchange.getIn().getHeader("kafka.PARTITION")
                + "/" + exchange.getIn().getHeader("kafka.OFFSET") + " will be read again", "");
    }

    /**
     * For the scheduled jobs' infrastructure clause: a run the database or Kafka broke off (an outage began while it
     * ran; Quartz's own store fires none while the database is down), one WARN line per job every 10 s with its root
     * cause, not Camel's stack trace. Its work is taken up by the job's next run, as after a crash.
     */
    public void brokenOff(Exchange exchange) {
        oneLineEvery10s(exchange, job -> "job " + job + ": its run was broken off", ", its next run takes the work up");
    }

    /**
     * For a lookup door's infrastructure clause (the HTTP shipment check): a question the database could not answer
     * now, answered 503 to be asked again; one WARN line per route every 10 s, not a stack trace per request.
     */
    public void unanswered(Exchange exchange) {
        oneLineEvery10s(exchange, route -> route + ": answered 503, to be asked again", "");
    }

    /**
     * One WARN line per route every 10 s: what happened ({@code what} of the route's id, then how many more came
     * meanwhile, then {@code after}) and the failure's root cause; the whole failure at DEBUG.
     */
    private void oneLineEvery10s(Exchange exchange, java.util.function.UnaryOperator<String> what, String after) {
        Throwable failure = failureOf(exchange);
        String route = String.valueOf(exchange.getFromRouteId());
        long leftOut = readAgainLog.admit(route);
        if (leftOut < 0) {
            return;
        }
        LOG.warn("{}{}{}: {}", what.apply(route), QuietLog.more(leftOut), after, withRootCause(failure));
        LOG.debug("{}: the failure", route, failure);
    }

    /**
     * The failure and, when it is another, its deepest cause (what made it infrastructure's, or, were it classed so
     * wrongly, what really failed): without a stack trace, which an outage would repeat for every record.
     */
    public static String withRootCause(Throwable failure) {
        if (failure == null) {
            return "?";
        }
        Throwable root = failure;
        for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 20; depth++) {
            root = root.getCause();
        }
        return root == failure ? failure.toString() : failure + " (root cause: " + root + ")";
    }

    public static boolean isInfrastructure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TransientDataAccessException || t instanceof DataAccessResourceFailureException
                    || t instanceof RecoverableDataAccessException || t instanceof TransactionException
                    || t instanceof KafkaException || t instanceof SQLTransientException
                    || t instanceof SQLRecoverableException || t instanceof SQLNonTransientConnectionException
                    || (t instanceof SQLException sql && transientState(sql.getSQLState()))
                    // the lanes stopping (a reload, a shutdown) interrupt a record mid-way: it is read again,
                    // never dead-lettered for it
                    || t instanceof InterruptedException || t instanceof java.io.InterruptedIOException
                    || t instanceof java.nio.channels.ClosedByInterruptException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the failure is the database connection's own (lost, refused, the server shutting down): the work of
     * everything that used it is gone, and the next try waits for a connection. A deadlock, a lock or statement
     * timeout ({@link #isInfrastructure} too) is one transaction's, and another try may well pass.
     */
    public static boolean isConnectionLost(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLNonTransientConnectionException || t instanceof SQLRecoverableException
                    || t instanceof CannotGetJdbcConnectionException
                    || (t instanceof SQLException sql && sql.getSQLState() != null
                            && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P")))) {
                return true;
            }
        }
        return false;
    }

    /**
     * A driver's exception not translated by Spring: the SQLStates of a lost connection (08), a transaction rolled
     * back for another's sake (40001 serialization, 40P01 deadlock), exhausted resources (53), a server shutting down
     * or starting (57P), a lock not granted in time (55P03) or a statement cancelled by its timeout (57014).
     */
    private static boolean transientState(String state) {
        return state != null && (state.startsWith("08") || state.equals("40001") || state.equals("40P01")
                || state.startsWith("53") || state.startsWith("57P") || state.equals("55P03") || state.equals("57014"));
    }
}
