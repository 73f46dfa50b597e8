package com.checkoutroutes.testsupport;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The known users of the local run and the tests (src/test/resources/application-local.yml has the same hashes;
 * DemoCredentialsTest checks they verify): {@code order-system} may POST orders, {@code operator} reads the operator
 * API and the actuator's details. Never in production, whose config ships no password.
 */
public final class DemoCredentials {

    public static final String PASSWORD = "local-demo";
    public static final String ORDER_SYSTEM = "order-system";
    public static final String OPERATOR = "operator";
    /** Reads the actuator's details, metrics and prometheus only. */
    public static final String MONITOR = "monitor";
    /** bcrypt (cost 10) of {@link #PASSWORD}, one salt each. */
    public static final String ORDER_SYSTEM_HASH = "{bcrypt}$2a$10$eqEFJoJ56c0L3TG1NiPIlOKOviBsT/lliEinkZaS.iTLHnujqG4sO";
    public static final String OPERATOR_HASH = "{bcrypt}$2a$10$NkEJafYPJcoc3wPycMwRje7gwCEt4EC27Mwj5w8MaY2W8dfVG.EYO";
    public static final String MONITOR_HASH = "{bcrypt}$2a$10$oEI.bK5qQQwH4QcYjfNZH.sA7zcdYV8Xy3MVqZDWANLxjx9WoXWRK";

    private DemoCredentials() {
    }

    /** The environment variables config/application.yml reads the users' hashes from. */
    public static Map<String, String> settings() {
        return Map.of("CHECKOUT_ORDER_SYSTEM_PASSWORD_HASH", ORDER_SYSTEM_HASH,
                "CHECKOUT_OPERATOR_PASSWORD_HASH", OPERATOR_HASH, "CHECKOUT_MONITOR_PASSWORD_HASH", MONITOR_HASH);
    }

    /** The setting that lets a user have the demo password (start-up refuses it otherwise), as an environment variable. */
    public static final Map<String, String> ALLOWED = Map.of("CHECKOUT_ALLOW_DEMO_PASSWORD", "true");

    /** The {@code Authorization} header of this demo user. */
    public static String basic(String user) {
        return basic(user, PASSWORD);
    }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
