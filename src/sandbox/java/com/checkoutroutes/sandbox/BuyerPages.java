package com.checkoutroutes.sandbox;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The buyer's side of every link the sandbox hands out, so each one leads somewhere: the checkout page (normalUrl,
 * redirectUrl), what scanning the WEB QR code opens (/sandbox/code/{paymentId}) and its image stand-in, the app
 * link's landing page (applinkUrl: what a phone would open), the SDK session page (the session response's normalUrl),
 * and the method logos of consult. The checkout page returns the buyer to the order's paymentRedirectUrl
 * (resultPageUrl) after paying, failing or cancelling, as Antom's cashier does.
 */
final class BuyerPages {

    private static final Pattern CHECKOUT = Pattern.compile("/sandbox/checkout/([^/]+)");
    private static final Pattern CODE = Pattern.compile("/sandbox/code/([^/]+)");
    private static final Pattern CODE_IMAGE = Pattern.compile("/sandbox/code/([^/]+)/qr\\.svg");
    private static final Pattern APPLINK = Pattern.compile("/sandbox/applink/([A-Za-z0-9_]+)");
    private static final Pattern SESSION = Pattern.compile("/sandbox/session/([^/]+)");
    private static final Pattern LOGO = Pattern.compile("/sandbox/logo/([A-Za-z0-9_]+)\\.svg");
    private static final String HTML = "text/html; charset=UTF-8";
    private static final String SVG = "image/svg+xml; charset=UTF-8";

    private final SandboxPayments payments;
    private final PaymentMethodCatalog catalog;
    private final Supplier<String> baseUrl;

    BuyerPages(SandboxPayments payments, PaymentMethodCatalog catalog, Supplier<String> baseUrl) {
        this.payments = payments;
        this.catalog = catalog;
        this.baseUrl = baseUrl;
    }

    static boolean serves(String path) {
        return CHECKOUT.matcher(path).matches() || CODE.matcher(path).matches() || CODE_IMAGE.matcher(path).matches()
                || APPLINK.matcher(path).matches() || SESSION.matcher(path).matches() || LOGO.matcher(path).matches();
    }

    void handle(HttpExchange exchange, String path) throws IOException {
        Matcher m;
        if ((m = CHECKOUT.matcher(path)).matches()) {
            page(exchange, m.group(1), CheckoutPage::render);
        } else if ((m = CODE_IMAGE.matcher(path)).matches()) {
            codeImage(exchange, m.group(1));
        } else if ((m = CODE.matcher(path)).matches()) {
            page(exchange, m.group(1), this::scannedCode);
        } else if ((m = SESSION.matcher(path)).matches()) {
            page(exchange, m.group(1), this::sdkSession);
        } else if ((m = APPLINK.matcher(path)).matches()) {
            appLink(exchange, m.group(1));
        } else if ((m = LOGO.matcher(path)).matches()) {
            logo(exchange, m.group(1));
        }
    }

    private interface Renderer {
        String render(SandboxPayment payment);
    }

    private void page(HttpExchange exchange, String paymentId, Renderer renderer) throws IOException {
        Optional<SandboxPayment> payment = payments.byPaymentId(paymentId);
        if (payment.isEmpty()) {
            HttpExchanges.send(exchange, 404, "text/plain; charset=UTF-8", "unknown payment");
            return;
        }
        String html;
        synchronized (payments) {
            html = renderer.render(payment.get());
        }
        HttpExchanges.send(exchange, 200, HTML, html);
    }

    /** What a phone that scans the WEB QR code opens: the wallet's payment page, here the checkout page. */
    private String scannedCode(SandboxPayment payment) {
        String checkout = checkoutUrl(payment);
        return CheckoutPage.frame("Scanned QR code", """
                <p>A phone that scans this %s code opens the %s app on its payment page for payment <code>%s</code>
                (%s). In the sandbox, that page is the checkout page:</p>
                <p><a id="continue" href="%s">Continue to the %s payment page</a></p>
                """.formatted(CheckoutPage.escape(payment.method.type()), CheckoutPage.escape(payment.method.type()),
                CheckoutPage.escape(payment.paymentId), CheckoutPage.escape(CheckoutPage.amount(payment)),
                CheckoutPage.escape(checkout), CheckoutPage.escape(payment.method.type())));
    }

    /** The SDK session as Antom's client SDK would present it: the method, the amount and the payment page. */
    private String sdkSession(SandboxPayment payment) {
        return CheckoutPage.frame("SDK payment session", """
                <p>The merchant's app or page hands <code>paymentSessionData</code> to Antom's client SDK, which shows
                the %s payment of <strong>%s</strong> (session <code>%s</code>, payment <code>%s</code>). In the
                sandbox, the SDK's payment page is the checkout page:</p>
                <p><a id="continue" href="%s">Continue to the %s payment page</a></p>
                """.formatted(CheckoutPage.escape(payment.method.type()), CheckoutPage.escape(CheckoutPage.amount(payment)),
                CheckoutPage.escape(payment.paymentSessionId), CheckoutPage.escape(payment.paymentId),
                CheckoutPage.escape(checkoutUrl(payment)), CheckoutPage.escape(payment.method.type())));
    }

    /**
     * An app link's landing page: on a phone with the method's app installed the operating system opens the app
     * instead of this page; without it, this page says so and continues in the browser (orderCode, only our own
     * checkout pages, so the sandbox never redirects elsewhere).
     */
    private void appLink(HttpExchange exchange, String methodType) throws IOException {
        Optional<PaymentMethodProfile> method = catalog.find(methodType);
        String orderCode = HttpExchanges.query(exchange).get("orderCode");
        if (method.isEmpty() || orderCode == null || !orderCode.startsWith(baseUrl.get() + "/sandbox/checkout/")) {
            HttpExchanges.send(exchange, 404, "text/plain; charset=UTF-8",
                    "unknown payment method or an orderCode that is not a sandbox checkout page");
            return;
        }
        PaymentMethodProfile profile = method.get();
        HttpExchanges.send(exchange, 200, HTML, CheckoutPage.frame("App link: " + profile.type(), """
                <p>On a phone with the %s app (<code>%s</code>) installed, this link opens the app on the payment;
                %s. Without the app, the payment continues in the browser:</p>
                <p><a id="continue" href="%s">Continue in the browser</a></p>
                """.formatted(CheckoutPage.escape(profile.type()), CheckoutPage.escape(profile.appIdentifier()),
                profile.scheme() == null ? "Android and iOS open it through the app link itself"
                        : "the scheme link <code>" + CheckoutPage.escape(profile.scheme())
                                + "platformapi/startApp</code> does the same from inside an app",
                CheckoutPage.escape(orderCode))));
    }

    /** A stand-in for the QR code image: the sandbox draws the code's value, not a scannable code. */
    private void codeImage(HttpExchange exchange, String paymentId) throws IOException {
        if (payments.byPaymentId(paymentId).isEmpty()) {
            HttpExchanges.send(exchange, 404, "text/plain; charset=UTF-8", "unknown payment");
            return;
        }
        String value = baseUrl.get() + "/sandbox/code/" + paymentId;
        HttpExchanges.send(exchange, 200, SVG, """
                <svg xmlns="http://www.w3.org/2000/svg" width="320" height="120" viewBox="0 0 320 120">
                <rect width="320" height="120" fill="#fff" stroke="#000"/>
                <text x="10" y="30" font-family="monospace" font-size="12">sandbox QR code (not scannable)</text>
                <text x="10" y="60" font-family="monospace" font-size="9">%s</text>
                </svg>
                """.formatted(CheckoutPage.escape(value)));
    }

    private void logo(HttpExchange exchange, String methodType) throws IOException {
        if (catalog.find(methodType).isEmpty()) {
            HttpExchanges.send(exchange, 404, "text/plain; charset=UTF-8", "unknown payment method");
            return;
        }
        HttpExchanges.send(exchange, 200, SVG, """
                <svg xmlns="http://www.w3.org/2000/svg" width="160" height="40" viewBox="0 0 160 40">
                <rect width="160" height="40" rx="6" fill="#1677ff"/>
                <text x="80" y="25" text-anchor="middle" font-family="sans-serif" font-size="13" fill="#fff">%s</text>
                </svg>
                """.formatted(CheckoutPage.escape(methodType)));
    }

    private String checkoutUrl(SandboxPayment payment) {
        return baseUrl.get() + "/sandbox/checkout/" + payment.paymentId;
    }
}
