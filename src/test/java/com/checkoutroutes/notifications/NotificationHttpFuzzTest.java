package com.checkoutroutes.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.notifications.NotificationForge.Request;
import com.checkoutroutes.notifications.NotificationMutator.Mutation;
import com.checkoutroutes.results.AntomResult;
import com.checkoutroutes.testsupport.AntomNotifier.Answer;
import com.checkoutroutes.testsupport.AntomNotifier;
import com.checkoutroutes.testsupport.FlowTestSupport;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The notification fuzz through the running application: mutations of the notification that paid a payment, sent to
 * the endpoint. Every answer is a 4xx with a code, or SUCCESS for a body that is a valid notification under a valid
 * signature; a 4xx changes no row; the payment stays paid and no event says otherwise. {@code -Dfuzz.http.cases}
 * and {@code -Dfuzz.seed} size and replay it; a failure prints seed, case and input.
 */
class NotificationHttpFuzzTest extends FlowTestSupport {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    NotificationReader reader;

    @Test
    void mutatedNotificationsGetA4xxOrAreValidAndNeverMoveAPaidPaymentBack() throws Exception {
        long seed = Long.getLong("fuzz.seed", 20261122L);
        int cases = Integer.getInteger("fuzz.http.cases", 200);
        AntomNotifier antom = antomNotifier();
        PaymentAttempt attempt = pendingWallet();
        NotificationForge forge = NotificationForge.about(antom, notificationsPath, antomClientId, attempt);
        Request paidBy = forge.signed(forge.success());
        assertThat(antom.send("POST", paidBy.body(), paidBy.headers()).body()).isEqualTo(NotificationIntake.SUCCESS);
        kafka().await(resultsTopic, r -> r.value().contains(attempt.paymentRequestId())
                && r.value().contains("\"state\":\"SUCCEEDED\""));
        long unpaidEvents = unpaidEventsAbout(attempt.paymentRequestId());

        Random random = new Random(seed);
        NotificationMutator mutator = new NotificationMutator(forge.success());
        Map<String, Integer> answers = new TreeMap<>();
        try (AutoCloseable jobs = scheduledJobsStopped()) {
            for (int i = 0; i < cases; i++) {
                Mutation m = mutator.next(random);
                Map<String, String> headers = m.resigned() ? forge.signed(m.body()).headers() : paidBy.headers();
                try {
                    answers.merge(send(antom, m, headers, paidBy.body(), attempt.paymentRequestId()), 1, Integer::sum);
                } catch (Throwable e) {
                    throw new AssertionError("seed " + seed + " case " + i + ": " + e.getMessage() + "\n  input " + m.show(), e);
                }
            }
        }
        System.out.println("notification HTTP fuzz, seed " + seed + ", " + cases + " cases: " + answers);

        PaymentAttempt marker = pendingWallet();
        kafka().await(resultsTopic, r -> r.value().contains(marker.paymentRequestId()));
        assertThat(unpaidEventsAbout(attempt.paymentRequestId())).as("events moving the paid payment out of paid")
                .isEqualTo(unpaidEvents);
        assertThat(answers).containsKeys("200", "401 INVALID_SIGNATURE", "400 MALFORMED_BODY");
    }

    private long unpaidEventsAbout(String prid) {
        return kafka().matching(resultsTopic, r -> r.value().contains(prid)).stream()
                .filter(r -> !PaymentState.valueOf(read(r.value()).path("state").asText()).isPaid()).count();
    }

    /** Sends one mutation and checks its answer; returns "200" or "status CODE". */
    private String send(AntomNotifier antom, Mutation m, Map<String, String> headers, byte[] valid, String prid) {
        LedgerSnapshot before = LedgerSnapshot.take(jdbc);
        Answer answer = antom.send("POST", m.body(), headers);
        LedgerSnapshot after = LedgerSnapshot.take(jdbc);
        if (answer.status() == 200) {
            assertThat(answer.body()).isEqualTo(NotificationIntake.SUCCESS);
            assertThat(m.resigned() || m.sameAs(valid)).as("SUCCESS for a changed body under the old signature").isTrue();
            AntomResult n = reader.read(reader.text(m.body()));
            assertThat(LedgerFit.problem(n)).as("SUCCESS for a notification the ledger cannot hold").isNull();
            assertThat(ledger.find(prid).orElseThrow().state().isPaid()).as("the payment is still paid").isTrue();
            return "200";
        }
        assertThat(answer.status()).as("status; answer %s", answer.body()).isBetween(400, 499);
        assertThat(after).as("rows after a %d", answer.status()).isEqualTo(before);
        if (answer.status() == 413) {
            // refused by the doors' limits (DoorLimits) before the route, in their own shape
            assertThat(answer.body()).startsWith("{\"code\":\"PAYLOAD_TOO_LARGE\",");
            return "413 PAYLOAD_TOO_LARGE";
        }
        assertThat(answer.body()).matches("\\{\"result\":\\{\"resultCode\":\"[A-Z_]+\",\"resultStatus\":\"F\","
                + "\"resultMessage\":\"not accepted\"}}");
        return answer.status() + " " + read(answer.body()).path("result").path("resultCode").asText();
    }
}
