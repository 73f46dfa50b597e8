package com.checkoutroutes.ledger;

import com.checkoutroutes.platform.OutageLog;
import org.springframework.stereotype.Component;

/** The ledger's database as the request paths (notifications, the order door) see it: one log line per change. */
@Component
public class DatabaseOutage extends OutageLog {

    public DatabaseOutage() {
        super("database");
    }
}
