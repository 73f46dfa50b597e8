package com.checkoutroutes.notifications;

import com.checkoutroutes.results.AntomResult;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Reads a notification's raw bytes into an {@link AntomResult} only if every field the ledger acts on has the
 * type and shape Antom documents and fits where the ledger stores it; anything else is a
 * {@link RejectedNotificationException} with its code. Without this a signed but odd body was coerced (an array
 * resultStatus read as "", i.e. a failed payment) or broke the insert (a NUL or 65-character id: a 503 Antom resends
 * for a day). Found by NotificationCorpusTest.
 */
@Component
public class NotificationReader {

    /** notifyRefund's refundStatus: it is sent once the refund reached a final state. */
    private static final Set<String> REFUND_STATUSES = Set.of("SUCCESS", "FAIL");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final Pattern DISPUTE_TYPE = Pattern.compile("[A-Z_]{1,30}");
    private static final Pattern MINOR_UNITS = Pattern.compile("[0-9]{1,19}");
    /** Ids, codes and types are visible ASCII: they go into keys, columns and log lines as they are. */
    private static final Pattern TOKEN = Pattern.compile("[\\x21-\\x7E]*");

    private final ObjectMapper json;
    private final int maxBytes;

    public NotificationReader(ObjectMapper json, NotificationSettings settings) {
        // a repeated key means two readers could see two different notifications under one signature
        this.json = json.copy().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.maxBytes = settings.maxBytes();
    }

    /** The text Antom signed: not empty, not too large, UTF-8 as its Content-Type says, without BOM or NUL. */
    public String text(byte[] raw) {
        if (raw == null || raw.length == 0) {
            throw rejected(400, "EMPTY_BODY", "the notification has no body");
        }
        if (raw.length > maxBytes) {
            throw rejected(413, "PAYLOAD_TOO_LARGE", raw.length + " bytes, the limit is " + maxBytes);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            throw rejected(400, "BAD_ENCODING", "the body is not UTF-8");
        }
        if (text.charAt(0) == '\uFEFF' || text.indexOf('\0') >= 0) {
            // RFC 8259: no BOM on the wire; a NUL byte is UTF-16 read as UTF-8
            throw rejected(400, "BAD_ENCODING", "the body is not plain UTF-8 (BOM or NUL byte)");
        }
        return text;
    }

    /** The notification in a verified text, checked field by field. */
    public AntomResult read(String text) {
        JsonNode body;
        try {
            body = json.readTree(text);
        } catch (Exception e) {
            throw rejected(400, "MALFORMED_BODY", "the body is not one JSON value without repeated keys");
        }
        if (body == null || !body.isObject()) {
            throw rejected(400, "MALFORMED_BODY", "a notification is a JSON object");
        }
        // notifyDispute: Antom's docs list neither notifyType nor result for it, only its own disputeNotificationType
        String type = token(body, "notifyType", 32, false);
        String disputeType = AntomResult.isActedOn(type) ? null : token(body, "disputeNotificationType", 30, false);
        if (type == null && disputeType == null) {
            throw rejected(400, "MISSING_FIELD", "notifyType is required");
        }
        JsonNode result = body.get("result");
        if (result == null || result.isNull()) {
            if (disputeType == null) {
                throw rejected(400, "MISSING_FIELD", "result is required");
            }
            result = json.createObjectNode();
        }
        if (!result.isObject()) {
            throw rejected(400, "WRONG_TYPE", "result must be an object");
        }
        if (disputeType != null && (!DISPUTE_TYPE.matcher(disputeType).matches()
                || token(body, "disputeId", 64, true).isEmpty())) {
            throw rejected(400, "INVALID_FIELD",
                    "a dispute needs a disputeNotificationType (A-Z and _) and a disputeId");
        }
        boolean actedOn = AntomResult.isActedOn(type);
        String status = token(result, "resultStatus", 16, actedOn);
        if (actedOn && !"S".equals(status) && !"F".equals(status)) {
            // U (or anything else) is not a result: applying it as "not S" would fail the payment
            throw rejected(400, "INVALID_FIELD", "resultStatus must be S or F");
        }
        token(result, "resultCode", 64, false);
        string(result, "resultMessage", 512, false);
        String paymentRequestId = token(body, "paymentRequestId", 64, false);
        String paymentId = token(body, "paymentId", 64, false);
        token(body, "captureRequestId", 64, false);
        token(body, "captureId", 64, false);
        String refundRequestId = token(body, "refundRequestId", 64, false);
        String refundId = token(body, "refundId", 64, false);
        String refundStatus = token(body, "refundStatus", 16, false);
        amount(body, AntomResult.amountField(type));
        if (AntomResult.CAPTURE_RESULT.equals(type) && paymentId == null) {
            throw rejected(400, "MISSING_FIELD", "paymentId is required in a capture result");
        }
        if (AntomResult.REFUND_RESULT.equals(type)) {
            if (refundRequestId == null && refundId == null) {
                throw rejected(400, "MISSING_FIELD", "refundRequestId or refundId is required in a refund result");
            }
            if (refundStatus == null) {
                throw rejected(400, "MISSING_FIELD", "refundStatus is required in a refund result");
            }
            if (!REFUND_STATUSES.contains(refundStatus)) {
                throw rejected(400, "INVALID_FIELD", "refundStatus must be SUCCESS or FAIL");
            }
        } else if ((actedOn || disputeType != null) && paymentRequestId == null && paymentId == null) {
            throw rejected(400, "MISSING_FIELD", "paymentRequestId or paymentId is required");
        }
        return AntomResult.from(body);
    }

    private static void amount(JsonNode body, String field) {
        JsonNode amount = body.get(field);
        if (amount == null || amount.isNull()) {
            return;
        }
        if (!amount.isObject()) {
            throw rejected(400, "WRONG_TYPE", field + " must be an object");
        }
        String currency = string(amount, "currency", 3, false);
        String value = string(amount, "value", 19, false);
        if (currency != null && !CURRENCY.matcher(currency).matches()) {
            throw rejected(400, "INVALID_FIELD", field + ".currency must be an ISO 4217 code");
        }
        if (value != null && !MINOR_UNITS.matcher(value).matches()) {
            throw rejected(400, "INVALID_FIELD", field + ".value must be an amount in minor units");
        }
    }

    private static String token(JsonNode node, String field, int maxLength, boolean required) {
        String text = string(node, field, maxLength, required);
        if (text != null && !TOKEN.matcher(text).matches()) {
            throw rejected(400, "INVALID_FIELD", field + " must be visible ASCII");
        }
        return text;
    }

    /** A text field: absent or null is null (or MISSING_FIELD when required); never coerced from another type. */
    private static String string(JsonNode node, String field, int maxLength, boolean required) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw rejected(400, "MISSING_FIELD", field + " is required");
            }
            return null;
        }
        if (!value.isTextual()) {
            throw rejected(400, "WRONG_TYPE", field + " must be a string");
        }
        String text = value.textValue();
        if (text.length() > maxLength) {
            throw rejected(400, "INVALID_FIELD", field + " is longer than " + maxLength + " characters");
        }
        if (text.chars().anyMatch(Character::isISOControl)) {
            throw rejected(400, "INVALID_FIELD", field + " contains control characters");
        }
        return text;
    }

    private static RejectedNotificationException rejected(int status, String code, String message) {
        return new RejectedNotificationException(status, code, message);
    }
}
