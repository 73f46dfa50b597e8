package com.checkoutroutes.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.checkoutroutes.platform.RequiredSettings.MissingSettingsException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** A start-up without its settings names each missing one, and why when no config file was read at all. */
class RequiredSettingsTest {

    @Test
    void startedAwayFromConfigTheMessageSaysWhereItLooked() {
        StandardEnvironment env = new StandardEnvironment();

        MissingSettingsException e = catchThrowableOfType(MissingSettingsException.class,
                () -> new RequiredSettings().postProcessEnvironment(env, null));

        assertThat(e.missing()).contains("CHECKOUT_DB_URL (spring.datasource.url)");
        assertThat(e.hint()).startsWith("no config/application.yml was read").contains("working directory now: /");
    }

    @Test
    void withTheConfigFileReadOnlyTheMissingOnesAreNamed() {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addLast(new MapPropertySource(
                "Config resource 'file [config/application.yml]' via location 'optional:file:./config/'",
                Map.of("checkout.kafka.brokers", "kafka:9092")));

        MissingSettingsException e = catchThrowableOfType(MissingSettingsException.class,
                () -> new RequiredSettings().postProcessEnvironment(env, null));

        assertThat(e.missing()).doesNotContain("CHECKOUT_KAFKA_BROKERS (checkout.kafka.brokers)");
        assertThat(e.hint()).isNull();
    }
}
