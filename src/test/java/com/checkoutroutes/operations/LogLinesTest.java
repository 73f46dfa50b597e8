package com.checkoutroutes.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.signature.RsaKeys;
import com.checkoutroutes.testsupport.AntomNotifier;
import com.checkoutroutes.testsupport.FlowTestSupport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.logging.logback.StructuredLogEncoder;

/**
 * The log lines of an order and its notification carry the flow's ids in the MDC (so a JSON log has them as
 * fields) and never what must not leave the process: signatures, keys, notification bodies.
 */
class LogLinesTest extends FlowTestSupport {


    private CapturedLogs captured;

    @BeforeEach
    void capture() {
        captured = CapturedLogs.attach();
    }

    @AfterEach
    void release() {
        captured.close();
    }

    @Test
    void orderAndNotificationLinesCarryTheIdsAndNoSecrets() {
        String orderId = newOrderId();
        publish(order(orderId));
        awaitChannelMessage("WEB", orderId);
        PaymentAttempt attempt = onlyAttempt(orderId);

        AntomNotifier antom = antomNotifier();
        String body = AntomNotifier.paymentResult("PAYMENT_RESULT", "S", "SUCCESS", attempt.paymentRequestId(),
                attempt.paymentId(), attempt.currency(), attempt.amountValue());
        String time = String.valueOf(System.currentTimeMillis());
        String signature = antom.sign(body, time, AntomNotifier.ANTOM_PRIVATE_KEY);
        assertThat(antom.send(body, antom.headers(time, signature)).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> ledger.find(attempt.paymentRequestId()).orElseThrow().state() == PaymentState.SUCCEEDED);

        ILoggingEvent pending = await().until(() -> captured.first("-> PENDING", attempt.paymentRequestId()), e -> e != null);
        assertThat(pending.getMDCPropertyMap())
                .containsEntry("orderId", orderId)
                .containsEntry("paymentRequestId", attempt.paymentRequestId())
                .containsEntry("paymentId", attempt.paymentId());
        ILoggingEvent succeeded = await().until(() -> captured.first("-> SUCCEEDED", attempt.paymentRequestId()), e -> e != null);
        assertThat(succeeded.getMDCPropertyMap()).containsEntry("orderId", orderId)
                .containsEntry("paymentId", attempt.paymentId());
        ILoggingEvent notification = await().until(() -> captured.first("notification PAYMENT_RESULT", attempt.paymentRequestId()),
                e -> e != null);
        assertThat(notification.getMDCPropertyMap())
                .containsEntry("paymentRequestId", attempt.paymentRequestId())
                .containsEntry("paymentId", attempt.paymentId());

        String signatureValue = signature.substring(signature.indexOf("signature=") + "signature=".length());
        String merchantKey = RsaKeys.base64Body(RsaKeys.readKeyText(AntomNotifier.MERCHANT_PRIVATE_KEY, "key"));
        for (ILoggingEvent event : captured.events) {
            String text = everything(event);
            assertThat(text).as("log line %s", event.getFormattedMessage())
                    .doesNotContain(signatureValue)
                    .doesNotContain(signatureValue.substring(0, 40))
                    .doesNotContain("MII")
                    .doesNotContain(merchantKey.substring(40, 100))
                    .doesNotContain(body)
                    .doesNotContain("\"paymentAmount\"");
        }

        // CHECKOUT_LOG_FORMAT=ecs: Spring Boot's ECS encoder writes the MDC ids as JSON fields of the line
        String json = ecs(pending);
        assertThat(json).startsWith("{").contains("\"orderId\":\"" + orderId + "\"")
                .contains("\"paymentRequestId\":\"" + attempt.paymentRequestId() + "\"")
                .contains("\"paymentId\":\"" + attempt.paymentId() + "\"");
    }

    private static String everything(ILoggingEvent event) {
        return event.getFormattedMessage() + " " + event.getMDCPropertyMap()
                + (event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy()));
    }

    private static String ecs(ILoggingEvent event) {
        StructuredLogEncoder encoder = new StructuredLogEncoder();
        encoder.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
        encoder.setFormat("ecs");
        encoder.start();
        try {
            return new String(encoder.encode(event), StandardCharsets.UTF_8);
        } finally {
            encoder.stop();
        }
    }
}
