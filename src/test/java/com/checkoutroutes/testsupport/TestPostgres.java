package com.checkoutroutes.testsupport;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.SpringApplication;

/**
 * The tests' PostgreSQL (127.0.0.1:5432, user postgres, trust auth): fresh databases, dropped when the JVM exits,
 * so runs never see each other's rows. Every Spring context gets its own ({@link #contextDatabase()}), as every
 * deployment has: a context that starts after another in the same JVM does not inherit its payments, which its own
 * sandbox never heard of and its janitor would keep asking about. Override with
 * -Dcheckout.test.pg=jdbc:postgresql://host:port.
 */
public final class TestPostgres {

    private static final String SERVER = System.getProperty("checkout.test.pg", "jdbc:postgresql://127.0.0.1:5432");
    private static final String USER = System.getProperty("checkout.test.pg.user", "postgres");
    private static String databaseUrl;
    private static String jvmName;
    private static int contexts;
    private static final List<String> freshDatabases = new ArrayList<>();

    private TestPostgres() {
    }

    /**
     * A fresh in-memory H2 database as the local run has it (PostgreSQL mode), migrated: for a plain test of ledger SQL
     * without the local PostgreSQL.
     */
    public static javax.sql.DataSource freshH2() {
        org.h2.jdbcx.JdbcDataSource h2 = new org.h2.jdbcx.JdbcDataSource();
        h2.setURL("jdbc:h2:mem:" + java.util.UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
        migrate(h2, "h2");
        return h2;
    }

    /**
     * A fresh database of {@code database} ("postgresql": in the local server, named after {@code purpose}; "h2": in
     * memory), migrated: for a plain test of SQL on both databases the service runs on.
     */
    public static javax.sql.DataSource freshMigrated(String database, String purpose) {
        if (!database.equals("postgresql")) {
            return freshH2();
        }
        javax.sql.DataSource db = new org.springframework.jdbc.datasource.DriverManagerDataSource(
                freshDatabase(purpose), user(), "");
        migrate(db, "postgresql");
        return db;
    }

    /** Migrates {@code db} with the shipped migrations of {@code vendor} ("postgresql", "h2"), as the service does. */
    public static void migrate(javax.sql.DataSource db, String vendor) {
        org.flywaydb.core.Flyway.configure().dataSource(db)
                .locations("classpath:db/migration", "classpath:db/vendor/" + vendor).load().migrate();
    }

    /** The JVM's own fresh database (the load driver's). */
    public static synchronized String url() {
        if (databaseUrl == null) {
            databaseUrl = createForSpring(jvmName());
        }
        return databaseUrl;
    }

    /** A fresh database for one Spring context of this JVM, named after the JVM's. */
    public static synchronized String contextDatabase() {
        return createForSpring(jvmName() + "_" + ++contexts);
    }

    /**
     * Another fresh database in the same server, for a test without a Spring context of its own (plain JDBC, or an
     * application run as a separate process): dropped when the JVM exits, Spring application or not.
     */
    public static synchronized String freshDatabase(String purpose) {
        String name = "checkout_" + purpose + "_" + System.nanoTime();
        create(name);
        if (freshDatabases.isEmpty()) {
            // Spring's shutdown handlers run only in a JVM that started a Spring application; a run of one plain
            // test class starts none, and left its databases behind
            Runtime.getRuntime().addShutdownHook(new Thread(TestPostgres::dropFreshDatabases, "test-databases-drop"));
        }
        freshDatabases.add(name);
        return SERVER + "/" + name;
    }

    /** A database a Spring context opens its pool on: dropped once the JVM's contexts have closed, not under them. */
    private static String createForSpring(String name) {
        create(name);
        SpringApplication.getShutdownHandlers().add(() -> drop(name));
        return SERVER + "/" + name;
    }

    private static void create(String name) {
        startLocalServerIfDown();
        execute("CREATE DATABASE " + name);
    }

    private static synchronized void dropFreshDatabases() {
        freshDatabases.forEach(TestPostgres::drop);
    }

    private static String jvmName() {
        if (jvmName == null) {
            String pid = ManagementFactory.getRuntimeMXBean().getName().replaceAll("@.*", "");
            jvmName = "checkout_test_" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss"))
                    + "_" + pid;
        }
        return jvmName;
    }

    public static String user() {
        return USER;
    }

    /** On our machines PostgreSQL is a local cluster; start it if it is down, so `./mvnw verify` needs no set-up. */
    private static void startLocalServerIfDown() {
        if (!SERVER.contains("127.0.0.1:5432") || reachable()) {
            return;
        }
        java.io.File clusters = new java.io.File("/etc/postgresql");
        String[] versions = clusters.list();
        if (versions == null || versions.length == 0) {
            return;
        }
        java.util.Arrays.sort(versions);
        try {
            new ProcessBuilder("pg_ctlcluster", "--skip-systemctl-redirect", versions[versions.length - 1], "main",
                    "start").inheritIO().start().waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("could not start PostgreSQL: " + e.getMessage());
        }
    }

    private static boolean reachable() {
        try (Connection c = DriverManager.getConnection(SERVER + "/postgres", USER, "")) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private static void drop(String name) {
        try {
            execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (IllegalStateException e) {
            System.err.println("could not drop test database " + name + ": " + e.getMessage());
        }
    }

    private static void execute(String sql) {
        try (Connection c = DriverManager.getConnection(SERVER + "/postgres", USER, "");
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + SERVER + " is needed by the tests (" + sql + "): "
                    + e.getMessage() + ". Start it: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start", e);
        }
    }
}
