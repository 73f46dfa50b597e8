package com.checkoutroutes.localrun;

import com.checkoutroutes.CheckoutRoutesApplication;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

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
     * and the broker last: stopped together, the consumers lost their broker mid-shutdown (ERROR and WARN lines).
     */
    public static void main(String[] args) {
        String[] withOwnHook = java.util.Arrays.copyOf(args, args.length + 1);
        withOwnHook[args.length] = "--spring.main.register-shutdown-hook=false";
        ConfigurableApplicationContext context = SpringApplication.from(CheckoutRoutesApplication::main)
                .withAdditionalProfiles("local").run(withOwnHook).getApplicationContext();
        EmbeddedKafka.stopWhenToldOnly();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            context.close();
            EmbeddedKafka.stop();
        }, "local-run-stop"));
    }
}
