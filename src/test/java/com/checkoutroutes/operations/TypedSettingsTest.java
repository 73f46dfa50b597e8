package com.checkoutroutes.operations;

import static org.assertj.core.api.Assertions.assertThat;

import com.checkoutroutes.access.AccessSettings;
import com.checkoutroutes.access.Role;
import com.checkoutroutes.cardcapture.AuthorisationGuard.Policy;
import com.checkoutroutes.cardcapture.CardCaptureSettings;
import com.checkoutroutes.console.ConsoleSettings;
import com.checkoutroutes.continuation.ChannelSettings;
import com.checkoutroutes.gateway.AntomSettings;
import com.checkoutroutes.ledger.LedgerSettings;
import com.checkoutroutes.ledger.OutboxSettings;
import com.checkoutroutes.notifications.NotificationSettings;
import com.checkoutroutes.orderintake.OrderIntakeSettings;
import com.checkoutroutes.orderintake.OrderRulesSettings;
import com.checkoutroutes.doors.DoorSettings;
import com.checkoutroutes.platform.InvalidSettingsFailureAnalyzer;
import com.checkoutroutes.platform.KafkaSettings;
import com.checkoutroutes.reconciliation.JanitorSettings;
import com.checkoutroutes.reconciliation.ReconciliationSettings;
import com.checkoutroutes.shipment.ShipmentSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.validation.annotation.Validated;

/**
 * The typed settings against the shipped config/application.yml, without the application: every record binds from
 * it and passes its own validation (so the defaults there are the only ones and are valid), and a wrong value fails
 * naming the setting. Cheap: no Kafka, no database, no Camel.
 */
class TypedSettingsTest {

    static final List<Class<? extends Record>> RECORDS = List.of(OrderIntakeSettings.class, OutboxSettings.class,
            ChannelSettings.class, ShipmentSettings.class, ReconciliationSettings.class, JanitorSettings.class,
            CardCaptureSettings.class, NotificationSettings.class, MetricsSettings.class, AntomSettings.class,
            AccessSettings.class, OrderRulesSettings.class, DoorSettings.class, LedgerSettings.class,
            ConsoleSettings.class, KafkaSettings.class);

    /** The settings config/application.yml leaves to the deployment (RequiredSettings insists on them). */
    private static final String[] DEPLOYMENT = {"CHECKOUT_ANTOM_CLIENT_ID=SANDBOX_X",
            "CHECKOUT_ANTOM_MERCHANT_PRIVATE_KEY=keys/merchant.pem", "CHECKOUT_ANTOM_PUBLIC_KEY=keys/antom.pem",
            "CHECKOUT_ANTOM_NOTIFY_URL=https://checkout.example/antom/notifications"};

    @EnableConfigurationProperties({OrderIntakeSettings.class, OutboxSettings.class, ChannelSettings.class,
            ShipmentSettings.class, ReconciliationSettings.class, JanitorSettings.class, CardCaptureSettings.class,
            NotificationSettings.class, MetricsSettings.class, AntomSettings.class, AccessSettings.class,
            OrderRulesSettings.class, DoorSettings.class, LedgerSettings.class, ConsoleSettings.class,
            KafkaSettings.class})
    static class AllSettings {
    }

    private final ApplicationContextRunner shipped = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ConfigurationPropertiesAutoConfiguration.class))
            .withUserConfiguration(AllSettings.class)
            .withInitializer(context -> shippedConfig().forEach(context.getEnvironment().getPropertySources()::addLast))
            .withPropertyValues(DEPLOYMENT);

    @Test
    void everyRecordIsValidatedAtStartUp() {
        assertThat(RECORDS).allSatisfy(type -> assertThat(type).hasAnnotation(Validated.class));
    }

    @Test
    void theShippedConfigBindsIntoEveryRecordAndIsValid() {
        shipped.run(context -> {
            assertThat(context).hasNotFailed();
            RECORDS.forEach(type -> assertThat(context).hasSingleBean(type));
            OrderIntakeSettings intake = context.getBean(OrderIntakeSettings.class);
            assertThat(intake.orders().consumers()).isEqualTo(3);
            assertThat(intake.orders().maxBytes()).isEqualTo(65536);
            assertThat(intake.orders().schema()).isEqualTo("config/schemas/order.schema.json");
            assertThat(intake.payments().defaultExpiry()).isEqualTo(Duration.ofMinutes(14));
            assertThat(intake.payments().cardExpiry()).isEqualTo(Duration.ofDays(7));
            assertThat(intake.payments().expiryOf("ALIPAY_CN", false)).isEqualTo(Duration.ofMinutes(14));
            assertThat(intake.payments().expiryOf("CARD", true)).isEqualTo(Duration.ofDays(7));
            assertThat(intake.payments().expiryOf("konbini", false)).as("a Konbini slip is valid for 7 days")
                    .isEqualTo(Duration.ofDays(7));
            OutboxSettings outbox = context.getBean(OutboxSettings.class);
            assertThat(outbox.batchSize()).isEqualTo(100);
            assertThat(outbox.sendTimeout()).isEqualTo(Duration.ofSeconds(30));
            assertThat(outbox.maxSendTime()).isEqualTo(Duration.ofSeconds(15));
            assertThat(outbox.lease()).isEqualTo(Duration.ofSeconds(20));
            assertThat(outbox.linger()).isEqualTo(Duration.ofMillis(20));
            assertThat(context.getBean(com.checkoutroutes.ledger.LedgerSettings.class).groupCommitLinger())
                    .isEqualTo(Duration.ofMillis(3));
            assertThat(outbox.duplicateCancelDestination()).isEqualTo("direct:cancel-duplicate-payment");
            CardCaptureSettings cards = context.getBean(CardCaptureSettings.class);
            assertThat(cards.capture().trigger()).isEqualTo("ORDER_SHIPPED");
            assertThat(cards.authorisationGuard().policy()).isEqualTo(Policy.ALERT);
            assertThat(cards.authorisationGuard().threshold()).isEqualTo(Duration.ofDays(6));
            assertThat(context.getBean(ReconciliationSettings.class).reportDir()).isEqualTo("data/reports");
            ChannelSettings channels = context.getBean(ChannelSettings.class);
            assertThat(channels.anyHttp()).as("the shipped channels are Kafka topics").isFalse();
            assertThat(channels.http().hmacSecret()).isEmpty();
            assertThat(channels.http().parkedRetry()).isEqualTo(Duration.ofSeconds(30));
            assertThat(channels.http().senders()).isEqualTo(3);
            assertThat(context.getBean(NotificationSettings.class).maxBytes()).isEqualTo(65536);
            assertThat(context.getBean(NotificationSettings.class).maxAge()).isZero();
            DoorSettings doors = context.getBean(DoorSettings.class);
            assertThat(doors.orders().maxBytes()).as("the order door takes what the order route takes").isEqualTo(65536);
            assertThat(doors.notifications().paths()).containsExactly("/antom/notifications");
            assertThat(doors.notifications().bodyTimeout()).as("Antom's bodies come at once")
                    .isEqualTo(java.time.Duration.ofSeconds(3));
            assertThat(doors.orders().bodyTimeout()).as("the doors' body-timeout").isNull();
            assertThat(doors.operator().paths()).containsExactly("/payments", "/shipment-checks");
            assertThat(context.getBean(OrderRulesSettings.class).maxAmount("USD")).isEqualTo(100_000_000L);
            assertThat(context.getBean(OrderRulesSettings.class).maxAmount("KRW")).isEqualTo(1_000_000_000L);
            assertThat(context.getBean(MetricsSettings.class).ledgerRefresh()).isEqualTo(Duration.ofSeconds(30));
            assertThat(context.getBean(ShipmentSettings.class).confirmationFreshness()).isEqualTo(Duration.ofMinutes(5));
            JanitorSettings janitor = context.getBean(JanitorSettings.class);
            assertThat(janitor.batchSize()).isEqualTo(500);
            assertThat(janitor.concurrency()).isEqualTo(8);
            assertThat(janitor.firstCheck().captureRequested()).isEqualTo(Duration.ofSeconds(30));
            assertThat(janitor.checkDelays()).hasSize(8).last().isEqualTo(Duration.ofHours(6));
            AntomSettings antom = context.getBean(AntomSettings.class);
            assertThat(antom.timeout()).isEqualTo(Duration.ofSeconds(10));
            assertThat(antom.retry().maxAttempts()).isEqualTo(3);
            assertThat(antom.antomPreviousPublicKey()).as("no key replacement under way").isEmpty();
            // production ships the two users without passwords (their doors refuse everyone) and no JWTs
            AccessSettings access = context.getBean(AccessSettings.class);
            assertThat(access.users()).containsOnlyKeys("order-system", "operator", "monitor");
            assertThat(access.users().get("order-system").roles()).containsExactly(Role.ORDER_PUBLISHER);
            assertThat(access.users().get("operator").roles()).containsExactly(Role.OPERATOR);
            assertThat(access.users().values()).allSatisfy(user -> assertThat(user.password()).isEmpty());
            assertThat(access.jwt().issuerUri()).isEmpty();
            assertThat(access.jwt().jwkSetUri()).isEmpty();
            assertThat(access.jwt().audience()).isEmpty();
            assertThat(access.jwt().rolesClaim()).isEqualTo("roles");
        });
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            checkout.orders.consumers=0                          | checkout.orders.consumers
            checkout.orders.max-poll-records=-5                  | checkout.orders.max-poll-records
            checkout.orders.schema=                              | checkout.orders.schema
            checkout.kafka.max-event-bytes=16KB                  | checkout.kafka.max-event-bytes
            checkout.kafka.max-event-bytes=0                     | checkout.kafka.max-event-bytes
            checkout.payments.card-expiry=0s                     | checkout.payments.card-expiry
            checkout.payments.method-expiry.KONBINI=0s           | checkout.payments.method-expiry
            checkout.outbox.batch-size=0                         | checkout.outbox.batch-size
            checkout.outbox.results-destination=                 | checkout.outbox.results-destination
            checkout.outbox.send-timeout=soon                    | checkout.outbox.send-timeout
            checkout.outbox.lease=15s                            | lease must be longer than max-send-time
            checkout.outbox.max-send-time=0s                     | checkout.outbox.max-send-time
            checkout.outbox.linger=2s                            | checkout.outbox.linger
            checkout.ledger.group-commit-linger=101ms            | checkout.ledger.group-commit-linger
            checkout.channels.wap=                               | checkout.channels.wap
            checkout.channels.http.parked-retry=0s               | checkout.channels.http.parked-retry
            checkout.channels.http.senders=0                     | checkout.channels.http.senders
            checkout.shipment.confirmation-freshness=-1m         | checkout.shipment.confirmation-freshness
            checkout.reconciliation.cron=every morning           | checkout.reconciliation.cron
            checkout.janitor.batch-size=-1                       | checkout.janitor.batch-size
            checkout.janitor.concurrency=65                      | checkout.janitor.concurrency
            checkout.janitor.first-check.unknown=-10s            | checkout.janitor.first-check.unknown
            checkout.janitor.check-delays=                       | checkout.janitor.check-delays
            checkout.authorisation-guard.policy=SOMETIMES        | checkout.authorisation-guard.policy
            checkout.authorisation-guard.cron=0 0 25 * * ?       | checkout.authorisation-guard.cron
            checkout.authorisation-guard.threshold=7d            | checkout.authorisation-guard.threshold
            checkout.capture.trigger=ORDER_PACKED                | checkout.capture.trigger
            checkout.capture.trigger=order_shipped               | checkout.capture.trigger
            # the notification door's limit is this one (${checkout.notifications.max-bytes}): either record may name it
            checkout.notifications.max-bytes=0                   | notifications.max-bytes = "0"
            checkout.notifications.max-age=-1h                   | checkout.notifications.max-age
            checkout.order-rules.result-page-schemes=            | checkout.order-rules.result-page-schemes
            checkout.doors.operator.max-concurrent=0             | checkout.doors.operator.max-concurrent
            checkout.doors.body-timeout=0s                       | checkout.doors.body-timeout
            checkout.metrics.ledger-refresh=0s                   | checkout.metrics.ledger-refresh
            checkout.antom.retry.max-attempts=0                  | checkout.antom.retry.max-attempts
            checkout.access.users.operator.roles=ADMIN           | checkout.access.users.operator.roles
            checkout.access.jwt.roles-claim=                     | checkout.access.jwt.roles-claim
            """)
    void aWrongValueFailsNamingTheSetting(String wrong, String setting) {
        shipped.withPropertyValues(wrong).run(context -> {
            assertThat(context).hasFailed();
            assertThat(failureText(context)).contains(setting);
        });
    }

    @Test
    void anHttpChannelNeedsTheHmacSecretAndStartUpNeverPrintsIt() {
        shipped.withPropertyValues("checkout.channels.web=https://bff.example/continuations",
                "checkout.channels.http.hmac-secret=too-short-to-sign").run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(failureText(context)).contains("checkout.channels.http.hmac-secret")
                            .contains("CHECKOUT_CHANNEL_HMAC_SECRET").doesNotContain("too-short-to-sign");
                });
        shipped.withPropertyValues("checkout.channels.web=https://bff.example/continuations",
                "checkout.channels.http.hmac-secret=" + "k".repeat(32)).run(context -> {
                    assertThat(context).hasNotFailed();
                    ChannelSettings channels = context.getBean(ChannelSettings.class);
                    assertThat(channels.anyHttp()).isTrue();
                    assertThat(channels.http().toString()).doesNotContain("kkkk");
                });
    }

    /** Without an audience, a token the identity provider issued for any other service would get in. */
    @Test
    void bearerJwtsNeedAnAudience() {
        shipped.withPropertyValues("checkout.access.jwt.jwk-set-uri=https://idp.example/keys").run(context -> {
            assertThat(context).hasFailed();
            assertThat(failureText(context)).contains("checkout.access.jwt.audience").contains("CHECKOUT_JWT_AUDIENCE");
        });
        shipped.withPropertyValues("checkout.access.jwt.jwk-set-uri=https://idp.example/keys",
                "checkout.access.jwt.audience=checkout-routes").run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void theAnalysisNamesEachSettingAsWrittenWithItsReason() {
        shipped.withPropertyValues("checkout.outbox.batch-size=0", "checkout.outbox.send-timeout=-1s").run(context -> {
            assertThat(context).hasFailed();
            assertThat(failureText(context))
                    .contains("checkout.outbox.batch-size = \"0\": must be greater than 0")
                    .contains("checkout.outbox.send-timeout = \"PT-1S\"").contains("from property source \"test\"");
        });
    }

    /** What start-up prints: the analysis of a rejected value, and the exception chain (binding failures). */
    static String failureText(AssertableApplicationContext context) {
        Throwable failure = context.getStartupFailure();
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null && t != t.getCause(); t = t.getCause()) {
            text.append(t).append('\n');
        }
        FailureAnalysis analysis = new InvalidSettingsFailureAnalyzer().analyze(failure);
        return (analysis == null ? "" : analysis.getDescription() + "\n") + text;
    }

    private static List<PropertySource<?>> shippedConfig() {
        try {
            return new YamlPropertySourceLoader().load("config/application.yml",
                    new FileSystemResource("config/application.yml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
