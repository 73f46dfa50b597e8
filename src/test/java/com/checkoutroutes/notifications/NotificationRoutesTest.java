package com.checkoutroutes.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isA;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import com.checkoutroutes.platform.InfrastructureFailures;
import com.checkoutroutes.ledger.DatabaseOutage;
import com.checkoutroutes.ledger.NotificationInbox.Outcome;
import com.checkoutroutes.notifications.NotificationApplier.Applied;
import com.checkoutroutes.results.DuplicatePaymentCanceller;
import com.checkoutroutes.testsupport.AntomNotifier;
import com.checkoutroutes.testsupport.RouteTestSupport;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.apache.camel.EndpointInject;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.spring.junit5.MockEndpointsAndSkip;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

/**
 * routes/notifications.yaml with its error answers (error-handling.yaml), fast: Antom's HTTP door replaced by a
 * direct endpoint (AdviceWith), the real intake and reader, the signature check and the ledger's side (inbox, apply)
 * Mockito beans. A new notification is applied and its events flushed before SUCCESS; a resend changes nothing; a
 * forged one gets the verifier's 401 and never reaches the ledger; a database failure gets 503 so Antom resends. The
 * duplicate-payments consumer (its topic a direct endpoint here) retries a failing cancel, then flags it; with the
 * database down it leaves the record to be read again.
 */
@TestPropertySource(properties = {RouteTestSupport.NO_DATABASE,
    "camel.main.routes-include-pattern=file:routes/notifications.yaml,file:routes/error-handling.yaml",
    "checkout.orders.infrastructure-retry-delay=1"})
@Import({NotificationRoutesTest.Beans.class, NotificationReader.class, InfrastructureFailures.class})
@MockEndpointsAndSkip("direct:outbox-flush")
class NotificationRoutesTest extends RouteTestSupport {

    private static final String BODY = AntomNotifier.paymentResult("PAYMENT_RESULT", "S", "SUCCESS", "PRID-1", "PID-1",
            "USD", 1250);

    /** The beans under the names the routes use. */
    @TestConfiguration
    static class Beans {
        @Bean
        NotificationIntake notificationIntake(NotificationVerifier verifier, NotificationReader reader,
                NotificationApplier applier, MeterRegistry meters, DatabaseOutage database) {
            return new NotificationIntake(verifier, reader, applier, meters, database);
        }
    }

    @MockitoBean
    NotificationVerifier verifier;
    @MockitoBean
    NotificationApplier applier;
    @MockitoBean
    DatabaseOutage database;
    @MockitoBean(name = "duplicatePaymentCanceller")
    DuplicatePaymentCanceller duplicates;
    @EndpointInject("mock:direct:outbox-flush")
    MockEndpoint outboxFlush;

    @Override
    protected void adviseRoutes() throws Exception {
        AdviceWith.adviceWith(camel, "antom-notifications", route -> route.replaceFromWith("direct:notifications"));
        AdviceWith.adviceWith(camel, "cancel-duplicate-payment",
                route -> route.replaceFromWith("direct:duplicate-payments"));
    }

    @BeforeEach
    void databaseAnswers() {
        when(database.worthTrying()).thenReturn(true);
    }

    @Test
    void aNewNotificationIsAppliedAndItsEventsFlushedBeforeSuccess() throws Exception {
        when(applier.apply(any(), anyString())).thenReturn(new Applied(Outcome.APPLIED, false, "PRID-1", null));
        NotifyBuilder answered = new NotifyBuilder(camel).fromRoute("antom-notifications").whenCompleted(1).create();
        outboxFlush.expectedMessageCount(1);

        Exchange answer = post(BODY);

        assertThat(answered.matches(5, TimeUnit.SECONDS)).isTrue();
        assertThat(answer.getMessage().getBody(String.class)).isEqualTo(NotificationIntake.SUCCESS);
        assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(200);
        verify(applier).apply(any(), anyString());
        outboxFlush.assertIsSatisfied();
    }

    @Test
    void aResendChangesNothingAndIsAnsweredSuccess() throws Exception {
        when(applier.isDuplicate(any())).thenReturn(true);

        Exchange answer = post(BODY);

        assertThat(answer.getMessage().getBody(String.class)).isEqualTo(NotificationIntake.SUCCESS);
        verify(applier, never()).apply(any(), anyString());
        assertThat(outboxFlush.getReceivedCounter()).isZero();
    }

    @Test
    void aForgedNotificationIsRefusedAndNeverReachesTheLedger() {
        doThrow(new RejectedNotificationException(401, "INVALID_SIGNATURE", "signature does not verify"))
                .when(verifier).verify(any(), any(), any(), any());

        Exchange answer = post(BODY);

        assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(401);
        assertThat(answer.getMessage().getBody(String.class)).contains("INVALID_SIGNATURE");
        verifyNoInteractions(applier);
        assertThat(outboxFlush.getReceivedCounter()).isZero();
    }

    @Test
    void aDatabaseFailureIsAnswered503SoAntomResends() {
        when(applier.apply(any(), anyString())).thenThrow(new DataAccessResourceFailureException("database down"));

        Exchange answer = post(BODY);

        assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(503);
        assertThat(answer.getMessage().getBody(String.class)).contains("\"resultStatus\":\"F\"");
        assertThat(outboxFlush.getReceivedCounter()).isZero();
    }

    /** A second payment whose cancel keeps failing is tried three times, then noted and flagged for an operator. */
    @Test
    void aDuplicateWhoseCancelKeepsFailingIsFlaggedAfterThreeTries() {
        IllegalStateException failure = new IllegalStateException("concurrent update of PRID-2");
        doThrow(failure).when(duplicates).cancel("PRID-2");

        producer.sendBody("direct:duplicate-payments", "PRID-2".getBytes(StandardCharsets.UTF_8));

        verify(duplicates, times(3)).cancel("PRID-2");
        verify(duplicates).notDone("PRID-2", failure);
        assertThat(outboxFlush.getReceivedCounter()).isZero();
    }

    /** With the database down the record is not handled: the consumer reads it again, nothing is flagged. */
    @Test
    void aDuplicateMetWithTheDatabaseDownIsReadAgain() {
        doThrow(new DataAccessResourceFailureException("database down")).when(duplicates).cancel("PRID-3");

        assertThatThrownBy(() -> producer.sendBody("direct:duplicate-payments",
                "PRID-3".getBytes(StandardCharsets.UTF_8))).hasRootCauseInstanceOf(
                DataAccessResourceFailureException.class);

        verify(duplicates, never()).notDone(eq("PRID-3"), isA(Exception.class));
    }

    private Exchange post(String body) {
        return producer.send("direct:notifications", exchange -> {
            exchange.getIn().setBody(body.getBytes(StandardCharsets.UTF_8));
            exchange.getIn().setHeader("client-id", "ROUTE_TESTS");
            exchange.getIn().setHeader("request-time", "1764576000000");
            exchange.getIn().setHeader("signature", "algorithm=RSA256,keyVersion=1,signature=c2lnbmVk");
        });
    }
}
