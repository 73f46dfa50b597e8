package com.checkoutroutes.localrun;

import com.checkoutroutes.CheckoutRoutesApplication;
import org.springframework.boot.SpringApplication;

/**
 * The one-command local run, {@code ./mvnw spring-boot:test-run}: the production application, started with the
 * {@code local} profile on the test classpath, which brings what production must not carry: the in-JVM Kafka
 * broker, the H2 file database and the Antom sandbox. Their data live under {@code ./data} and survive a restart
 * (src/test/resources/application-local.yml says where).
 */
public final class LocalCheckoutRoutes {

    private LocalCheckoutRoutes() {
    }

    /**
     * On SIGTERM (Ctrl-C) the application stops first, as in production (consumers, in-flight orders, the sandbox),
     * and the broker last: EmbeddedKafka stops it from Spring Boot's shutdown handlers, which run once the context
     * has closed. Stopped by a hook of its own, the broker went at the same time and the consumers lost it
     * mid-shutdown (ERROR lines).
     */
    public static void main(String[] args) {
        SpringApplication.from(CheckoutRoutesApplication::main).withAdditionalProfiles("local").run(args);
    }
}
