package com.checkoutroutes.sandbox;

/** The buyer's page behind every normalUrl: Pay / Fail / Abandon buttons that call the buyer endpoints. */
final class CheckoutPage {

    private CheckoutPage() {
    }

    static String render(SandboxPayment payment) {
        String amount = TransactionReportWriter.toMajor(payment.currency, payment.value) + " " + payment.currency;
        return """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>Antom sandbox checkout</title>
                <style>body{font-family:sans-serif;max-width:32em;margin:2em auto}button{margin:.3em;padding:.6em 1.2em}</style>
                </head><body>
                <h1>%s (sandbox)</h1>
                <p>Payment <code>%s</code><br>Request <code>%s</code></p>
                <p>Amount: <strong>%s</strong> &middot; Status: <strong id="status">%s</strong></p>
                <button onclick="act('pay')">Pay</button>
                <button onclick="act('fail')">Fail</button>
                <button onclick="act('abandon')">Abandon</button>
                <script>
                function act(action) {
                  fetch('/sandbox/buyer/%s/' + action, {method: 'POST'})
                    .then(r => r.json())
                    .then(j => document.getElementById('status').textContent = j.paymentStatus || j.error);
                }
                </script>
                </body></html>
                """.formatted(escape(payment.method.type()), escape(payment.paymentId), escape(payment.paymentRequestId),
                escape(amount), payment.status, escape(payment.paymentId));
    }

    private static String escape(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;").replace("'", "&#39;");
    }
}
