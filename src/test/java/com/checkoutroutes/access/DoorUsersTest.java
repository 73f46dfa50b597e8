package com.checkoutroutes.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import com.checkoutroutes.testsupport.DemoCredentials;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.crypto.password.Pbkdf2PasswordEncoder;
import org.slf4j.LoggerFactory;

/** The users from checkout.access.users: hashes only, never shown; a role nobody holds is reported at start-up. */
class DoorUsersTest {

    private static final PasswordEncoder ENCODER = PasswordEncoderFactories.createDelegatingPasswordEncoder();
    private static final String BCRYPT = ENCODER.encode("s3cret-for-the-test");

    @Test
    void aBcryptUserGetsItsRoles() {
        var manager = DoorUsers.from(settings(Map.of("ops", new AccessSettings.User(BCRYPT, Set.of(Role.OPERATOR)))));
        var user = manager.loadUserByUsername("ops");
        assertThat(user.getAuthorities()).extracting(Object::toString).containsExactly("ROLE_OPERATOR");
        assertThat(ENCODER.matches("s3cret-for-the-test", user.getPassword())).isTrue();
    }

    @Test
    void anEmptyPasswordLeavesTheUserOut() {
        var manager = DoorUsers.from(settings(Map.of("ops", new AccessSettings.User("", Set.of(Role.OPERATOR)))));
        assertThat(manager.userExists("ops")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"hunter2-plain", "{noop}hunter2-plain", "{argon2}$argon2id$v=19$m=16384,t=2,p=1$hunter2",
            "{sha256}hunter2-plain", "{bcrypt}hunter2-plain", "{MD5}hunter2-plain"})
    void anythingButAHashItVerifiesIsRefusedNamingTheSettingNotTheValue(String password) {
        assertThatThrownBy(() -> DoorUsers.from(
                settings(Map.of("ops", new AccessSettings.User(password, Set.of(Role.OPERATOR))))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("checkout.access.users.ops.password")
                .hasMessageNotContaining("hunter2");
    }

    /** Anyone who read the README knows local-demo: a deployment that copied the demo hashes does not start. */
    @Test
    void theDemoPasswordIsRefusedUnlessAllowed() {
        Map<String, AccessSettings.User> demo = Map.of("operator",
                new AccessSettings.User(DemoCredentials.OPERATOR_HASH, Set.of(Role.OPERATOR)));
        assertThatThrownBy(() -> DoorUsers.from(settings(demo))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("checkout.access.users.operator.password")
                .hasMessageContaining("allow-demo-password").hasMessageNotContaining("$2a$");

        var allowed = new AccessSettings(demo, new AccessSettings.Jwt("", "", "", "roles"), true);
        assertThat(DoorUsers.from(allowed).userExists("operator")).isTrue();
    }

    @Test
    void aUserWithoutRolesIsRefused() {
        assertThatThrownBy(() -> DoorUsers.from(settings(Map.of("ops", new AccessSettings.User(BCRYPT, Set.of())))))
                .hasMessageContaining("checkout.access.users.ops.roles");
    }

    @Test
    void htpasswdsBcrypt2yIsVerified() {
        String hash = "{bcrypt}" + new org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder(
                org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder.BCryptVersion.$2Y, 4).encode("x");
        assertThat(hash).startsWith("{bcrypt}$2y$04$");
        DoorUsers.checkHash("s", hash);
        assertThat(ENCODER.matches("x", hash)).isTrue();
    }

    @Test
    void pbkdf2IsVerifiedToo() {
        String hash = "{pbkdf2@SpringSecurity_v5_8}" + Pbkdf2PasswordEncoder.defaultsForSpringSecurity_v5_8().encode("x");
        DoorUsers.checkHash("s", hash);
        assertThat(ENCODER.matches("x", hash)).isTrue();
    }

    @Test
    void startUpSaysWhichDoorsHaveNoUserAndNeverShowsAHash() {
        Map<String, AccessSettings.User> users = new LinkedHashMap<>();
        users.put("order-system", new AccessSettings.User(BCRYPT, Set.of(Role.ORDER_PUBLISHER)));
        users.put("operator", new AccessSettings.User("", Set.of(Role.OPERATOR)));
        Logger logger = (Logger) LoggerFactory.getLogger(DoorUsers.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            DoorUsers.from(settings(users));
        } finally {
            logger.detachAppender(appender);
        }
        String log = String.join("\n", appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
        assertThat(log).contains("the HTTP order door (role ORDER_PUBLISHER): users [order-system]")
                .contains("the operator API, the console and actuator details: no user holds role OPERATOR, so every "
                        + "caller gets 401")
                .contains("actuator details, metrics and prometheus (role MONITOR): operators only; give a monitoring "
                        + "client (Prometheus) a user of this role")
                .doesNotContain(BCRYPT.substring(10));
    }

    private static AccessSettings settings(Map<String, AccessSettings.User> users) {
        return new AccessSettings(users, new AccessSettings.Jwt("", "", "", "roles"), false);
    }
}
