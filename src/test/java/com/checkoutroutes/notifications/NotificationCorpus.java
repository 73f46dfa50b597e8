package com.checkoutroutes.notifications;

import static com.checkoutroutes.notifications.NotificationForge.bytes;

import com.checkoutroutes.notifications.NotificationForge.Request;
import com.checkoutroutes.testsupport.AntomNotifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Bad notifications, one named case each, with the answer each must get. Rejections answer 4xx with their code and
 * change nothing; the few that Antom's protocol wants acknowledged (unknown ids, types we do not act on, a result
 * that contradicts a final state, a resend) answer SUCCESS and change only what is listed.
 */
final class NotificationCorpus {

    /** Which payment a case's notification is about. */
    enum Subject {
        /** a wallet payment waiting for its buyer: anything applied would move it */
        PENDING,
        /** a payment already SUCCEEDED through a notification (a final state) */
        PAID,
        /** ids the ledger has never seen */
        UNKNOWN
    }

    /** What the ledger may show afterwards. */
    enum Effect {
        NOTHING,
        /** one new inbox row with {@link Expected#outcome}, nothing else */
        INBOX_ROW,
        /** the inbox row of the applied notification counts one more resend, nothing else */
        RESEND_COUNTED,
        /** state kept, one NOTIFICATION_CONFLICT note in the history, an inbox row CONFLICT, no event */
        CONFLICT_NOTED
    }

    record Expected(int status, String code, Effect effect, String outcome) {

        /**
         * The answer's body as a regular expression: Antom's SUCCESS, our error with its code, the doors' refusal of
         * a body too large, or (for a method other than POST, refused before the route) Spring's error page, which
         * carries a timestamp.
         */
        String bodyPattern() {
            if (status == 413) {
                // refused by the doors' limits (DoorLimits) before the body is read, so before the route answers
                return Pattern.quote("{\"code\":\"" + code + "\",\"message\":\"") + "[^\"]+\"}";
            }
            if (status == 405) {
                return "\\{\"timestamp\":\"[^\"]+\",\"status\":405,\"error\":\"Method Not Allowed\","
                        + "\"path\":\"/antom/notifications\"}";
            }
            return Pattern.quote(code == null ? NotificationIntake.SUCCESS
                    : "{\"result\":{\"resultCode\":\"" + code + "\",\"resultStatus\":\"F\",\"resultMessage\":\"not accepted\"}}");
        }
    }

    record Case(String name, Subject subject, Function<NotificationForge, Request> request, Expected expected) {

        @Override
        public String toString() {
            return name;
        }
    }

    private static final String MERCHANT_KEY = AntomNotifier.MERCHANT_PRIVATE_KEY;
    private static final String ANTOM_KEY = AntomNotifier.ANTOM_PRIVATE_KEY;

    private final List<Case> cases = new ArrayList<>();

    static List<Case> cases() {
        NotificationCorpus corpus = new NotificationCorpus();
        corpus.signaturesAndHeaders();
        corpus.sizeAndEncoding();
        corpus.syntax();
        corpus.typesAndValues();
        corpus.acknowledgedButNotApplied();
        corpus.methods();
        return corpus.cases;
    }

    private void signaturesAndHeaders() {
        rejected("forged: signed with another key (the merchant's)", 401, "INVALID_SIGNATURE",
                f -> f.signedAs("POST", f.path, f.clientId, MERCHANT_KEY, f.success()));
        rejected("replay: Antom's signature, result altered to FAIL", 401, "INVALID_SIGNATURE",
                f -> f.signedOver(f.success(), f.result("F", "PROCESS_FAIL")));
        rejected("replay: Antom's signature, amount altered", 401, "INVALID_SIGNATURE",
                f -> f.signedOver(f.success(), f.successWith("\"value\":\"" + f.amount + "\"", "\"value\":\"1\"")));
        rejected("replay: Antom's signature, one space added", 401, "INVALID_SIGNATURE",
                f -> f.signedOver(f.success(), f.success().replace("{\"notifyType\"", "{ \"notifyType\"")));
        rejected("signature over another path", 401, "INVALID_SIGNATURE",
                f -> f.signedAs("POST", "/antom/other", f.clientId, ANTOM_KEY, f.success()));
        rejected("signature over another method", 401, "INVALID_SIGNATURE",
                f -> f.signedAs("GET", f.path, f.clientId, ANTOM_KEY, f.success()));
        rejected("signature over another client-id", 401, "INVALID_SIGNATURE",
                f -> f.signedAs("POST", f.path, "SANDBOX_SOMEONE_ELSE", ANTOM_KEY, f.success()));
        rejected("signature over another request-time", 401, "INVALID_SIGNATURE",
                f -> f.signedWithHeader(f.success(), "request-time", "1700000000000"));
        rejected("signature not base64", 401, "INVALID_SIGNATURE",
                f -> f.signedWithHeader(f.success(), "signature", "algorithm=RSA256,keyVersion=1,signature=%%not*base64"));
        rejected("signature header without algorithm", 401, "MALFORMED_SIGNATURE_HEADER",
                f -> f.signedWithHeader(f.success(), "signature", "keyVersion=1,signature=abc"));
        rejected("signature header with an empty signature", 401, "MALFORMED_SIGNATURE_HEADER",
                f -> f.signedWithHeader(f.success(), "signature", "algorithm=RSA256,keyVersion=1,signature="));
        // each of algorithm, keyVersion and signature exactly once, nothing else: a second signature= was read as
        // the last one, an extra parameter or a missing keyVersion passed
        rejected("signature header: signature given twice", 401, "MALFORMED_SIGNATURE_HEADER", f -> {
            Request r = f.signed(f.success());
            String header = r.headers().get("signature");
            return f.post(r.body(), header(r.headers(), "signature", header + ",signature=" + header.replaceAll(".*signature=", "")));
        });
        rejected("signature header: an unknown parameter", 401, "MALFORMED_SIGNATURE_HEADER", f -> {
            Request r = f.signed(f.success());
            return f.post(r.body(), header(r.headers(), "signature", r.headers().get("signature") + ",extra=1"));
        });
        rejected("signature header: keyVersion missing", 401, "MALFORMED_SIGNATURE_HEADER", f -> {
            Request r = f.signed(f.success());
            return f.post(r.body(), header(r.headers(), "signature",
                    r.headers().get("signature").replace("keyVersion=1,", "")));
        });
        rejected("signature header: keyVersion junk", 401, "MALFORMED_SIGNATURE_HEADER", f -> {
            Request r = f.signed(f.success());
            return f.post(r.body(), header(r.headers(), "signature",
                    r.headers().get("signature").replace("keyVersion=1,", "keyVersion=x1,")));
        });
        // signed over these request-times, so only their parsing can refuse them
        for (String time : List.of("1", "-5", "yesterday", "", "2026-11-22T10:00:00")) {
            rejected("request-time '" + time + "' (signed over it)", 401, "INVALID_REQUEST_TIME",
                    f -> f.signedAt(f.success(), time));
        }
        rejected("client-id not ours (signed for it)", 401, "UNKNOWN_CLIENT_ID", f -> {
            Request r = f.signedAs("POST", f.path, "SANDBOX_SOMEONE_ELSE", ANTOM_KEY, f.success());
            return f.post(r.body(), header(r.headers(), "client-id", "SANDBOX_SOMEONE_ELSE"));
        });
        for (String header : List.of("signature", "request-time", "client-id")) {
            rejected("missing header " + header, 401, "MISSING_SIGNATURE_HEADERS",
                    f -> f.signedWithHeader(f.success(), header, null));
        }
        rejected("no headers at all", 401, "MISSING_SIGNATURE_HEADERS", f -> f.post(bytes(f.success()), Map.of()));
    }

    private void sizeAndEncoding() {
        rejected("empty body", 400, "EMPTY_BODY", f -> f.signed(""));
        rejected("huge: one byte over max-bytes", 413, "PAYLOAD_TOO_LARGE",
                f -> f.signed(padded(f.success(), 65_537)));
        rejected("huge: 1 MiB", 413, "PAYLOAD_TOO_LARGE", f -> f.signed(padded(f.success(), 1 << 20)));
        // signed over the text our verifier sees, so only the encoding itself can refuse these
        rejected("encoding: UTF-16 with BOM", 400, "BAD_ENCODING",
                f -> f.signed(f.success().getBytes(StandardCharsets.UTF_16)));
        rejected("encoding: UTF-16LE without BOM", 400, "BAD_ENCODING",
                f -> f.signed(f.success().getBytes(StandardCharsets.UTF_16LE)));
        rejected("encoding: Latin-1 bytes", 400, "BAD_ENCODING",
                f -> f.signed(f.successWith("\"resultMessage\":\"success\"", "\"resultMessage\":\"réussi\"")
                        .getBytes(StandardCharsets.ISO_8859_1)));
        rejected("encoding: invalid UTF-8 (overlong slash)", 400, "BAD_ENCODING",
                f -> f.signed(splice(bytes(f.success()), new byte[] {(byte) 0xC0, (byte) 0xAF})));
        rejected("encoding: invalid UTF-8 (lone continuation byte)", 400, "BAD_ENCODING",
                f -> f.signed(splice(bytes(f.success()), new byte[] {(byte) 0x80})));
        rejected("encoding: UTF-8 with a byte order mark", 400, "BAD_ENCODING",
                f -> f.signed(concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, bytes(f.success()))));
    }

    private void syntax() {
        rejected("truncated: cut in half", 400, "MALFORMED_BODY",
                f -> f.signed(f.success().substring(0, f.success().length() / 2)));
        rejected("truncated: last brace missing", 400, "MALFORMED_BODY",
                f -> f.signed(f.success().substring(0, f.success().length() - 1)));
        rejected("truncated: inside a string", 400, "MALFORMED_BODY",
                f -> f.signed(f.success().substring(0, f.success().indexOf("PAYMENT_RESULT") + 7)));
        rejected("not an object: an array", 400, "MALFORMED_BODY", f -> f.signed("[" + f.success() + "]"));
        rejected("not an object: null", 400, "MALFORMED_BODY", f -> f.signed("null"));
        rejected("not an object: only whitespace", 400, "MALFORMED_BODY", f -> f.signed("  \n "));
        rejected("duplicate key: resultStatus F then S", 400, "MALFORMED_BODY",
                f -> f.signed(f.successWith("\"resultStatus\":\"S\"", "\"resultStatus\":\"F\",\"resultStatus\":\"S\"")));
        rejected("nesting 5000 deep", 400, "MALFORMED_BODY",
                f -> f.signed(f.successPlus("extra", "[".repeat(5000) + "]".repeat(5000))));
        rejected("a number of 2000 digits", 400, "MALFORMED_BODY",
                f -> f.signed(f.successPlus("extra", "9".repeat(2000))));
    }

    private void typesAndValues() {
        rejected("wrong type: amount value a number", 400, "WRONG_TYPE",
                f -> f.signed(f.successWith("\"value\":\"" + f.amount + "\"", "\"value\":" + f.amount)));
        rejected("wrong type: amount value an object", 400, "WRONG_TYPE",
                f -> f.signed(f.successWith("\"value\":\"" + f.amount + "\"", "\"value\":{\"minor\":" + f.amount + "}")));
        rejected("wrong type: paymentAmount a string", 400, "WRONG_TYPE",
                f -> f.signed(f.successWith("\"paymentAmount\":{\"currency\":\"" + f.currency + "\",\"value\":\""
                        + f.amount + "\"}", "\"paymentAmount\":\"" + f.amount + " " + f.currency + "\"")));
        rejected("wrong type: resultStatus an array", 400, "WRONG_TYPE",
                f -> f.signed(f.successWith("\"resultStatus\":\"S\"", "\"resultStatus\":[\"S\"]")));
        rejected("wrong type: result a string", 400, "WRONG_TYPE",
                f -> f.signed("{\"notifyType\":\"PAYMENT_RESULT\",\"result\":\"SUCCESS\",\"paymentRequestId\":\""
                        + f.paymentRequestId + "\",\"paymentId\":\"" + f.paymentId + "\"}"));
        rejected("wrong type: paymentRequestId a number", 400, "WRONG_TYPE",
                f -> f.signed(f.successWith("\"paymentRequestId\":\"" + f.paymentRequestId + "\"",
                        "\"paymentRequestId\":12345")));
        rejected("wrong type: notifyType a number", 400, "WRONG_TYPE",
                f -> f.signed(f.successWith("\"notifyType\":\"PAYMENT_RESULT\"", "\"notifyType\":1")));
        rejected("missing: notifyType", 400, "MISSING_FIELD",
                f -> f.signed(f.successWith("\"notifyType\":\"PAYMENT_RESULT\",", "")));
        rejected("missing: a dispute's disputeId", 400, "MISSING_FIELD",
                f -> f.signed(f.dispute("DISPUTE_CREATED").replace("\"disputeId\":\"DSP-1\",", "")));
        rejected("missing: both paymentRequestId and paymentId of a dispute", 400, "MISSING_FIELD",
                f -> f.signed(f.dispute("DISPUTE_CREATED").replace("\"paymentRequestId\":\"" + f.paymentRequestId
                        + "\",", "").replace("\"paymentId\":\"" + f.paymentId + "\",", "")));
        rejected("invalid: a dispute's disputeId empty", 400, "INVALID_FIELD",
                f -> f.signed(f.dispute("DISPUTE_CREATED").replace("\"disputeId\":\"DSP-1\"", "\"disputeId\":\"\"")));
        rejected("invalid: a dispute's disputeNotificationType not a type", 400, "INVALID_FIELD",
                f -> f.signed(f.dispute("dispute created")));
        rejected("missing: result", 400, "MISSING_FIELD",
                f -> f.signed(f.successWith("\"result\":{\"resultCode\":\"SUCCESS\",\"resultStatus\":\"S\","
                        + "\"resultMessage\":\"success\"},", "")));
        rejected("missing: resultStatus", 400, "MISSING_FIELD",
                f -> f.signed(f.successWith("\"resultStatus\":\"S\",", "")));
        rejected("missing: resultStatus null", 400, "MISSING_FIELD",
                f -> f.signed(f.successWith("\"resultStatus\":\"S\"", "\"resultStatus\":null")));
        rejected("missing: both paymentRequestId and paymentId", 400, "MISSING_FIELD",
                f -> f.signed(f.success().replace("\"paymentRequestId\":\"" + f.paymentRequestId + "\",", "")
                        .replace("\"paymentId\":\"" + f.paymentId + "\",", "")));
        rejected("missing: notifyCapture without paymentId", 400, "MISSING_FIELD",
                f -> f.signed(f.capture("cap-" + f.paymentRequestId).replace("\"paymentId\":\"" + f.paymentId + "\",", "")));
        rejected("missing: notifyRefund without refundRequestId and refundId", 400, "MISSING_FIELD",
                f -> f.signed(f.refund("REF-" + f.paymentRequestId, "SUCCESS")
                        .replace("\"refundRequestId\":\"REF-" + f.paymentRequestId + "\",", "")
                        .replace("\"refundId\":\"" + f.paymentId + "-ref\",", "")));
        rejected("missing: notifyRefund without refundStatus", 400, "MISSING_FIELD",
                f -> f.signed(f.refund("REF-" + f.paymentRequestId, "SUCCESS").replace("\"refundStatus\":\"SUCCESS\",",
                        "")));
        rejected("invalid: notifyRefund refundStatus PROCESSING (not final)", 400, "INVALID_FIELD",
                f -> f.signed(f.refund("REF-" + f.paymentRequestId, "PROCESSING")));
        rejected("invalid: resultStatus X", 400, "INVALID_FIELD",
                f -> f.signed(f.successWith("\"resultStatus\":\"S\"", "\"resultStatus\":\"X\"")));
        rejected("invalid: resultStatus U (unknown is not a result)", 400, "INVALID_FIELD",
                f -> f.signed(f.successWith("\"resultStatus\":\"S\"", "\"resultStatus\":\"U\"")));
        rejected("invalid: paymentRequestId of 65 characters", 400, "INVALID_FIELD",
                f -> f.signed(f.successWith(f.paymentRequestId, "p".repeat(65))));
        rejected("invalid: paymentRequestId with a NUL character", 400, "INVALID_FIELD",
                f -> f.signed(f.successWith(f.paymentRequestId, f.paymentRequestId + "\\u0000")));
        rejected("invalid: resultCode with a right-to-left override", 400, "INVALID_FIELD",
                f -> f.signed(f.successWith("\"resultCode\":\"SUCCESS\"", "\"resultCode\":\"SUC\\u202eCESS\"")));
        rejected("invalid: paymentId not ASCII", 400, "INVALID_FIELD",
                f -> f.signed(f.successWith(f.paymentId, "２０２６" + f.paymentId)));
        rejected("invalid: resultMessage with a newline", 400, "INVALID_FIELD",
                f -> f.signed(f.successWith("\"resultMessage\":\"success\"", "\"resultMessage\":\"ok\\nFAKE LOG LINE\"")));
        rejected("invalid: resultCode of 300 characters", 400, "INVALID_FIELD",
                f -> f.signed(f.successWith("\"resultCode\":\"SUCCESS\"", "\"resultCode\":\"" + "C".repeat(300) + "\"")));
        rejected("invalid: resultMessage of 600 characters", 400, "INVALID_FIELD",
                f -> f.signed(f.successWith("\"resultMessage\":\"success\"", "\"resultMessage\":\"" + "m".repeat(600) + "\"")));
        rejected("invalid: notifyType of 40 characters", 400, "INVALID_FIELD",
                f -> f.signed(f.successWith("\"notifyType\":\"PAYMENT_RESULT\"", "\"notifyType\":\"" + "T".repeat(40) + "\"")));
        rejected("invalid: amount value with decimals", 400, "INVALID_FIELD",
                f -> f.signed(f.successWith("\"value\":\"" + f.amount + "\"", "\"value\":\"12.50\"")));
        rejected("invalid: amount value of 5000 digits", 400, "INVALID_FIELD",
                f -> f.signed(f.successWith("\"value\":\"" + f.amount + "\"", "\"value\":\"" + "9".repeat(5000) + "\"")));
        rejected("invalid: currency not ISO 4217", 400, "INVALID_FIELD",
                f -> f.signed(f.successWith("\"currency\":\"" + f.currency + "\"", "\"currency\":\"usd dollars\"")));
    }

    private void acknowledgedButNotApplied() {
        acknowledged("unknown paymentRequestId and paymentId: kept UNMATCHED for reconciliation", Subject.UNKNOWN,
                Effect.INBOX_ROW, "UNMATCHED", f -> f.signed(f.success()));
        acknowledged("notifyCapture for an unknown capture: kept UNMATCHED", Subject.UNKNOWN, Effect.INBOX_ROW,
                "UNMATCHED", f -> f.signed(f.capture("cap-" + f.paymentRequestId)));
        acknowledged("notifyRefund for an unknown refund: kept UNMATCHED", Subject.UNKNOWN, Effect.INBOX_ROW,
                "UNMATCHED", f -> f.signed(f.refund("REF-" + f.paymentRequestId, "SUCCESS")));
        acknowledged("notifyType this service does not act on: kept IGNORED", Subject.PENDING, Effect.INBOX_ROW,
                "IGNORED", f -> f.signed(f.successWith("\"notifyType\":\"PAYMENT_RESULT\"",
                        "\"notifyType\":\"OFFLINE_PAYMENT_CODE\"")));
        acknowledged("notifyDispute for an unknown payment: kept UNMATCHED", Subject.UNKNOWN, Effect.INBOX_ROW,
                "UNMATCHED", f -> f.signed(f.dispute("DISPUTE_CREATED")));
        acknowledged("final state: FAIL for a paid payment is a recorded conflict", Subject.PAID, Effect.CONFLICT_NOTED,
                "CONFLICT", f -> f.signed(f.result("F", "PROCESS_FAIL")));
        acknowledged("final state: ORDER_IS_CLOSED for a paid payment is a recorded conflict", Subject.PAID,
                Effect.CONFLICT_NOTED, "CONFLICT", f -> f.signed(f.result("F", "ORDER_IS_CLOSED")));
        acknowledged("final state: an old PENDING for a paid payment is a recorded conflict", Subject.PAID,
                Effect.CONFLICT_NOTED, "CONFLICT", f -> f.signed(AntomNotifier.paymentResult("PAYMENT_PENDING", "S",
                        "SUCCESS", f.paymentRequestId, f.paymentId, f.currency, f.amount)));
        acknowledged("replay: the applied notification again, byte for byte with its headers", Subject.PAID,
                Effect.RESEND_COUNTED, null, f -> f.applied);
    }

    private void methods() {
        for (String method : List.of("GET", "PUT", "DELETE")) {
            cases.add(new Case("method " + method, Subject.PENDING,
                    f -> new Request(method, method.equals("PUT") ? bytes(f.success()) : new byte[0],
                            f.signed(f.success()).headers()),
                    new Expected(405, null, Effect.NOTHING, null)));
        }
    }

    private void rejected(String name, int status, String code, Function<NotificationForge, Request> request) {
        cases.add(new Case(name, Subject.PENDING, request, new Expected(status, code, Effect.NOTHING, null)));
    }

    private void acknowledged(String name, Subject subject, Effect effect, String outcome,
            Function<NotificationForge, Request> request) {
        cases.add(new Case(name, subject, request, new Expected(200, null, effect, outcome)));
    }

    private static Map<String, String> header(Map<String, String> headers, String name, String value) {
        Map<String, String> changed = new LinkedHashMap<>(headers);
        changed.put(name, value);
        return changed;
    }

    /** The body grown to exactly {@code size} bytes by a long extra field. */
    private static String padded(String body, int size) {
        int filler = size - body.length() - ",\"padding\":\"\"".length();
        return body.substring(0, body.length() - 1) + ",\"padding\":\"" + "x".repeat(filler) + "\"}";
    }

    /** The bytes put inside the resultMessage string. */
    private static byte[] splice(byte[] body, byte[] inserted) {
        int at = new String(body, StandardCharsets.UTF_8).indexOf("\"resultMessage\":\"") + 17;
        byte[] out = new byte[body.length + inserted.length];
        System.arraycopy(body, 0, out, 0, at);
        System.arraycopy(inserted, 0, out, at, inserted.length);
        System.arraycopy(body, at, out, at + inserted.length, body.length - at);
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
