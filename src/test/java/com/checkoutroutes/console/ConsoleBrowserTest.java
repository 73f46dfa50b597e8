package com.checkoutroutes.console;

import static com.checkoutroutes.testsupport.ConsoleForms.csrfToken;
import static com.checkoutroutes.testsupport.ConsoleForms.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.checkoutroutes.deadletter.DeadLetterArchive;
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentLedger.StateChange;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.ledger.RefundLedger;
import com.checkoutroutes.reconciliation.SettlementReconciliation;
import com.checkoutroutes.sandbox.FaultRule;
import com.checkoutroutes.sandbox.FaultType;
import com.checkoutroutes.testsupport.Browser;
import com.checkoutroutes.testsupport.DemoCredentials;
import com.checkoutroutes.testsupport.FlowTestSupport;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * The operator console in a real headless Chromium, against payments the flows made: an operator signs in, finds a
 * paid payment, reads its timeline, re-drives a dead letter once its cause is fixed (an order event that came before
 * its order) and sees the re-driven event act; an anonymous visitor is sent to the sign-in page and an order
 * publisher is refused. Saves screenshots of the main pages to target/console-screenshots, or to the folder
 * {@code -Dconsole.screenshots=docs/console} names (how the README's pictures are made).
 */
// Camel's management on, as shipped (TestEnvironment turns it off elsewhere): the route statistics and Camel's consoles
@TestPropertySource(properties = "checkout.test.camel-management=true")
class ConsoleBrowserTest extends FlowTestSupport {

    private static final Path SCREENSHOTS = Path.of(System.getProperty("console.screenshots",
            "target/console-screenshots"));

    @Autowired
    DeadLetterArchive deadLetters;
    @Autowired
    SettlementReconciliation reconciliation;
    @Autowired
    RefundLedger refunds;

    private final HttpClient http = HttpClient.newHttpClient();

    private String console(String path) {
        return "http://127.0.0.1:" + managementPort + "/console" + path;
    }

    @Test
    void anAnonymousVisitorIsSentToSignInAndAnOrderPublisherIsRefused() throws Exception {
        try (Browser browser = new Browser()) {
            WebDriver page = browser.driver();
            page.get(console("/payments"));
            assertThat(page.getCurrentUrl()).isEqualTo(console("/sign-in"));
            assertThat(page.findElement(By.id("sign-in")).getText()).isEqualTo("Sign in");
            signIn(page, DemoCredentials.OPERATOR, "not-the-password");
            assertThat(page.getCurrentUrl()).isEqualTo(console("/sign-in?failed"));
            assertThat(page.findElement(By.id("sign-in-failed")).getText()).contains("Wrong user name or password");

            signIn(page, DemoCredentials.ORDER_SYSTEM, DemoCredentials.PASSWORD);
            assertThat(page.getPageSource()).contains("403").doesNotContain("Needs attention");
        }
        // the same without a browser: nothing of the console for anyone but an operator, and nothing on the doors' port
        assertThat(get(console("/payments"), null).statusCode()).isIn(302, 401);
        assertThat(get(console("/payments"), DemoCredentials.ORDER_SYSTEM).statusCode()).isEqualTo(403);
        assertThat(get(console("/payments"), DemoCredentials.OPERATOR).statusCode()).isEqualTo(200);
        assertThat(get("http://127.0.0.1:" + port + "/console/payments", DemoCredentials.OPERATOR).statusCode())
                .isIn(401, 403);
        // Camel's own view: the read-only consoles only, to operators
        assertThat(get("http://127.0.0.1:" + managementPort + "/actuator/camel/route", DemoCredentials.OPERATOR)
                .body()).contains("order-intake");
        assertThat(get("http://127.0.0.1:" + managementPort + "/actuator/camel/route", DemoCredentials.ORDER_SYSTEM)
                .statusCode()).isEqualTo(403);
        for (String refused : List.of("properties", "system-properties", "send", "route-properties", "all")) {
            assertThat(get("http://127.0.0.1:" + managementPort + "/actuator/camel/" + refused,
                    DemoCredentials.OPERATOR).statusCode()).as(refused).isIn(401, 403);
        }
    }

    /**
     * Anonymous requests open no session (each would hold server memory for 30 minutes): the sign-in form's CSRF token
     * is a cookie, and a failed sign-in keeps nothing. Signing in opens one, and from then on the tokens are the
     * session's: the cookie's no longer passes.
     */
    @Test
    void onlySigningInOpensASession() throws Exception {
        CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
        HttpClient visitor = HttpClient.newBuilder().cookieHandler(cookies).build();
        assertThat(send(visitor, console("/payments"), null).headers().firstValue("Location").orElse(""))
                .endsWith("/console/sign-in");
        assertThat(send(visitor, console("/sign-in"), signInForm(visitor, "not-the-password")).headers()
                .firstValue("Location").orElse("")).endsWith("/console/sign-in?failed");
        assertThat(cookies.getCookieStore().getCookies()).extracting(HttpCookie::getName)
                .contains("XSRF-TOKEN").doesNotContain("JSESSIONID");

        String cookieToken = csrfToken(visitor, console("/sign-in"));
        HttpResponse<String> signedIn = send(visitor, console("/sign-in"), signInForm(visitor, DemoCredentials.PASSWORD));
        assertThat(signedIn.headers().firstValue("Location").orElse("")).endsWith("/console/attention");
        assertThat(cookies.getCookieStore().getCookies()).extracting(HttpCookie::getName).contains("JSESSIONID");
        // refused: 403, or 406 as this client accepts HTML only and the refusal is JSON; still signed in
        assertThat(send(visitor, console("/sign-out"), "_csrf=" + cookieToken).statusCode())
                .as("a token from before the sign-in").isIn(403, 406);
        assertThat(send(visitor, console("/payments"), null).statusCode()).isEqualTo(200);
        assertThat(send(visitor, console("/sign-out"), "_csrf=" + csrfToken(visitor, console("/payments"))).headers()
                .firstValue("Location").orElse("")).endsWith("/console/sign-in?signed-out");
    }

    /**
     * Anyone who reaches the management port can post a form to the console, and Spring Security reads it for its
     * CSRF token before anything else: a form beyond the management door's max-bytes is refused 413 before it is read
     * (checkout.doors.management), so it signs nobody in, however right its password.
     */
    @Test
    void aSignInFormBeyondTheFormLimitIsNotRead() throws Exception {
        HttpClient visitor = HttpClient.newBuilder().cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .build();
        String padded = signInForm(visitor, DemoCredentials.PASSWORD) + "&pad=" + "x".repeat(20 * 1024);

        HttpResponse<String> answer = send(visitor, console("/sign-in"), padded);
        assertThat(answer.headers().firstValue("Location").orElse("")).doesNotEndWith("/console/attention");
        assertThat(answer.statusCode()).isEqualTo(413);
        assertThat(answer.body()).contains("PAYLOAD_TOO_LARGE");
        assertThat(send(visitor, console("/sign-in"), signInForm(visitor, DemoCredentials.PASSWORD)).headers()
                .firstValue("Location").orElse("")).endsWith("/console/attention");
    }

    /** An id no order or payment can have is not found, before anything is recorded (it once failed the audit, 500). */
    @Test
    void anActionOnAnIdNoOrderCanHaveIsNotFound() throws Exception {
        HttpClient operator = HttpClient.newBuilder().cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .build();
        send(operator, console("/sign-in"), signInForm(operator, DemoCredentials.PASSWORD));
        String form = "orderId=" + "x".repeat(65) + "&reason=test&_csrf=" + csrfToken(operator, console("/payments"));

        HttpResponse<String> answer = send(operator, console("/actions/cancel"), form);
        assertThat(answer.statusCode()).isEqualTo(404);
        assertThat(answer.body()).contains("no order or payment has an id of more than 64 characters");
    }

    /**
     * The refund form sent twice at once (a double click, a resubmitted page) refunds once: the confirmation page
     * names the refund it asks for (requestKey), and the second post finds the refund the first made.
     */
    @Test
    void aRefundFormSentTwiceRefundsOnce() throws Exception {
        PaymentAttempt paid = paidWallet();
        HttpClient operator = HttpClient.newBuilder().cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .build();
        send(operator, console("/sign-in"), signInForm(operator, DemoCredentials.PASSWORD));
        String confirm = send(operator, console("/confirm/refund?orderId=" + paid.orderId()), null).body();
        java.util.regex.Matcher key = java.util.regex.Pattern.compile("name=\"requestKey\" value=\"([^\"]+)\"")
                .matcher(confirm);
        assertThat(key.find()).as("the refund form's own id").isTrue();
        String form = "orderId=" + paid.orderId() + "&amount=1.00&reason=damaged&requestKey=" + key.group(1)
                + "&_csrf=" + csrfToken(operator, console("/confirm/refund?orderId=" + paid.orderId()));

        List<CompletableFuture<HttpResponse<String>>> both = List.of(
                sendAsync(operator, console("/actions/refund"), form),
                sendAsync(operator, console("/actions/refund"), form));

        assertThat(both).allSatisfy(answer -> assertThat(answer.get(20, TimeUnit.SECONDS).headers()
                .firstValue("Location")).as("each post is answered: back to the order's payments")
                .hasValueSatisfying(to -> assertThat(to).contains("/console/payments/" + paid.orderId())));
        assertThat(refunds.refundsOf(paid.paymentRequestId())).singleElement()
                .satisfies(refund -> assertThat(refund.amountValue()).isEqualTo(100));
        // the second post may find the refund still REQUESTED and send the identical request (its refundRequestId)
        // again, as after a crash: Antom refunds it once
        assertThat(sandbox.payment(paid.paymentRequestId()).orElseThrow().path("refunds")).hasSize(1);
    }

    /**
     * The clear-flag page names the flag it shows: a reason added before the operator confirms (a second payment, a
     * conflicting result) is not cleared unseen.
     */
    @Test
    void aFlagChangedAfterItsPageWasShownIsNotCleared() throws Exception {
        PaymentAttempt pending = pendingWallet();
        String prid = pending.paymentRequestId();
        ledger.note(prid, "AMOUNT_MISMATCH", "notified 1300 USD", "AMOUNT_MISMATCH: 1300 USD");
        HttpClient operator = HttpClient.newBuilder().cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .build();
        send(operator, console("/sign-in"), signInForm(operator, DemoCredentials.PASSWORD));
        String page = console("/confirm/clear-flag?paymentRequestId=" + prid + "&orderId=" + pending.orderId());
        java.util.regex.Matcher shown = java.util.regex.Pattern.compile("name=\"requestKey\" value=\"([^\"]+)\"")
                .matcher(send(operator, page, null).body());
        assertThat(shown.find()).as("the flag the page shows").isTrue();
        String form = "paymentRequestId=" + prid + "&orderId=" + pending.orderId() + "&reason=checked&requestKey="
                + shown.group(1) + "&_csrf=" + csrfToken(operator, page);
        ledger.note(prid, "CONFLICTING_RESULT", "F after S", "CONFLICTING_RESULT: F after S");

        send(operator, console("/actions/clear-flag"), form);

        assertThat(ledger.find(prid).orElseThrow().flagReason()).contains("AMOUNT_MISMATCH", "CONFLICTING_RESULT");
        assertThat(ledger.history(prid)).extracting(StateChange::cause).doesNotContain("FLAG_CLEARED");
    }

    /** A second payment that the service could not give back by itself has a "Give back" button; the order's own not. */
    @Test
    void aSecondPaymentIsGivenBackFromItsOrdersPage() throws Exception {
        List<PaymentAttempt> paidTwice = paidTwiceSecondNotGivenBack();
        PaymentAttempt first = paidTwice.get(0);
        PaymentAttempt second = paidTwice.get(1);
        String orderId = first.orderId();
        sandbox.clearFaults();
        HttpClient operator = HttpClient.newBuilder().cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .build();
        send(operator, console("/sign-in"), signInForm(operator, DemoCredentials.PASSWORD));

        String page = send(operator, console("/payments/" + orderId), null).body();
        assertThat(page).contains("give-back?paymentRequestId=" + second.paymentRequestId())
                .doesNotContain("give-back?paymentRequestId=" + first.paymentRequestId());
        String confirm = console("/confirm/give-back?paymentRequestId=" + second.paymentRequestId() + "&orderId="
                + orderId);
        String form = "paymentRequestId=" + second.paymentRequestId() + "&orderId=" + orderId
                + "&reason=paid+twice&_csrf=" + csrfToken(operator, confirm);
        HttpResponse<String> answer = send(operator, console("/actions/give-back"), form);

        assertThat(answer.headers().firstValue("Location")).hasValueSatisfying(to -> assertThat(to)
                .contains("/console/payments/" + orderId));
        assertThat(state(second)).isEqualTo(PaymentState.CANCELLED);
        assertThat(state(first)).isEqualTo(PaymentState.SUCCEEDED);
        assertThat(send(operator, console("/payments/" + orderId), null).body()).doesNotContain("give-back?");
    }

    private static CompletableFuture<HttpResponse<String>> sendAsync(HttpClient client,
            String url, String form) {
        return client.sendAsync(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Accept", "text/html").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The operator's sign-in form as a browser would post it, with the token from the page. */
    private String signInForm(HttpClient visitor, String password) throws Exception {
        return "username=" + DemoCredentials.OPERATOR + "&password=" + password + "&_csrf="
                + csrfToken(visitor, console("/sign-in"));
    }

    @Test
    void anOperatorFindsAPaymentReadsItsTimelineAndRedrivesADeadLetter() throws Exception {
        // what the flows leave behind: a paid payment, a few in other states, refused orders, and an order event that
        // came before its order (a shipment: UNKNOWN_ORDER), whose cause is fixed once the order is there
        PaymentAttempt paid = paidWallet();
        String early = newOrderId();
        kafka().publish(orderEventsTopic, early, "{\"eventId\":\"e-" + early + "\",\"type\":\"ORDER_SHIPPED\","
                + "\"orderId\":\"" + early + "\"}");
        DeadLetterArchive.Kept refused = Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> deadLetters.recent(null, early, false, 5), list -> !list.isEmpty()).get(0);
        assertThat(refused.reasonCode()).isEqualTo("UNKNOWN_ORDER");
        publish(cardOrder(early, "MANUAL"));
        PaymentAttempt earlyAttempt = Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> onlyAttempt(early), a -> a.state() == PaymentState.AUTHORISED);
        someMorePayments();

        try (Browser browser = new Browser()) {
            WebDriver page = browser.driver();
            page.get(console("/"));
            signIn(page, DemoCredentials.OPERATOR, DemoCredentials.PASSWORD);
            assertThat(page.getCurrentUrl()).isEqualTo(console("/attention"));
            browser.screenshot(SCREENSHOTS.resolve("attention.png"));

            // Payments: search by order id, open the timeline
            page.findElement(By.linkText("Payments")).click();
            page.findElement(By.id("q")).sendKeys(paid.orderId());
            page.findElement(By.id("search")).click();
            settle(page).until(ExpectedConditions.urlContains("q=")); // the search's page, not the list before it
            WebElement row = settle(page).until(d -> d.findElements(By.cssSelector("#payments tbody tr")).stream()
                    .filter(r -> r.getText().contains(paid.orderId())).findFirst().orElse(null));
            assertThat(row.getText()).contains(paid.orderId(), "SUCCEEDED", "12.50 USD");
            row.findElement(By.cssSelector("a.order")).click();
            assertThat(shown(page, By.id("order-id")).getText()).isEqualTo(paid.orderId());
            String timeline = page.findElement(By.id("timeline")).getText();
            assertThat(timeline).contains("ANTOM_CALLED", "PENDING -> SUCCEEDED", "PAYMENT_RESULT received: APPLIED",
                    "channel message REDIRECT", "SUCCEEDED v");
            assertThat(kinds(page)).contains("Antom", "Notification", "Channel", "Result event", "Ledger");
            browser.screenshot(SCREENSHOTS.resolve("payment-timeline.png"));

            page.get(console("/payments"));
            browser.screenshot(SCREENSHOTS.resolve("payments.png"));

            // Dead letters: the early event, its reason, the original, and a re-drive now that its order exists
            page.findElement(By.linkText("Dead letters")).click();
            browser.screenshot(SCREENSHOTS.resolve("dead-letters.png"));
            page.findElement(By.linkText(String.valueOf(refused.id()))).click();
            assertThat(shown(page, By.id("reason-code")).getText()).isEqualTo("UNKNOWN_ORDER");
            assertThat(page.findElement(By.id("letter-json")).getText()).contains("ORDER_SHIPPED", early);
            page.findElement(By.id("redrive")).click();
            // a click that posts a form can return before the next page is there (the re-drive writes to Kafka
            // first): wait for that page, not for the one still shown
            settle(page).until(ExpectedConditions.textToBe(By.tagName("h1"), "Re-drive the dead letter?"));
            page.findElement(By.id("confirm")).click();
            assertThat(shown(page, By.id("action-outcome")).getText())
                    .contains("REDRIVE DONE", "sent again to " + orderEventsTopic);
            assertThat(page.findElement(By.id("redriven")).getText()).contains("by operator");
            assertThat(page.findElements(By.id("redrive"))).isEmpty();
            // the order event is read again and now finds its order: the authorised card is captured
            awaitState(earlyAttempt, PaymentState.CAPTURED);
            page.get(console("/payments/" + early));
            assertThat(page.findElement(By.id("timeline")).getText())
                    .contains("REDRIVE by operator: DONE", "AUTHORISED -> CAPTURE_REQUESTED",
                            "CAPTURE_REQUESTED -> CAPTURED (");

            page.get(console("/reconciliation"));
            browser.screenshot(SCREENSHOTS.resolve("reconciliation.png"));
            page.get(console("/jobs"));
            assertThat(page.findElement(By.id("routes")).getText()).contains("order-intake");
            assertThat(page.findElements(By.cssSelector("#routes td.num")).stream().map(WebElement::getText))
                    .as("Camel's route statistics").anyMatch(n -> !n.isEmpty() && !n.equals("0"));
            assertThat(page.findElement(By.id("route-files")).getText()).contains("orders.yaml", "schedules.yaml");
            browser.screenshot(SCREENSHOTS.resolve("jobs-and-routes.png"));
            page.get(console("/actions"));
            assertThat(page.findElement(By.id("audit")).getText()).contains("REDRIVE", "operator", "DONE");
            browser.screenshot(SCREENSHOTS.resolve("actions.png"));
        }
    }

    /** A few payments in other states, for the lists and the screenshots: pending, authorised, unknown, flagged. */
    private void someMorePayments() throws Exception {
        pendingWallet();
        authorisedCard();
        String failing = newOrderId();
        Map<String, Object> declined = cardOrder(failing, null);
        declined.put("amount", Map.of("currency", "EUR", "value", "40051"));
        publish(declined);
        PaymentAttempt flagged = pendingWallet();
        ledger.note(flagged.paymentRequestId(), "AMOUNT_MISMATCH", "notified 1300 USD, ordered 1250 USD",
                "AMOUNT_MISMATCH: notified 1300 USD, ordered 1250 USD");
        sandbox.addFault(FaultRule.of(FaultType.HTTP_5XX).forApi("pay").withHttpStatus(503).withTimes(0));
        String unknown = newOrderId();
        publish(order(unknown));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> ledger.attemptsOf(unknown),
                list -> !list.isEmpty() && list.get(0).state() == PaymentState.UNKNOWN);
        sandbox.clearFaults();
        kafka().publish(ordersTopic, "ORD-BROKEN", "{\"orderId\":\"ORD-BROKEN\",\"amount\":");
        Map<String, Object> badCurrency = order(newOrderId());
        badCurrency.put("amount", Map.of("currency", "XTS", "value", "100"));
        publish(badCurrency);
        sandbox.writeReport(LocalDate.now(ZoneOffset.UTC));
        reconciliation.run();
    }

    private List<String> kinds(WebDriver page) {
        return page.findElements(By.cssSelector("#timeline .kind")).stream().map(WebElement::getText).distinct().toList();
    }

    private static void signIn(WebDriver page, String user, String password) {
        if (!page.getCurrentUrl().contains("/sign-in")) {
            page.get(page.getCurrentUrl().replaceAll("/console.*", "/console/sign-in"));
        }
        page.findElement(By.id("username")).clear();
        page.findElement(By.id("username")).sendKeys(user);
        page.findElement(By.id("password")).sendKeys(password);
        String signInPage = page.getCurrentUrl();
        page.findElement(By.id("sign-in")).click();
        settle(page).until(d -> !d.getCurrentUrl().equals(signInPage)); // the form's answer, not the form
    }

    private HttpResponse<String> get(String url, String user) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (user != null) {
            request.header("Authorization", DemoCredentials.basic(user));
        }
        return http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The element once the next page shows it. */
    private static WebElement shown(WebDriver page, By element) {
        return settle(page).until(ExpectedConditions.presenceOfElementLocated(element));
    }

    /** Waits (on a loaded machine too) for what the next page should show. */
    private static WebDriverWait settle(WebDriver page) {
        WebDriverWait wait = new WebDriverWait(page, Duration.ofSeconds(30));
        wait.ignoring(StaleElementReferenceException.class); // an element of the page that was just left
        return wait;
    }
}
