package com.checkoutroutes.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.checkoutroutes.testsupport.DemoCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.yaml.snakeyaml.Yaml;

/**
 * The demo users the README's "Try it" uses: the local run's and docker-compose's hashes are the tests' and verify
 * the documented password, so the curl commands work as written.
 */
class DemoCredentialsTest {

    private static final PasswordEncoder ENCODER = PasswordEncoderFactories.createDelegatingPasswordEncoder();

    @Test
    void theDemoHashesVerifyTheDemoPassword() {
        DemoCredentials.settings().values().forEach(hash -> {
            DoorUsers.checkHash("demo", hash);
            assertThat(ENCODER.matches(DemoCredentials.PASSWORD, hash)).as(hash).isTrue();
        });
    }

    @Test
    void theLocalRunHasTheDemoUsers() throws Exception {
        Map<String, Object> local = new Yaml().load(Files.readString(Path.of("src/test/resources/application-local.yml")));
        DemoCredentials.settings().forEach((variable, hash) -> assertThat(local.get(variable)).as(variable).isEqualTo(hash));
        DemoCredentials.ALLOWED.forEach((variable, value) -> assertThat(local.get(variable)).as(variable)
                .isEqualTo(value));
    }

    @Test
    @SuppressWarnings("unchecked")
    void dockerComposeHasTheDemoUsers() throws Exception {
        Map<String, Object> compose = new Yaml().load(Files.readString(Path.of("docker-compose.yml")));
        Map<String, Object> app = (Map<String, Object>) ((Map<String, Object>) compose.get("services")).get("checkout-routes");
        Map<String, Object> env = (Map<String, Object>) app.get("environment");
        // compose reads "$$" as one "$"
        DemoCredentials.settings().forEach((variable, hash) ->
                assertThat(String.valueOf(env.get(variable)).replace("$$", "$")).as(variable).isEqualTo(hash));
        DemoCredentials.ALLOWED.forEach((variable, value) -> assertThat(String.valueOf(env.get(variable))).as(variable)
                .isEqualTo(value));
    }
}
