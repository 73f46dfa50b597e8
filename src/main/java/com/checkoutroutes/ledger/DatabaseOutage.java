package com.checkoutroutes.ledger;

import com.checkoutroutes.platform.OutageLog;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;

/**
 * The ledger's database as the request paths (notifications, the order door) see it: one log line per change, and
 * while it is down at most one request per {@link #QUIET_PERIOD} waits on the connection pool to find out.
 * <p>
 * A request that waited in vain for a connection of a pool whose every connection is in use, while other requests
 * still get answers, met a busy moment, not an outage: that request fails (503, Antom resends), the next ones still
 * try. Taken for an outage, one such wait under load made every notification of the next 2 s fail at once. Hikari
 * tells the two apart: its timeout carries the last failure to connect as its cause when connections fail, and none
 * when the pool is merely full. A full pool with no answer for {@link #BUSY_NEEDS_AN_ANSWER_WITHIN} is an outage
 * all the same: the database may hold every pooled connection without answering (a network that drops packets).
 */
@Component
public class DatabaseOutage extends OutageLog {

    static final Duration QUIET_PERIOD = Duration.ofSeconds(2);
    static final Duration BUSY_NEEDS_AN_ANSWER_WITHIN = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseOutage.class);
    private static final long BUSY_LOG_PERIOD_NANOS = Duration.ofMinutes(1).toNanos();

    private final HikariDataSource pool;
    private final AtomicLong busyLoggedAt = new AtomicLong(System.nanoTime() - BUSY_LOG_PERIOD_NANOS);

    /** Without a pool to ask: every failure counts as an outage. */
    public DatabaseOutage() {
        super("database");
        this.pool = null;
    }

    @Autowired
    public DatabaseOutage(DataSource dataSource) {
        super("database");
        this.pool = hikari(dataSource);
    }

    /** Whether a request should ask the database now (it is up, or it is time to see whether it is back). */
    public boolean worthTrying() {
        return worthTrying(QUIET_PERIOD);
    }

    /**
     * A request failed on the database: an outage, unless the pool was only full while requests still got answers
     * (then logged at most once a minute), or the database answered with a refusal of the statement itself.
     */
    @Override
    public void failed(String where, Throwable cause) {
        if (refusedByTheDatabase(cause)) {
            // it answered: this statement lost a lock race (a deadlock, a lock wait given up) or broke a constraint;
            // an outage would refuse every request of the next 2 s for it
            LOG.warn("the database refused a statement of {} (not an outage; the request is refused and sent again): {}",
                    where, cause.toString());
            return;
        }
        if (!poolFull(cause) || !workedWithin(BUSY_NEEDS_AN_ANSWER_WITHIN)) {
            super.failed(where, cause);
            return;
        }
        long now = System.nanoTime();
        long last = busyLoggedAt.get();
        if (now - last >= BUSY_LOG_PERIOD_NANOS && busyLoggedAt.compareAndSet(last, now)) {
            LOG.warn("every database connection was in use ({}): a request waited in vain and was refused, the next"
                    + " ones still try; if this recurs, raise spring.datasource.hikari.maximum-pool-size (now {}),"
                    + " logged at most once a minute: {}", where, pool.getMaximumPoolSize(), cause.toString());
        }
    }

    private static boolean refusedByTheDatabase(Throwable failure) {
        return failure instanceof ConcurrencyFailureException || failure instanceof DataIntegrityViolationException;
    }

    /** Hikari's timeout with no failure to connect behind it, while the pool holds all the connections it may. */
    boolean poolFull(Throwable failure) {
        if (pool == null) {
            return false;
        }
        SQLTransientConnectionException timeout = poolTimeout(failure);
        if (timeout == null || timeout.getCause() != null) {
            return false;
        }
        HikariPoolMXBean state = pool.getHikariPoolMXBean();
        return state != null && state.getTotalConnections() >= pool.getMaximumPoolSize();
    }

    private static SQLTransientConnectionException poolTimeout(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException timeout) {
                return timeout;
            }
        }
        return null;
    }

    private static HikariDataSource hikari(DataSource dataSource) {
        try {
            return dataSource.isWrapperFor(HikariDataSource.class) ? dataSource.unwrap(HikariDataSource.class) : null;
        } catch (SQLException e) {
            return null;
        }
    }

    /**
     * A request answered without asking the database, as it failed a moment ago. Not a failure of its own: counted
     * as one, a steady stream of requests would keep the quiet period from ever ending.
     */
    public static final class StillDown extends RuntimeException {

        public StillDown() {
            super("the database failed a moment ago", null, false, false);
        }
    }
}
