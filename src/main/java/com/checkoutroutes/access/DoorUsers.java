package com.checkoutroutes.access;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/**
 * The HTTP Basic users from {@code checkout.access.users}: each password must be a hash the encoder knows, never
 * plain text, and no message ever shows it. Says at start-up which doors have no user (they refuse everyone).
 */
final class DoorUsers {

    private static final Logger LOG = LoggerFactory.getLogger(DoorUsers.class);
    private static final Pattern ID = Pattern.compile("\\A\\{([^}]*)}(.+)\\z", Pattern.DOTALL);
    /** What the shipped jar verifies (argon2 and scrypt need BouncyCastle, which it does not carry). */
    static final Set<String> HASHES = Set.of("bcrypt", "pbkdf2", "pbkdf2@SpringSecurity_v5_8");

    private DoorUsers() {
    }

    static InMemoryUserDetailsManager from(AccessSettings settings) {
        List<UserDetails> users = new ArrayList<>();
        settings.users().forEach((name, user) -> {
            if (user.configured()) {
                checkHash("checkout.access.users." + name + ".password", user.password());
                if (!settings.allowDemoPassword() && isDemoPassword(user.password())) {
                    throw new IllegalStateException("checkout.access.users." + name + ".password is a hash of the"
                            + " README's published demo password: give the user a password of your own (README.md,"
                            + " \"Credentials\"); checkout.access.allow-demo-password: true allows it for a local"
                            + " try-out only");
                }
                if (user.roles().isEmpty()) {
                    throw new IllegalStateException("checkout.access.users." + name + ".roles is empty: give "
                            + "ORDER_PUBLISHER, OPERATOR and/or MONITOR, or leave the user's password empty");
                }
                users.add(User.withUsername(name).password(user.password())
                        .authorities(user.roles().stream().map(Role::authority).toArray(String[]::new)).build());
            }
        });
        report(settings);
        return new InMemoryUserDetailsManager(users);
    }

    /** A {@code {id}hash} the encoder verifies; the message names the setting, never its value. */
    static void checkHash(String setting, String value) {
        Matcher m = ID.matcher(value.strip());
        if (!m.matches()) {
            throw new IllegalStateException(setting + " is not a password hash: write {bcrypt}<hash> (README.md,"
                    + " \"Credentials\"); plain-text passwords are refused");
        }
        String id = m.group(1);
        if (id.equals("noop")) {
            throw new IllegalStateException(setting + " is a {noop} plain-text password: write {bcrypt}<hash>"
                    + " (README.md, \"Credentials\")");
        }
        if (!HASHES.contains(id)) {
            throw new IllegalStateException(setting + " is a {" + id + "} hash, which this service cannot verify"
                    + " (it verifies " + new TreeSet<>(HASHES) + "): write {bcrypt}<hash> (README.md, \"Credentials\")");
        }
        if (id.equals("bcrypt") && !m.group(2).matches("\\$2[aby]?\\$\\d\\d\\$[./0-9A-Za-z]{53}")) {
            throw new IllegalStateException(setting + " is not a well-formed bcrypt hash ($2a$10$ and 53 more"
                    + " characters after {bcrypt})");
        }
    }

    /** The password the README's local run and docker-compose publish for their demo users. */
    static final String DEMO_PASSWORD = "local-demo";

    /** One bcrypt check per user at start-up: anyone who read the README knows this password. */
    private static boolean isDemoPassword(String hash) {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder().matches(DEMO_PASSWORD, hash.strip());
    }

    /** One line per role: who holds it, or that its doors refuse everyone. */
    private static void report(AccessSettings settings) {
        Map<Role, Set<String>> holders = new EnumMap<>(Role.class);
        for (Role role : Role.values()) {
            holders.put(role, new TreeSet<>());
        }
        settings.users().forEach((name, user) -> {
            if (user.configured()) {
                user.roles().forEach(role -> holders.get(role).add(name));
            }
        });
        boolean jwt = settings.jwt().enabled();
        holders.forEach((role, names) -> {
            String doors = doorsOf(role);
            if (!names.isEmpty()) {
                LOG.info("{} (role {}): users {}{}", doors, role, names, jwt ? " and bearer JWTs" : "");
            } else if (jwt) {
                LOG.info("{} (role {}): no user; bearer JWTs whose claim {} lists {}", doors, role,
                        settings.jwt().rolesClaim(), role);
            } else if (role == Role.MONITOR) {
                LOG.info("{} (role {}): operators only; give a monitoring client (Prometheus) a user of this role "
                        + "rather than an operator's credential, which also opens the console", doors, role);
            } else {
                LOG.warn("{}: no user holds role {}, so every caller gets 401. Give a user this role"
                        + " (checkout.access.users; README.md, \"Credentials\")", doors, role);
            }
        });
    }

    private static String doorsOf(Role role) {
        return switch (role) {
            case ORDER_PUBLISHER -> "the HTTP order door";
            case OPERATOR -> "the operator API, the console and actuator details";
            case MONITOR -> "actuator details, metrics and prometheus";
        };
    }
}
