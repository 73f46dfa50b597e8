package com.checkoutroutes.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.checkoutroutes.CheckoutRoutesApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/** Start-up stops at once, naming the setting, when a key or a required setting is missing or malformed. */
// flow tier: starts the application (its test environment brings the broker and PostgreSQL)
@Tag("flow")
@ExtendWith(OutputCaptureExtension.class)
class FailFastTest {

    /** Looks like key material; must never reach a message or a log line. */
    private static final String NOT_A_KEY = "MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQDnotakey";

    @Test
    void aMissingKeyFileIsNamedWithItsSetting() {
        Throwable root = rootCauseOfStarting("--checkout.antom.merchant-private-key=/nowhere/merchant-private.pem");

        assertThat(root).hasMessageContaining("checkout.antom.merchant-private-key")
                .hasMessageContaining("/nowhere/merchant-private.pem").hasMessageContaining("missing or unreadable");
    }

    @Test
    void aMalformedKeyIsNamedWithItsSettingAndNeverPrinted(@TempDir Path dir, CapturedOutput output) throws IOException {
        Path key = dir.resolve("antom-public.pem");
        Files.writeString(key, "-----BEGIN PUBLIC KEY-----\n" + NOT_A_KEY + "\n-----END PUBLIC KEY-----\n");

        Throwable root = rootCauseOfStarting("--checkout.antom.antom-public-key=" + key);

        assertThat(root).hasMessageContaining("checkout.antom.antom-public-key").hasMessageNotContaining(NOT_A_KEY);
        assertThat(output.getAll()).contains("checkout.antom.antom-public-key").doesNotContain(NOT_A_KEY)
                .doesNotContain(NOT_A_KEY.substring(0, 24));
    }

    /** So is a previous key given for a rotation: a typo there must not wait for Antom's first answer. */
    @Test
    void aMalformedPreviousKeyIsNamedWithItsSettingAndNeverPrinted(@TempDir Path dir, CapturedOutput output)
            throws IOException {
        Path key = dir.resolve("antom-previous-public.pem");
        Files.writeString(key, "-----BEGIN PUBLIC KEY-----\n" + NOT_A_KEY + "\n-----END PUBLIC KEY-----\n");

        Throwable root = rootCauseOfStarting("--checkout.antom.antom-previous-public-key=" + key);

        assertThat(root).hasMessageContaining("checkout.antom.antom-previous-public-key")
                .hasMessageNotContaining(NOT_A_KEY);
        assertThat(output.getAll()).doesNotContain(NOT_A_KEY.substring(0, 24));
    }

    /** The sandbox's Antom key (its private half published in config/sandbox-keys) with a real client id: no start. */
    @Test
    void thePublishedSandboxKeyWithAClientIdNotASandboxsStopsStartUp() {
        Throwable root = rootCauseOfStarting("--checkout.antom.client-id=2188120000000001",
                "--checkout.antom.antom-public-key=config/sandbox-keys/antom-public.pem");

        assertThat(root).hasMessageContaining("checkout.antom.antom-public-key").hasMessageContaining("published")
                .hasMessageContaining("SANDBOX_");
    }

    @Test
    void aBlankRequiredSettingIsNamed() {
        Throwable root = rootCauseOfStarting("--checkout.antom.client-id=");

        assertThat(root.getMessage() + root).contains("checkout.antom.client-id");
    }

    @Test
    void aWrongValueStopsStartUpNamingTheSetting(CapturedOutput output) {
        Throwable root = rootCauseOfStarting("--checkout.orders.max-poll-records=0");

        assertThat(root).hasMessageContaining("checkout").hasMessageContaining("maxPollRecords");
        // the operator reads the setting as written in config/application.yml, with the reason and its origin
        assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
                .contains("checkout.orders.max-poll-records = \"0\": must be greater than 0")
                .contains("commandLineArgs");
    }

    /** Without its scheme every call to Antom would fail, and every notification's signature, once orders came. */
    @Test
    void anAntomUrlWithoutSchemeOrWithCharactersNoUriAllowsStopsStartUp(CapturedOutput output) {
        rootCauseOfStarting("--checkout.antom.gateway-url=open-sea-global.alipay.com");
        assertThat(output.getAll()).contains("checkout.antom.gateway-url (CHECKOUT_ANTOM_GATEWAY_URL) must be an"
                + " absolute http(s) URL");

        rootCauseOfStarting("--checkout.antom.notify-url=https://shop.example/antom notify");
        assertThat(output.getAll()).contains("checkout.antom.notify-url (CHECKOUT_ANTOM_NOTIFY_URL) must be an"
                + " absolute http(s) URL");
    }

    /** Read only by routes/orders.yaml, and checked all the same: a negative wait is a typo, not a choice. */
    @Test
    void aNegativeRevokeTimeoutStopsStartUp(CapturedOutput output) {
        rootCauseOfStarting("--checkout.orders.revoke-timeout-ms=-20000");

        assertThat(output.getAll()).contains("checkout.orders.revoke-timeout-ms = \"-20000\": must be greater than or"
                + " equal to 0");
    }

    @Test
    void aPlainTextPasswordStopsStartUpNamingTheSettingNeverTheValue(CapturedOutput output) {
        Throwable root = rootCauseOfStarting("--checkout.access.users.operator.password=hunter2-in-plain-text");

        assertThat(root).hasMessageContaining("checkout.access.users.operator.password")
                .hasMessageContaining("plain-text passwords are refused");
        assertThat(output.getAll()).doesNotContain("hunter2");
    }

    @Test
    void kafkaSendsLongerThanTheOutboxCountsOnStopStartUp() {
        Throwable root = rootCauseOfStarting("--camel.component.kafka.delivery-timeout-ms=30000");

        assertThat(root).hasMessageContaining("checkout.outbox.max-send-time (15000 ms)")
                .hasMessageContaining("max-block-ms (5000) + delivery-timeout-ms (30000)");
    }

    /**
     * A copy of a route file left among the route files: Camel refuses to start (a live edit that makes one is refused
     * by the guard: RoutesReloadTest).
     */
    @Test
    void twoRouteFilesDeclaringOneIdStopStartUp(@TempDir Path dir) throws IOException {
        Path copy = dir.resolve("orders-backup.yaml");
        Files.copy(Path.of("routes/orders.yaml"), copy);

        Throwable root = rootCauseOfStarting("--camel.main.routes-include-pattern=file:routes/*.yaml,file:" + copy);

        assertThat(root).hasMessageContaining("Duplicate route ids detected").hasMessageContaining("order-intake");
    }

    /**
     * A route file naming a route configuration no file declares (a typo, or an edit the guard refused and left on
     * disk): Camel would ignore the name and run the routes without their error handling.
     */
    @Test
    void aRouteConfigurationNoFileDeclaresStopsStartUp(@TempDir Path dir) throws IOException {
        try (var shipped = Files.list(Path.of("routes"))) {
            for (Path file : shipped.toList()) {
                Files.copy(file, dir.resolve(file.getFileName()));
            }
        }
        Path orders = dir.resolve("orders.yaml");
        Files.writeString(orders, Files.readString(orders).replace("routeConfigurationId: order-errors",
                "routeConfigurationId: order-error"));

        Throwable root = rootCauseOfStarting("--camel.main.routes-include-pattern=file:" + dir + "/*.yaml");

        assertThat(root).hasMessageContaining("orders.yaml names routeConfigurationId order-error, which no route"
                + " file declares").hasMessageStartingWith("route order-");
    }

    /**
     * Quartz keeps its JDBC connection providers in a JVM-wide registry keyed by scheduler name: a context failing under
     * the usual name would leave the test contexts cached in this JVM on its closed pool, and a job of theirs then
     * retries its completion forever, hanging their shutdown. Its own name keeps them apart.
     */
    private static final String OWN_SCHEDULER = "--spring.quartz.scheduler-name=fail-fast-test";
    /**
     * A context that fails once Camel starts (its routes' checks) has started Quartz's delayed start already: 5 s on,
     * that thread finds the scheduler shut down and throws, into whichever test then runs.
     */
    private static final String NO_DELAYED_START = "--spring.quartz.auto-startup=false";

    private static Throwable rootCauseOfStarting(String... args) {
        String[] withOwnScheduler = Arrays.copyOf(args, args.length + 2);
        withOwnScheduler[args.length] = OWN_SCHEDULER;
        withOwnScheduler[args.length + 1] = NO_DELAYED_START;
        Throwable failure = catchThrowable(() -> {
            try (ConfigurableApplicationContext started = new SpringApplicationBuilder(CheckoutRoutesApplication.class)
                    .run(withOwnScheduler)) {
                throw new AssertionError("started although " + String.join(" ", args));
            }
        });
        assertThat(failure).isNotNull().isNotInstanceOf(AssertionError.class);
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
