package com.checkoutroutes.ledger;

import com.checkoutroutes.platform.OutageLog;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * The ledger's database as the request paths (notifications, the order door) see it: one log line per change, and
 * while it is down at most one request per {@link #QUIET_PERIOD} waits on the connection pool to find out.
 */
@Component
public class DatabaseOutage extends OutageLog {

    static final Duration QUIET_PERIOD = Duration.ofSeconds(2);

    public DatabaseOutage() {
        super("database");
    }

    /** Whether a request should ask the database now (it is up, or it is time to see whether it is back). */
    public boolean worthTrying() {
        return worthTrying(QUIET_PERIOD);
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
