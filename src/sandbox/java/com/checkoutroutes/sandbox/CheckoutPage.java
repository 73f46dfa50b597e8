package com.checkoutroutes.sandbox;

/**
 * The buyer's page behind every normalUrl: Pay / Fail / Cancel buttons that call the buyer endpoints, then back to
 * the merchant's paymentRedirectUrl (the order's resultPageUrl), as Antom's cashier returns the buyer.
 */
final class CheckoutPage {

    private CheckoutPage() {
    }

    static String render(SandboxPayment payment) {
        String back = returnUrl(payment);
        String returnLink = back == null ? "" : """
                <p id="return" hidden><a id="return-link" href="%s">Return to the shop</a></p>
                """.formatted(escape(back));
        return frame(payment.method.type() + " (sandbox)", """
                <p>Payment <code>%s</code><br>Request <code>%s</code></p>
                <p>Amount: <strong>%s</strong> &middot; Status: <strong id="status">%s</strong></p>
                <button onclick="act('pay')">Pay</button>
                <button onclick="act('fail')">Fail</button>
                <button onclick="act('abandon')">Cancel</button>
                %s<script>
                function act(action) {
                  fetch('/sandbox/buyer/%s/' + action, {method: 'POST'})
                    .then(r => r.json())
                    .then(j => {
                      document.getElementById('status').textContent = j.paymentStatus || j.error;
                      const back = document.getElementById('return');
                      if (back) {
                        back.hidden = false;
                        setTimeout(() => window.location.assign(document.getElementById('return-link').href), 1500);
                      }
                    });
                }
                </script>
                """.formatted(escape(payment.paymentId), escape(payment.paymentRequestId), escape(amount(payment)),
                payment.status, returnLink, escape(payment.paymentId)));
    }

    /** Where the buyer goes after the payment page: the merchant's page, only an http(s) one. */
    static String returnUrl(SandboxPayment payment) {
        String url = payment.redirectUrl;
        return url != null && (url.startsWith("https://") || url.startsWith("http://")) ? url : null;
    }

    static String amount(SandboxPayment payment) {
        return TransactionReportWriter.toMajor(payment.currency, payment.value) + " " + payment.currency;
    }

    /** A sandbox page: title and body (already escaped HTML). */
    static String frame(String title, String body) {
        return """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>Antom sandbox: %s</title>
                <style>body{font-family:sans-serif;max-width:32em;margin:2em auto}button{margin:.3em;padding:.6em 1.2em}</style>
                </head><body>
                <h1>%s</h1>
                %s</body></html>
                """.formatted(escape(title), escape(title), body);
    }

    static String escape(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;").replace("'", "&#39;");
    }
}
