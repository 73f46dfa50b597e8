package com.checkoutroutes.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import com.checkoutroutes.ledger.DatabaseOutage;
import com.checkoutroutes.gateway.AntomSettings;
import com.checkoutroutes.notifications.NotificationMutator.Mutation;
import com.checkoutroutes.results.AntomResult;
import com.checkoutroutes.signature.AntomPublicKeys;
import com.checkoutroutes.signature.AntomSignature;
import com.checkoutroutes.signature.RsaKeys;
import com.checkoutroutes.signature.SignatureHeader;
import com.checkoutroutes.testsupport.AntomNotifier;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the notification route's receive and verify steps ({@link NotificationIntake}, with the real reader and
 * verifier) with seeded mutations of a valid, signed notification, thousands per second without the application:
 * every input is either a notification that fits the ledger or a rejection with a 4xx and a code, never another
 * exception; a changed body with the original signature is always refused. A failure prints seed, case and input.
 * {@code -Dfuzz.cases} and {@code -Dfuzz.seed} size and replay it; NotificationHttpFuzzTest takes a few through HTTP.
 */
class NotificationIntakeFuzzTest {

    static final String CLIENT_ID = "SANDBOX_CHECKOUT_ROUTES";
    static final String PATH = "/antom/notifications";
    static final NotificationSettings NOTIFICATIONS = new NotificationSettings(PATH, 65536, Duration.ofMinutes(10),
            Duration.ZERO);
    static final String VALID = AntomNotifier.paymentResult("PAYMENT_RESULT", "S", "SUCCESS", "pr-fuzz-1",
            "20261122194010800100188000000001", "USD", 1250);

    private final NotificationIntake intake = trusting(AntomPublicKeys.of(SANDBOX_ANTOM_KEY, null));
    private final AntomNotifier antom = new AntomNotifier(0, PATH, CLIENT_ID);
    /** Parsed once: the SDK's signer re-reads the key per call, which would make the fuzz mostly key parsing. */
    private final PrivateKey antomKey = RsaKeys.privateKey(AntomNotifier.ANTOM_PRIVATE_KEY, "sandbox Antom key");
    private final DefaultCamelContext camel = new DefaultCamelContext();

    @Test
    void theValidNotificationIsAccepted() {
        String signature = antom.sign(VALID, "1763800000000", AntomNotifier.ANTOM_PRIVATE_KEY);
        AntomResult n = intake(VALID.getBytes(StandardCharsets.UTF_8), antom.headers("1763800000000", signature));
        assertThat(n.paymentRequestId()).isEqualTo("pr-fuzz-1");
        assertThat(n.succeeded()).isTrue();
    }

    @Test
    void everyMutationIsANotificationThatFitsTheLedgerOrARejectionWithACode() {
        long seed = Long.getLong("fuzz.seed", 20261122L);
        int cases = Integer.getInteger("fuzz.cases", 3000);
        Random random = new Random(seed);
        NotificationMutator mutator = new NotificationMutator(VALID);
        String time = "1763800000000";
        // the SDK's signature over the valid body, so the verifier is proven against the SDK too
        Map<String, String> originalHeaders = antom.headers(time, antom.sign(VALID, time, AntomNotifier.ANTOM_PRIVATE_KEY));
        byte[] valid = VALID.getBytes(StandardCharsets.UTF_8);
        Map<String, Integer> outcomes = new TreeMap<>();
        for (int i = 0; i < cases; i++) {
            Mutation m = mutator.next(random);
            Map<String, String> headers = m.resigned() ? antom.headers(time, sign(m.body(), time)) : originalHeaders;
            try {
                outcomes.merge(judge(m, headers, valid), 1, Integer::sum);
            } catch (Throwable e) {
                throw new AssertionError("seed " + seed + " case " + i + ": " + e.getMessage() + "\n  input " + m.show(), e);
            }
        }
        System.out.println("notification intake fuzz, seed " + seed + ", " + cases + " cases: " + outcomes);
        assertThat(outcomes).containsKeys("accepted", "401 INVALID_SIGNATURE", "400 MALFORMED_BODY");
    }

    /** The outcome of one input ("accepted" or "status CODE"), or an AssertionError saying what is wrong. */
    private String judge(Mutation m, Map<String, String> headers, byte[] valid) {
        AntomResult n;
        try {
            n = intake(m.body(), headers);
        } catch (RejectedNotificationException e) {
            assertThat(e.httpStatus()).as("status of %s", e.code()).isBetween(400, 499);
            assertThat(e.code()).matches("[A-Z_]+");
            return e.httpStatus() + " " + e.code();
        }
        assertThat(m.resigned() || m.sameAs(valid)).as("accepted a changed body under the original signature").isTrue();
        assertThat(LedgerFit.problem(n)).as("accepted a notification the ledger cannot hold").isNull();
        return "accepted";
    }

    /** Antom's signature over the text the verifier sees in these bytes. */
    private String sign(byte[] body, String time) {
        String content = AntomSignature.content("POST", PATH, CLIENT_ID, time, new String(body, StandardCharsets.UTF_8));
        return SignatureHeader.format(1, AntomSignature.sign(content, antomKey));
    }

    /**
     * While Antom's key is replaced, a notification signed with the key it used until now (a resend of one signed
     * before) verifies with antom-previous-public-key; without it, it is refused.
     */
    @Test
    void aNotificationSignedWithAntomsPreviousKeyIsAcceptedDuringARotation() throws Exception {
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String newKey = java.util.Base64.getEncoder().encodeToString(generator.generateKeyPair().getPublic()
                .getEncoded());
        Map<String, String> headers = antom.headers("1763800000000",
                antom.sign(VALID, "1763800000000", AntomNotifier.ANTOM_PRIVATE_KEY));
        AntomPublicKeys rotating = AntomPublicKeys.of(newKey, SANDBOX_ANTOM_KEY);

        assertThat(intake(trusting(rotating), VALID.getBytes(StandardCharsets.UTF_8), headers).succeeded()).isTrue();
        assertThat(rotating.verifiedByPrevious()).isEqualTo(1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> intake(trusting(AntomPublicKeys.of(newKey, null)),
                VALID.getBytes(StandardCharsets.UTF_8), headers)).isInstanceOfSatisfying(
                        RejectedNotificationException.class, e -> assertThat(e.code()).isEqualTo("INVALID_SIGNATURE"));
    }

    private static final String SANDBOX_ANTOM_KEY = "config/sandbox-keys/antom-public.pem";

    private static NotificationIntake trusting(AntomPublicKeys keys) {
        return new NotificationIntake(new NotificationVerifier(settings(), keys, NOTIFICATIONS, Clock.systemUTC()),
                new NotificationReader(JsonMapper.builder().findAndAddModules().build(), NOTIFICATIONS), null,
                new SimpleMeterRegistry(), new DatabaseOutage());
    }

    private AntomResult intake(byte[] body, Map<String, String> headers) {
        return intake(intake, body, headers);
    }

    private AntomResult intake(NotificationIntake intake, byte[] body, Map<String, String> headers) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getIn().setBody(body);
        headers.forEach(exchange.getIn()::setHeader);
        intake.receive(exchange);
        intake.verify(exchange);
        return exchange.getProperty(NotificationIntake.NOTIFICATION, AntomResult.class);
    }

    private static AntomSettings settings() {
        return new AntomSettings(CLIENT_ID, "http://127.0.0.1:1", AntomNotifier.MERCHANT_PRIVATE_KEY,
                SANDBOX_ANTOM_KEY, null, 1, Duration.ofSeconds(10), Duration.ofSeconds(2), 64,
                "http://127.0.0.1:8080" + PATH, null);
    }
}
