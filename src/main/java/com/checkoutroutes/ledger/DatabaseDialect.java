package com.checkoutroutes.ledger;

import org.springframework.jdbc.core.JdbcTemplate;

/** The little that differs between PostgreSQL (production, tests) and H2 (the embedded local run). */
public final class DatabaseDialect {

    private DatabaseDialect() {
    }

    /** PostgreSQL can skip rows another instance has locked; H2 (one local instance) has no need to. */
    public static boolean supportsSkipLocked(JdbcTemplate jdbc) {
        return isPostgres(jdbc);
    }

    /**
     * PostgreSQL runs INSERTs and UPDATEs inside a WITH, so that a write and the rows that go with it (history,
     * events) take one round trip; H2 has no data-modifying WITH.
     */
    public static boolean supportsWritesInWith(JdbcTemplate jdbc) {
        return isPostgres(jdbc);
    }

    private static boolean isPostgres(JdbcTemplate jdbc) {
        String product = jdbc.execute((java.sql.Connection c) -> c.getMetaData().getDatabaseProductName());
        return "PostgreSQL".equalsIgnoreCase(product);
    }
}
