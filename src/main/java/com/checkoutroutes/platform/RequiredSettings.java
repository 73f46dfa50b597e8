package com.checkoutroutes.platform;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * The settings a deployment must give, checked before anything starts: production has no fallback (no embedded
 * broker, no local database, no sandbox), so a missing one stops start-up with every missing name listed at once.
 * {@link MissingSettingsFailureAnalyzer} prints them.
 */
public class RequiredSettings implements EnvironmentPostProcessor, Ordered {

    /** Setting -> the environment variable config/application.yml reads it from. */
    static final Map<String, String> REQUIRED = requiredSettings();

    private static Map<String, String> requiredSettings() {
        Map<String, String> required = new LinkedHashMap<>();
        required.put("spring.datasource.url", "CHECKOUT_DB_URL");
        required.put("spring.datasource.username", "CHECKOUT_DB_USER");
        required.put("checkout.kafka.brokers", "CHECKOUT_KAFKA_BROKERS");
        required.put("checkout.antom.client-id", "CHECKOUT_ANTOM_CLIENT_ID");
        required.put("checkout.antom.gateway-url", "CHECKOUT_ANTOM_GATEWAY_URL");
        required.put("checkout.antom.merchant-private-key", "CHECKOUT_ANTOM_MERCHANT_PRIVATE_KEY");
        required.put("checkout.antom.antom-public-key", "CHECKOUT_ANTOM_PUBLIC_KEY");
        required.put("checkout.antom.notify-url", "CHECKOUT_ANTOM_NOTIFY_URL");
        return java.util.Collections.unmodifiableMap(required);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        List<String> missing = REQUIRED.entrySet().stream()
                .filter(setting -> blank(env.getProperty(setting.getKey())))
                .map(setting -> setting.getValue() + " (" + setting.getKey() + ")")
                .toList();
        if (!missing.isEmpty()) {
            throw new MissingSettingsException(missing, configFileRead(env) ? null
                    : "no config/application.yml was read, and it maps each variable to its setting: start the"
                            + " service from the folder that holds config/ and routes/ (working directory now: "
                            + Path.of("").toAbsolutePath() + ")");
        }
    }

    /** Whether Spring Boot read a config file (config/application.yml): its property sources name it. */
    private static boolean configFileRead(ConfigurableEnvironment env) {
        return env.getPropertySources().stream().anyMatch(source -> source.getName().startsWith("Config resource"));
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    @Override
    public int getOrder() {
        // last: after the config files, and after anything that supplies settings (the tests' local parts)
        return Ordered.LOWEST_PRECEDENCE;
    }

    /** Start-up stopped: these settings have no value. */
    public static class MissingSettingsException extends IllegalStateException {

        private final List<String> missing;
        private final String hint;

        MissingSettingsException(List<String> missing, String hint) {
            super("required settings are missing: " + String.join(", ", missing) + (hint == null ? "" : "; " + hint));
            this.missing = List.copyOf(missing);
            this.hint = hint;
        }

        public List<String> missing() {
            return missing;
        }

        /** Why they are all missing, when it is one reason (no config file read); else null. */
        public String hint() {
            return hint;
        }
    }
}
