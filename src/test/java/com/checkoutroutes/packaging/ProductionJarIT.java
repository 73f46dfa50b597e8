package com.checkoutroutes.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.FileSystemUtils;

/**
 * The packaged production jar is the service only: no sandbox, no in-JVM broker, no test libraries, and started
 * without its settings it stops, naming each one, instead of falling back to anything embedded.
 */
@Tag("flow")
class ProductionJarIT {

    /** Test and local-run libraries that once shipped in the jar (172 MB); none may come back. */
    private static final List<String> NEVER_SHIPPED = List.of("kafka_2.13", "spring-kafka-test", "scala-library",
            "scala-reflect", "rocksdbjni", "zookeeper", "h2-", "junit", "mockito", "assertj", "awaitility", "jmh-",
            "camel-mock", "camel-test", "kafka-server", "kafka-raft", "kafka-storage", "kafka-metadata");

    /** What production must set; each one named when missing. */
    private static final List<String> REQUIRED = List.of("CHECKOUT_DB_URL", "CHECKOUT_DB_USER",
            "CHECKOUT_KAFKA_BROKERS", "CHECKOUT_ANTOM_CLIENT_ID", "CHECKOUT_ANTOM_MERCHANT_PRIVATE_KEY",
            "CHECKOUT_ANTOM_PUBLIC_KEY", "CHECKOUT_ANTOM_NOTIFY_URL");

    private final PackagedJar jar = PackagedJar.named("checkout-routes.jar");

    @Test
    void carriesNoTestLibraryAndNoSandboxOrLocalRunClass() {
        List<String> entries = jar.entries();
        List<String> libraries = entries.stream().filter(e -> e.startsWith("BOOT-INF/lib/")).toList();
        assertThat(libraries).as("libraries").isNotEmpty().allSatisfy(library ->
                assertThat(NEVER_SHIPPED).noneMatch(library.substring("BOOT-INF/lib/".length())::startsWith));
        assertThat(entries).as("classes").isNotEmpty()
                .noneMatch(e -> e.startsWith("BOOT-INF/classes/com/checkoutroutes/sandbox/"))
                .noneMatch(e -> e.startsWith("BOOT-INF/classes/com/checkoutroutes/localrun/"))
                .noneMatch(e -> e.startsWith("BOOT-INF/classes/com/checkoutroutes/testsupport/"))
                .noneMatch(e -> e.startsWith("BOOT-INF/classes/db/vendor/h2/"))
                .noneMatch(e -> e.contains("CrashPoints"))
                .noneMatch(e -> e.endsWith("application-local.yml"));
    }

    @Test
    void isUnder80Megabytes() {
        System.out.println("target/checkout-routes.jar: " + jar.megabytes() + " MB");
        assertThat(jar.megabytes()).isLessThan(80);
    }

    @Test
    void startedWithAnEmptyEnvironmentAndTheShippedConfigItStopsNamingEveryMissingSetting(@TempDir Path operator)
            throws Exception {
        // an operator's folder: the shipped config/ and routes/ as they are
        FileSystemUtils.copyRecursively(Path.of("config"), operator.resolve("config"));
        FileSystemUtils.copyRecursively(Path.of("routes"), operator.resolve("routes"));

        Run run = start(operator);

        assertThat(run.exitCode()).as(run.output()).isNotZero();
        assertThat(run.output()).contains(REQUIRED).contains("APPLICATION FAILED TO START")
                // the shipped config points at the real Antom: only the settings without a default are missing
                .doesNotContain("CHECKOUT_ANTOM_GATEWAY_URL");
        assertNothingEmbeddedStarted(run);
    }

    @Test
    void startedWithNothingAtAllItStopsTooAndStartsNothingEmbedded(@TempDir Path empty) throws Exception {
        Run run = start(empty);

        assertThat(run.exitCode()).as(run.output()).isNotZero();
        assertThat(run.output()).contains(REQUIRED).contains("CHECKOUT_ANTOM_GATEWAY_URL");
        assertNothingEmbeddedStarted(run);
    }

    private static void assertNothingEmbeddedStarted(Run run) {
        assertThat(run.output()).doesNotContainIgnoringCase("sandbox listening")
                .doesNotContain("In-JVM Kafka").doesNotContain("jdbc:h2").doesNotContain("Started CheckoutRoutes");
    }

    private Run start(Path workingDirectory) throws IOException, InterruptedException {
        Path log = workingDirectory.resolve("start.log");
        Process process = jar.launch(workingDirectory, Map.of()).redirectOutput(log.toFile()).start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("still running after 90 s with no settings: " + Files.readString(log));
        }
        return new Run(process.exitValue(), Files.readString(log));
    }

    private record Run(int exitCode, String output) {
    }
}
