package com.checkoutroutes.operations;

import static org.assertj.core.api.Assertions.assertThat;

import com.checkoutroutes.testsupport.ApplicationProcess;
import com.checkoutroutes.testsupport.DemoCredentials;
import com.checkoutroutes.testsupport.FreePort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.FileSystemUtils;

/**
 * Live route edits as an operator makes them: the local run started in a folder holding copies of the shipped
 * config/ and routes/, with the shipped relative settings (file:routes/*.yaml), and route files edited in place.
 * A harmless edit and a real one take effect; an edit Camel's YAML DSL schema rejects is refused with the schema's
 * message, and one that fails when Camel builds it is rolled back; each time the log says the last good version is
 * running and the file on disk is broken, and the route keeps answering.
 */
@Tag("flow")
class RoutesReloadTest {

    private static final String FILE = "shipment-checks.yaml";
    /** The last step of the HTTP shipment check; an edit adds a response header after it. */
    private static final String LAST_STEP = """
                        - setHeader:
                            name: Content-Type
                            constant: application/json
                """;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void editsOfTheShippedRouteFilesApplyAndBrokenOnesLeaveTheLastGoodVersionRunning(@TempDir Path operator)
            throws Exception {
        FileSystemUtils.copyRecursively(Path.of("config"), operator.resolve("config"));
        FileSystemUtils.copyRecursively(Path.of("routes"), operator.resolve("routes"));
        assertThat(Files.readString(operator.resolve("config/application.yml")))
                .as("the shipped relative pattern, as an operator has it").contains("file:routes/*.yaml");
        Path routeFile = operator.resolve("routes").resolve(FILE);
        String original = Files.readString(routeFile);
        assertThat(original).endsWith(LAST_STEP);
        // the jobs fire only when the test says so: a fire at the instant schedules.yaml is swapped fails once
        // (Quartz finds its trigger gone) and logs an ERROR, which is Camel's and not what this test is about
        String never = "0 0 3 1 1 ?";
        ApplicationProcess app = ApplicationProcess.localRun(operator, Map.of(
                "checkout.kafka.embedded.port", String.valueOf(FreePort.find()),
                "checkout.sandbox.port", String.valueOf(FreePort.find()),
                "checkout.janitor.cron", never, "checkout.authorisation-guard.cron", never,
                "checkout.reconciliation.cron", never), FreePort.find(),
                Path.of("target", "routes-reload"));
        try {
            app.start();
            assertThat(editHeader(app)).isNull();

            // a harmless edit (a comment) reloads without an error: the relative pattern used to fail every save
            Files.writeString(routeFile, "# reviewed by the operator\n" + original);
            awaitLog(app, "Routes reloaded");
            // a real edit: the HTTP check answers with one more header
            String edited = "# reviewed by the operator\n" + original + LAST_STEP.replace("Content-Type", "X-Route-Edit")
                    .replace("application/json", "v2");
            Files.writeString(routeFile, edited);
            // while Camel swaps the file's routes (a few seconds: its Kafka consumer stops first) the path answers 5xx
            Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> "v2".equals(editHeader(app)));
            assertThat(errorLines(app)).isEmpty();
            // a route taken out of the file stops (Camel replaced only the routes the new version declares: the HTTP
            // check kept answering until a restart); deleting the file stops its routes; put back, they run again.
            // With its route gone, platform-http on Spring Boot keeps the path mapped and answers 500
            int httpRoute = edited.indexOf("- route:\n    id: shipment-check-http");
            assertThat(httpRoute).isPositive();
            Files.writeString(routeFile, edited.substring(0, httpRoute));
            awaitLog(app, "route shipment-check-http of", FILE, "stopped and removed");
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> checkStatus(app) != 200);
            Files.writeString(routeFile, edited);
            Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> "v2".equals(editHeader(app)));
            Files.delete(routeFile);
            awaitLog(app, "route shipment-check of", FILE, "stopped and removed: its file was deleted");
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> checkStatus(app) != 200);
            Files.writeString(routeFile, edited);
            Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> "v2".equals(editHeader(app)));
            assertThat(errorLines(app)).isEmpty();
            // the scheduled jobs' file (a route template and its three routes) reloads too
            Path schedules = operator.resolve("routes/schedules.yaml");
            String jobs = Files.readString(schedules);
            // another time that never comes: Quartz fires a new cron trigger at once when the reload falls in a
            // second it matches (0/7 did, one run in seven), and Camel's job then fails once on the old endpoint
            Files.writeString(schedules, jobs.replace("value: \"{{checkout.janitor.cron}}\"", "value: \"0 0 4 1 1 ?\""));
            awaitLog(app, "route file", "schedules.yaml reloaded with its route templates");
            awaitLog(app, "Job checkout.janitor (cron=0 0 4 1 1 ?");
            assertThat(errorLines(app)).isEmpty();

            // an edit of the route configurations (what is retried, what is dead-lettered) reaches the running
            // routes: Camel replaces the configurations, and the files whose routes use them are loaded again
            Path errors = operator.resolve("routes/error-handling.yaml");
            String handling = Files.readString(errors);
            String slower = handling.replaceFirst("redeliveryDelay: \"500\"", "redeliveryDelay: \"400\"");
            assertThat(slower).as("order-errors' retry delay").isNotEqualTo(handling);
            Files.writeString(errors, slower);
            awaitLog(app, "route configurations [order-errors] of", "error-handling.yaml", "reloading", "orders.yaml");
            awaitLog(app, "route configurations [order-errors] of", "error-handling.yaml", "reloading", FILE);
            Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> "v2".equals(editHeader(app)));
            assertThat(log(app).lines().filter(line -> line.contains("reloading") && line.contains("notifications.yaml")))
                    .as("the routes of its other configurations are left alone").isEmpty();
            assertThat(errorLines(app)).isEmpty();
            // a configuration the routes cannot be built with (an exception class that does not exist): undone, the
            // configurations and the routes that use them as they were
            String typo = slower.replace("com.checkoutroutes.deadletter.RejectedOrderException",
                    "com.checkoutroutes.deadletter.RejectedOrderExeption");
            Files.writeString(errors, typo);
            awaitLog(app, "route file", "error-handling.yaml", "restored to the version that last loaded");
            awaitLog(app, "route configurations [order-errors] of", "error-handling.yaml", "reloading", FILE);
            Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> "v2".equals(editHeader(app)));
            Files.writeString(errors, slower); // fixed: the running version again, nothing to reload
            awaitLog(app, "route file", "error-handling.yaml", "saved as the version running", "not reloaded");

            // a copy of a route file saved beside it (an operator's backup) is refused: Camel would have run the
            // file's routes from the copy, and stopped them when the copy was deleted
            Path copy = operator.resolve("routes/shipment-checks-backup.yaml");
            Files.writeString(copy, edited);
            awaitLog(app, "route edit refused", "shipment-checks-backup.yaml declares route shipment-check",
                    "shipment-checks.yaml declares too");
            Files.delete(copy);
            // every line commented out (to stop the routes): refused, not read as half-saved and passed over
            Files.writeString(routeFile, edited.lines().map(line -> "# " + line).collect(Collectors.joining("\n")));
            awaitLog(app, "route edit refused", FILE, "declares nothing (every line is a comment)");
            assertThat(editHeader(app)).isEqualTo("v2");

            // a route moved to a file of its own, that file saved first: refused while the old file declares the
            // route, then checked again and loaded once the old file no longer does; and moved back
            Path moved = operator.resolve("routes/shipment-check-http.yaml");
            Files.writeString(moved, edited.substring(httpRoute));
            awaitLog(app, "route edit refused", "shipment-check-http.yaml declares route shipment-check-http");
            Files.writeString(routeFile, edited.substring(0, httpRoute));
            awaitLog(app, "shipment-check-http.yaml, refused before, checked again");
            awaitEditHeader(app);
            Files.delete(moved);
            awaitLog(app, "route shipment-check-http of", "shipment-check-http.yaml", "its file was deleted");
            Files.writeString(routeFile, edited);
            awaitEditHeader(app);
            assertThat(errorLines(app)).as("no ERROR but the edits refused or undone above").allSatisfy(line ->
                    assertThat(line).containsAnyOf("route edit refused", "route edit of file:routes/error-handling.yaml"
                            + " failed to load"));

            // the file of route configurations the other files use, deleted: an ERROR says they keep them only until
            // a restart; put back, it loads again and the routes still answer
            Files.delete(errors);
            awaitLog(app, " ERROR ", "route file", "error-handling.yaml deleted, but it", "put the file back");
            int before = log(app).length();
            Files.writeString(errors, slower);
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                    log(app).substring(before).lines().anyMatch(line -> line.contains("route configurations")
                            && line.contains("error-handling.yaml") && line.contains("reloading")
                            && line.contains(FILE)));
            awaitEditHeader(app);

            // an edit Kaoto would flag (a step the DSL does not have): refused with the schema's message
            Files.writeString(routeFile, edited.replace("- removeHeaders:", "- removeHeader:"));
            awaitLog(app, "route edit refused", FILE, "does not match Camel's YAML DSL schema",
                    "last good version", "file on disk is broken");
            assertThat(editHeader(app)).isEqualTo("v2");

            // an unknown bean, an unknown setting, a mistyped component: each refused before any route is touched
            for (String[] broken : new String[][] {
                    {"ref: shipmentChecks", "ref: shipmentCheck", "no bean named 'shipmentCheck'"},
                    {"{{checkout.http.shipment-checks-path}}", "{{checkout.http.shipment-check-path}}",
                            "uses {{checkout.http.shipment-check-path}} but no such setting exists"},
                    {"uri: \"kafka:{{checkout.topics.shipment-checks}}\"",
                            "uri: \"kafak:{{checkout.topics.shipment-checks}}\"", "no Camel component 'kafak'"},
                    // Camel ignores a configuration name that names none: the routes ran without error handling
                    {"routeConfigurationId: order-errors", "routeConfigurationId: order-error",
                            "names routeConfigurationId order-error, which no route file declares"}}) {
                assertThat(edited).contains(broken[0]);
                Files.writeString(routeFile, edited.replace(broken[0], broken[1]));
                awaitLog(app, "route edit refused", FILE, broken[2], "last good version");
                assertThat(editHeader(app)).isEqualTo("v2");
            }

            // passes the checks, fails when Camel builds the endpoint: the last good version is loaded again
            Files.writeString(routeFile, edited.replace("httpMethodRestrict: GET", "httpMethodRestrict: GET\n        noSuchOption: 1"));
            awaitLog(app, FILE, "restored to the version that last loaded", "last good version is running",
                    "file on disk is broken");
            assertThat(log(app)).contains("noSuchOption");
            assertThat(editHeader(app)).isEqualTo("v2");
            assertThat(log(app)).doesNotContain("URI is not hierarchical");

            // a new file that passes the checks and fails when Camel builds it: nothing of it runs, and the next edit
            // of another file loads (Camel kept a failed reload's files for every later one, which then failed with
            // this file's error and was rolled back)
            Path added = operator.resolve("routes/added-check.yaml");
            Files.writeString(added, "- route:\n    id: added-check-http\n    from:\n"
                    + "      uri: \"platform-http:/added-checks/{orderId}\"\n      parameters:\n"
                    + "        httpMethodRestrict: GET\n        noSuchOption: 1\n      steps:\n"
                    + "        - setBody:\n            constant: \"{}\"\n");
            awaitLog(app, "route edit of", "added-check.yaml", "failed to load", "no earlier version");
            int afterNew = log(app).length();
            Files.writeString(routeFile, "# saved after a new file failed\n" + edited);
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                    log(app).substring(afterNew).contains("Routes reloaded summary"));
            assertThat(log(app).substring(afterNew).lines().filter(line -> line.contains("failed to load")
                    && !line.contains("added-check.yaml"))).as("the edit of " + FILE + " loaded").isEmpty();
            Files.delete(added);

            // a quiet stop (SIGTERM, as Ctrl-C) right after a save, while the file's routes are being reloaded (the
            // watcher fires at once; their Kafka consumer takes seconds to stop): the reload finishes or is skipped,
            // never overlaps Camel's own stop (CI once logged a ConcurrentModificationException from it). The
            // application first, the in-JVM broker last, no ERROR line
            Files.writeString(routeFile, "# saved again, then Ctrl-C\n" + edited);
            app.stop();
            String shutdown = log(app).substring(log(app).indexOf("Commencing graceful shutdown"));
            assertThat(shutdown).contains("Apache Camel", "shutdown in");
            assertThat(shutdown.lines().filter(line -> line.contains(" ERROR ")
                    || line.contains("could not be established"))).isEmpty();
            assertThat(shutdown.lines().filter(line -> line.contains("[rReloadStrategy]")
                    && (line.contains("Routes reloaded") || line.contains("AbstractCamelContext"))))
                    .as("no route reloaded while Camel stops").isEmpty();
        } finally {
            app.stop();
        }
    }

    /** The HTTP shipment check's status. */
    private int checkStatus(ApplicationProcess app) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port()
                + "/shipment-checks/ORD-RELOAD-1")).header("Authorization",
                DemoCredentials.basic(DemoCredentials.OPERATOR)).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    /** The X-Route-Edit header of the HTTP shipment check's answer, null when absent. */
    private String editHeader(ApplicationProcess app) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port()
                + "/shipment-checks/ORD-RELOAD-1")).header("Authorization",
                DemoCredentials.basic(DemoCredentials.OPERATOR)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return answer.headers().firstValue("X-Route-Edit").orElse(null);
    }

    /** Until the HTTP shipment check answers with the edit's header (its route is back). */
    private void awaitEditHeader(ApplicationProcess app) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> "v2".equals(editHeader(app)));
    }

    private static void awaitLog(ApplicationProcess app, String... parts) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                log(app).lines().anyMatch(line -> List.of(parts).stream().allMatch(line::contains)));
    }

    private static List<String> errorLines(ApplicationProcess app) {
        return log(app).lines().filter(line -> line.contains(" ERROR ")).toList();
    }

    private static String log(ApplicationProcess app) {
        try {
            return Files.readString(app.log());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
