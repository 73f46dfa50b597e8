package com.checkoutroutes.scheduling;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Picks Quartz's JDBC delegate for the database in use (PostgreSQL stores job data as bytea and needs its own),
 * unless an operator set one.
 */
public class QuartzDelegateEnvironment implements EnvironmentPostProcessor, Ordered {

    static final String DELEGATE = "spring.quartz.properties.org.quartz.jobStore.driverDelegateClass";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        if (env.containsProperty(DELEGATE)) {
            return;
        }
        String url = env.getProperty("spring.datasource.url", "");
        String delegate = url.startsWith("jdbc:postgresql:") ? "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate"
                : "org.quartz.impl.jdbcjobstore.StdJDBCDelegate";
        env.getPropertySources().addLast(new MapPropertySource("quartzDelegate", Map.of(DELEGATE, delegate)));
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
