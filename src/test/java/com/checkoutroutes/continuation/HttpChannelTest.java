package com.checkoutroutes.continuation;

import static com.checkoutroutes.testsupport.ConsoleForms.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.checkoutroutes.console.ActionLog;
import com.checkoutroutes.console.ConsoleAction;
import com.checkoutroutes.console.ConsoleActions;
import com.checkoutroutes.continuation.HttpChannelQueue.Kept;
import com.checkoutroutes.continuation.HttpChannelQueue.State;
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.testsupport.ConsoleForms;
import com.checkoutroutes.testsupport.DemoCredentials;
import com.checkoutroutes.testsupport.FlowTestSupport;
import com.checkoutroutes.testsupport.FreePort;
import com.checkoutroutes.testsupport.LogLines;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The WEB channel as an HTTP endpoint of the order system (a JDK HttpServer here): through Kafka, the ledger, the
 * sandbox and the outbox, each continuation is POSTed with a signature the receiver can check as the README says;
 * a receiver that is down is retried, then the message is parked and visible (table, gauge, log), and once the
 * receiver is back every message arrives once, in order per order. The APP channel is another receiver, which a slow
 * WEB receiver does not starve of senders.
 */
class HttpChannelTest extends FlowTestSupport {

    private static final String SECRET = "test-only-channel-secret-0123456789abcdef";
    /** A credential in the WEB channel's query string, as a signed webhook URL carries one: never logged. */
    private static final String URL_CREDENTIAL = "sig=webhook-credential-never-logged";
    private static final ChannelReceiver RECEIVER = new ChannelReceiver(FreePort.find(), "/continuations").start();
    /** The APP channel's receiver, another web server of the order system. */
    private static final ChannelReceiver APP_RECEIVER = new ChannelReceiver(FreePort.find(), "/app-continuations")
            .start();

    @DynamicPropertySource
    static void webChannelOverHttp(DynamicPropertyRegistry registry) {
        registry.add("checkout.channels.web", () -> RECEIVER.url() + "?" + URL_CREDENTIAL);
        registry.add("checkout.channels.app", APP_RECEIVER::url);
        registry.add("checkout.channels.http.hmac-secret", () -> SECRET);
        registry.add("checkout.channels.http.parked-retry", () -> "2s");
        registry.add("checkout.channels.http.poll-interval", () -> "200");
        // a held POST waits for the test's release, not for a deadline that a slow machine could pass first
        registry.add("camel.component.http.response-timeout", () -> "60000");
        registry.add("camel.component.http.so-timeout", () -> "60000");
    }

    @Autowired
    HttpChannelQueue queue;
    @Autowired
    MeterRegistry meters;
    @Autowired
    ConsoleActions actions;
    @Autowired
    ActionLog actionLog;

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    /** Every line the service logs during a test, whatever its logger. */
    private final ListAppender<ILoggingEvent> allLogs = new ListAppender<>();

    @BeforeEach
    void receiverUp() {
        RECEIVER.start();
        RECEIVER.clear();
        APP_RECEIVER.clear();
        logs.start();
        ((Logger) LoggerFactory.getLogger(HttpChannels.class)).addAppender(logs);
        allLogs.start();
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(allLogs);
    }

    @AfterEach
    void detachLogs() {
        ((Logger) LoggerFactory.getLogger(HttpChannels.class)).detachAppender(logs);
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(allLogs);
    }

    @AfterAll
    static void receiverGone() {
        RECEIVER.close();
        APP_RECEIVER.close();
    }

    @Test
    void aContinuationIsPostedToTheWebChannelWithAValidSignature() throws Exception {
        String orderId = newOrderId();
        publish(order(orderId));

        ChannelReceiver.Post post = await().atMost(Duration.ofSeconds(20))
                .until(() -> RECEIVER.postsOf(orderId), posts -> !posts.isEmpty()).get(0);
        PaymentAttempt attempt = onlyAttempt(orderId);
        JsonNode message = read(post.text());
        assertThat(message.path("action").asText()).isEqualTo("REDIRECT");
        assertThat(message.path("paymentRequestId").asText()).isEqualTo(attempt.paymentRequestId());
        assertThat(message.path("link").path("kind").asText()).isEqualTo("normalUrl");
        assertThat(post.contentType()).startsWith("application/json");
        // what a receiver does (README, "HTTP channels"): recompute the HMAC over timestamp, event id and the raw body
        assertThat(post.signature()).isEqualTo("sha256=" + hmac(post.timestamp() + "." + post.eventId() + ".", post.body()));
        assertThat(Math.abs(Instant.now().getEpochSecond() - Long.parseLong(post.timestamp()))).isLessThan(60);
        assertThat(post.signature()).isNotEqualTo("sha256=" + hmac(post.timestamp() + "." + post.eventId() + ".",
                post.text().replace(orderId, newOrderId()).getBytes(StandardCharsets.UTF_8)));
        await().atMost(Duration.ofSeconds(10)).until(() -> queue.keptOf(orderId),
                rows -> rows.size() == 1 && rows.get(0).state() == State.DELIVERED);
        assertThat(queue.keptOf(orderId).get(0).eventId()).isEqualTo(Long.parseLong(post.eventId()));
        assertThat(RECEIVER.postsOf(orderId)).hasSize(1);
    }

    @Test
    void aReceiverThatIsDownIsRetriedThenTheMessagesAreParkedAndDeliveredOnceInOrderWhenItIsBack() {
        RECEIVER.answer(503);
        String orderId = newOrderId();
        publish(order(orderId));

        // the first message: the POST and the route's 3 retries, then parked, visible in the table, gauge and log
        await().atMost(Duration.ofSeconds(30)).until(() -> RECEIVER.postsOf(orderId).size() >= 4
                && !queue.keptOf(orderId).isEmpty() && queue.keptOf(orderId).get(0).state() == State.PARKED);
        Kept parked = queue.keptOf(orderId).get(0);
        assertThat(RECEIVER.postsOf(orderId)).allSatisfy(p -> assertThat(p.eventId()).isEqualTo(
                String.valueOf(parked.eventId())));
        await().atMost(Duration.ofSeconds(10)).until(() -> parkedGauge() >= 1);
        assertThat(LogLines.copy(logs)).anySatisfy(line -> assertThat(line.getFormattedMessage())
                .contains("channel message " + parked.eventId() + " of order " + orderId + " parked after")
                .contains("HTTP 503").doesNotContain(SECRET));
        // each retry is a line naming the receiver without its query string: the credential there is never logged
        assertThat(LogLines.copy(allLogs))
                .filteredOn(line -> line.getLoggerName().equals(ChannelRetryLog.class.getName()))
                .extracting(ILoggingEvent::getFormattedMessage).contains("channel " + RECEIVER.url() + ": POST of event "
                        + parked.eventId() + " failed (HTTP 503), retry 3");
        assertThat(LogLines.copy(allLogs)).extracting(line -> line.getFormattedMessage()
                + (line.getThrowableProxy() == null ? "" : line.getThrowableProxy().getMessage()))
                .noneMatch(text -> text.contains("webhook-credential"));

        // a second attempt of the same order: its message waits behind the parked one, never overtaking it
        Map<String, Object> retry = order(orderId);
        retry.put("attempt", 2);
        publish(retry);
        await().atMost(Duration.ofSeconds(20)).until(() -> queue.keptOf(orderId).size() == 2);
        long second = queue.keptOf(orderId).get(1).eventId();
        assertThat(RECEIVER.postsOf(orderId)).noneSatisfy(p -> assertThat(p.eventId()).isEqualTo(String.valueOf(second)));

        // the receiver is back: each message is delivered once, the parked one first
        RECEIVER.answer(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> queue.keptOf(orderId),
                rows -> rows.stream().allMatch(r -> r.state() == State.DELIVERED));
        List<ChannelReceiver.Post> accepted = RECEIVER.postsOf(orderId).stream().filter(p -> p.answered() == 200)
                .toList();
        assertThat(accepted).extracting(ChannelReceiver.Post::eventId)
                .containsExactly(String.valueOf(parked.eventId()), String.valueOf(second));
        // nothing delivered is sent again: a later order's message has come and gone, still one copy each
        deliveredMarker();
        assertThat(RECEIVER.postsOf(orderId).stream().filter(p -> p.answered() == 200)).hasSize(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> parkedGauge() == 0);
    }

    /**
     * A receiver that refuses a message (400: it will never take it) refuses it for good: the message is REFUSED,
     * counted and not sent again; the receiver is not taken for down (another order's message goes at once), and the
     * same order's next message is not held behind it.
     */
    @Test
    void aMessageTheReceiverRefusesIsKeptRefusedAndHoldsNothingBack() {
        String orderId = newOrderId();
        long refused = refusedMessageOf(orderId);
        assertThat(LogLines.copy(logs)).anySatisfy(line -> assertThat(line.getFormattedMessage())
                .contains("channel message " + refused + " of order " + orderId + " refused by").contains("HTTP 400"));
        await().atMost(Duration.ofSeconds(10)).until(() -> meters.get("checkout.channel.queue")
                .tag("state", "REFUSED").gauge().value() >= 1);

        String other = newOrderId();
        publish(order(other));
        await().atMost(Duration.ofSeconds(30)).until(() -> queue.keptOf(other),
                rows -> rows.size() == 1 && rows.get(0).state() == State.DELIVERED);

        RECEIVER.refuse(null, 400);
        Map<String, Object> retry = order(orderId);
        retry.put("attempt", 2);
        publish(retry);
        await().atMost(Duration.ofSeconds(30)).until(() -> queue.keptOf(orderId),
                rows -> rows.size() == 2 && rows.get(1).state() == State.DELIVERED);
        assertThat(queue.keptOf(orderId).get(0).state()).isEqualTo(State.REFUSED);
        assertThat(RECEIVER.postsOf(orderId)).filteredOn(p -> p.eventId().equals(String.valueOf(refused)))
                .as("not retried, not sent again").hasSize(1);
    }

    @Test
    void aReceiverThatRefusesConnectionsIsParkedToo() {
        RECEIVER.stop();
        String orderId = newOrderId();
        publish(order(orderId));

        await().atMost(Duration.ofSeconds(30)).until(() -> queue.keptOf(orderId),
                rows -> rows.size() == 1 && rows.get(0).state() == State.PARKED && rows.get(0).attempts() >= 1);
        assertThat(LogLines.copy(logs)).anySatisfy(line -> assertThat(line.getFormattedMessage())
                .contains("parked after")
                .contains(orderId).containsIgnoringCase("connect"));

        RECEIVER.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> queue.keptOf(orderId).get(0).state() == State.DELIVERED);
        assertThat(RECEIVER.postsOf(orderId)).hasSize(1);
    }

    /**
     * A message Camel cannot send at all (its endpoint does not resolve: an option with a wrong value) is parked like a
     * failing receiver's, and the other messages, queued after it, go on; it used to stop every sender's drain.
     */
    @Test
    void aMessageCamelCannotSendIsParkedAndHoldsUpNoOtherReceiver() {
        String stuck = newOrderId();
        long eventId = Long.MAX_VALUE - Math.abs(stuck.hashCode());
        String unresolvable = RECEIVER.url() + "?httpMethod=NO_SUCH_METHOD";
        queue.add(eventId, unresolvable, stuck, "{}", java.time.OffsetDateTime.now(clock).minusMinutes(1));

        String orderId = newOrderId();
        publish(order(orderId));
        await().atMost(Duration.ofSeconds(30)).until(() -> queue.keptOf(orderId),
                rows -> rows.size() == 1 && rows.get(0).state() == State.DELIVERED);
        await().atMost(Duration.ofSeconds(10)).until(() -> queue.keptOf(stuck).get(0).state() == State.PARKED);
        assertThat(LogLines.copy(logs)).anySatisfy(line -> assertThat(line.getFormattedMessage())
                .contains("channel message " + eventId + " of order " + stuck + " could not be sent"));
        queue.delivered(eventId, java.time.OffsetDateTime.now(clock)); // out of the other tests' parked count
    }

    /**
     * A receiver whose answer's header never ends (a broken proxy, a hostile endpoint) is cut off at the bound on an
     * answer's head, not read into the heap: the POST fails as a receiver that is down does, and the message is parked.
     */
    @Test
    void aReceiverStreamingAnEndlessHeaderIsCutOffAndItsMessageParked() throws Exception {
        try (ServerSocket endless = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            AtomicLong mostWritten = new AtomicLong();
            Thread server = new Thread(() -> streamEndlessHeaders(endless, mostWritten), "endless-headers");
            server.setDaemon(true);
            server.start();
            String orderId = newOrderId();
            long eventId = Long.MAX_VALUE - Math.abs(orderId.hashCode());
            queue.add(eventId, "http://127.0.0.1:" + endless.getLocalPort() + "/continuations", orderId, "{}",
                    java.time.OffsetDateTime.now(clock).minusMinutes(1));

            await().atMost(Duration.ofSeconds(60)).until(() -> queue.keptOf(orderId),
                    rows -> rows.size() == 1 && rows.get(0).state() == State.PARKED);
            assertThat(queue.keptOf(orderId).get(0).lastError()).containsIgnoringCase("line length");
            // what the socket buffers held besides, far below the 64 MB the receiver would have sent
            assertThat(mostWritten.get()).isLessThan(16L * 1024 * 1024);
            queue.delivered(eventId, java.time.OffsetDateTime.now(clock)); // out of the other tests' parked count
            server.interrupt();
        }
    }

    /** Answers each connection with a status line and one header line 64 MB long, until the client stops reading. */
    private static void streamEndlessHeaders(ServerSocket server, AtomicLong mostWritten) {
        byte[] chunk = "a".repeat(8192).getBytes(StandardCharsets.US_ASCII);
        while (!server.isClosed()) {
            try (Socket client = server.accept(); OutputStream out = client.getOutputStream()) {
                out.write("HTTP/1.1 200 OK\r\nX-Endless: ".getBytes(StandardCharsets.US_ASCII));
                long written = 0;
                try {
                    while (written < 64L * 1024 * 1024) {
                        out.write(chunk);
                        written += chunk.length;
                    }
                } finally {
                    mostWritten.accumulateAndGet(written, Math::max);
                }
            } catch (IOException e) {
                // the client closed the connection: the next one, if any
            }
        }
    }

    /**
     * A receiver that answers slowly but in time (so it is never parked) holds at most all senders but one: the APP
     * channel's message is delivered while the WEB receiver still holds its POSTs.
     */
    @Test
    void aSlowReceiverLeavesASenderToTheOtherChannels() {
        RECEIVER.hold(Duration.ofSeconds(50)); // released below; within the POST's response timeout (60 s here)
        List<String> webOrders = List.of(newOrderId(), newOrderId(), newOrderId());
        webOrders.forEach(id -> publish(order(id)));
        await().atMost(Duration.ofSeconds(20)).until(() -> RECEIVER.posts().size() >= 2);

        String appOrder = newOrderId();
        Map<String, Object> app = order(appOrder);
        app.put("paymentMethodType", "ALIPAY_HK");
        app.put("channel", Map.of("terminalType", "APP", "osType", "IOS"));
        publish(app);

        await().atMost(Duration.ofSeconds(20)).until(() -> APP_RECEIVER.postsOf(appOrder), posts -> !posts.isEmpty());
        assertThat(webOrders).as("the WEB receiver has answered none of its POSTs yet").allSatisfy(id -> assertThat(
                queue.keptOf(id)).noneMatch(row -> row.state() == State.DELIVERED));
        assertThat(RECEIVER.posts()).as("two senders at most on the slow receiver").hasSize(2);
        RECEIVER.release();
        await().atMost(Duration.ofSeconds(30)).until(() -> webOrders.stream().allMatch(id -> queue.keptOf(id).stream()
                .anyMatch(row -> row.state() == State.DELIVERED)));
    }

    /**
     * An operator finds a message its receiver refused on Needs attention and on its order's page, and sends it again
     * from the console: refused again, it is REFUSED again, and the same form sent once more sends nothing (the page
     * was out of date); while a later message of the order is still to be delivered it is not sent (one at a time per
     * order); once the receiver takes it, it is delivered. Each action audited with the message.
     */
    @Test
    void anOperatorSendsARefusedMessageAgainFromTheConsole() throws Exception {
        String orderId = newOrderId();
        long refused = refusedMessageOf(orderId);
        String console = "http://127.0.0.1:" + managementPort + "/console";
        HttpClient operator = ConsoleForms.signedInOperator(console);
        assertThat(send(operator, console + "/attention", null).body()).contains(orderId).contains("HTTP 400");
        assertThat(send(operator, console + "/payments/" + orderId, null).body())
                .contains("/console/confirm/send-again?channelMessageId=" + refused);

        // sent again before the receiver was fixed: refused again; the same form again sends nothing
        String firstForm = sendAgainForm(operator, console, orderId, refused);
        assertThat(send(operator, console + "/actions/send-again", firstForm).headers().firstValue("Location"))
                .hasValueSatisfying(to -> assertThat(to).contains("/console/payments/" + orderId + "?action="));
        await().atMost(Duration.ofSeconds(30)).until(() -> queue.keptOf(orderId).get(0).attempts() == 2);
        assertThat(queue.keptOf(orderId).get(0).state()).isEqualTo(State.REFUSED);
        send(operator, console + "/actions/send-again", firstForm);
        assertThat(actionLog.ofOrder(orderId)).extracting(ActionLog.Entry::outcome, ActionLog.Entry::channelMessageId)
                .containsExactly(tuple("DONE", refused), tuple("REFUSED", refused));
        assertThat(actionLog.ofOrder(orderId).get(1).detail()).startsWith("CHANGED");

        // a later message of the order still to be delivered (its receiver failing): this one waits for it
        RECEIVER.refuse(null, 400);
        RECEIVER.answer(503);
        Map<String, Object> retry = order(orderId);
        retry.put("attempt", 2);
        publish(retry);
        await().atMost(Duration.ofSeconds(30)).until(() -> queue.keptOf(orderId),
                rows -> rows.size() == 2 && rows.get(1).state() == State.PARKED);
        assertThat(actions.perform(ConsoleAction.SEND_AGAIN, new ConsoleActions.Target(null, null, null, refused),
                DemoCredentials.OPERATOR, null).detail()).startsWith("LATER_MESSAGE_ON_ITS_WAY");

        // the receiver takes both now: the later one goes first, then the one sent again
        RECEIVER.answer(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> queue.keptOf(orderId).get(1).state() == State.DELIVERED);
        send(operator, console + "/actions/send-again", sendAgainForm(operator, console, orderId, refused));
        await().atMost(Duration.ofSeconds(30)).until(() -> queue.keptOf(orderId).get(0).state() == State.DELIVERED);
        assertThat(RECEIVER.postsOf(orderId)).filteredOn(p -> p.eventId().equals(String.valueOf(refused)))
                .extracting(ChannelReceiver.Post::answered).containsExactly(400, 400, 200);
        assertThat(actionLog.ofOrder(orderId)).last().satisfies(entry -> {
            assertThat(entry.action()).isEqualTo(ConsoleAction.SEND_AGAIN.name());
            assertThat(entry.outcome()).isEqualTo(ActionLog.Outcome.DONE.name());
            assertThat(entry.actor()).isEqualTo(DemoCredentials.OPERATOR);
            assertThat(entry.channelMessageId()).isEqualTo(refused);
        });
        assertThat(actions.perform(ConsoleAction.SEND_AGAIN, new ConsoleActions.Target(null, null, null, refused),
                DemoCredentials.OPERATOR, null).detail()).as("delivered").startsWith("NOT_REFUSED");
        assertThat(actions.perform(ConsoleAction.SEND_AGAIN, new ConsoleActions.Target(null, null, null, -1L),
                DemoCredentials.OPERATOR, null).detail()).startsWith("NO_CHANNEL_MESSAGE");
    }

    /** The Send again form as its confirmation page gives it: the message, how often it was POSTed, the CSRF token. */
    private String sendAgainForm(HttpClient operator, String console, String orderId, long message) throws Exception {
        String confirm = console + "/confirm/send-again?channelMessageId=" + message + "&orderId=" + orderId;
        String page = send(operator, confirm, null).body();
        assertThat(page).contains("HTTP 400").contains(RECEIVER.url());
        java.util.regex.Matcher posts = java.util.regex.Pattern.compile("name=\"requestKey\" value=\"([0-9]+)\"")
                .matcher(page);
        assertThat(posts.find()).as("the POSTs the page showed").isTrue();
        return "channelMessageId=" + message + "&orderId=" + orderId + "&requestKey=" + posts.group(1) + "&_csrf="
                + ConsoleForms.csrfToken(operator, confirm);
    }

    /** An order published while its receiver refuses it (400): its message, kept REFUSED. */
    private long refusedMessageOf(String orderId) {
        RECEIVER.refuse(orderId, 400);
        publish(order(orderId));
        await().atMost(Duration.ofSeconds(30)).until(() -> queue.keptOf(orderId),
                rows -> rows.size() == 1 && rows.get(0).state() == State.REFUSED);
        return queue.keptOf(orderId).get(0).eventId();
    }

    /** An order whose message is delivered: everything queued before it has had its chance. */
    private void deliveredMarker() {
        String marker = newOrderId();
        publish(order(marker));
        await().atMost(Duration.ofSeconds(30)).until(() -> queue.keptOf(marker),
                rows -> rows.size() == 1 && rows.get(0).state() == State.DELIVERED);
    }

    private double parkedGauge() {
        return meters.get("checkout.channel.queue").tag("state", "PARKED").gauge().value();
    }

    private static String hmac(String prefix, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update(prefix.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }
}
