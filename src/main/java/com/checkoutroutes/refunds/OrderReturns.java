package com.checkoutroutes.refunds;

import com.checkoutroutes.deadletter.DeadLetters;
import com.checkoutroutes.deadletter.HeldOrderEventException;
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.Refund;
import com.checkoutroutes.ledger.RefundAmount;
import com.checkoutroutes.ledger.RefundRefusedException;
import com.checkoutroutes.platform.JsonText;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * {@code ORDER_RETURNED} from the order system (routes/order-events.yaml, after the event's type and orderId were
 * read): a refund of the order's payment, in full or of {@code amount}, once per event: its {@code eventId} is the
 * refund's request key, so a redelivered event finds the refund it made. A return that cannot be refunded is refused
 * to the dead-letter topic with its reason, and nothing reaches Antom.
 * <pre>{"eventId":"e-7","type":"ORDER_RETURNED","orderId":"ORD-1","amount":{"currency":"USD","value":"500"},
 *  "reason":"one cup broken"}</pre>
 */
@Component
public class OrderReturns {

    /** Who the refunds of order events are requested by. */
    static final String ORDER_SYSTEM = "order-system";
    private static final Pattern EVENT_ID = Pattern.compile("[\\x21-\\x7E]{1,128}");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final Pattern MINOR_UNITS = Pattern.compile("[0-9]{1,18}");
    private static final java.util.Set<String> AMOUNT_FIELDS = java.util.Set.of("currency", "value");

    private final Refunds refunds;
    private final ObjectMapper json;

    public OrderReturns(Refunds refunds, ObjectMapper json) {
        this.refunds = refunds;
        this.json = json;
    }

    public Refund refund(Exchange exchange) throws IOException {
        JsonNode event = json.readTree(exchange.getProperty(DeadLetters.RAW_ORDER, byte[].class));
        // the event's ids and reason read as the order events' reader read them (JsonText: numbers as text)
        String eventId = JsonText.of(event, "eventId").orElse(null);
        if (eventId == null) {
            throw new RefusedRefundException("MISSING_FIELD", "$.eventId",
                    "ORDER_RETURNED needs its own eventId: a redelivered return is recognised by it");
        }
        if (!EVENT_ID.matcher(eventId).matches()) {
            throw new RefusedRefundException("INVALID_VALUE", "$.eventId", "eventId is 1 to 128 visible ASCII characters");
        }
        String reason = JsonText.of(event, "reason").orElse(null);
        if (reason != null && (reason.length() > 256 || reason.chars().anyMatch(Character::isISOControl))) {
            throw new RefusedRefundException("INVALID_VALUE", "$.reason", "reason is at most 256 characters of text");
        }
        try {
            return refunds.request(new Refunds.Request(JsonText.of(event, "orderId").orElse(null),
                    "ORDER_RETURNED:" + eventId, amount(event.get("amount")), reason, ORDER_SYSTEM));
        } catch (RefundRefusedException refused) {
            if (PaymentAttempt.PAYMENT_NOT_KNOWN_YET.equals(refused.code())) {
                throw new HeldOrderEventException(refused.code(), refused.reason());
            }
            throw new RefusedRefundException(refused.code(), null, refused.reason());
        }
    }

    /**
     * The amount returned; absent: the whole order (all that is left to refund). An explicit null is refused, as a
     * misspelt field is: a partial return whose amount a serializer wrote as null would refund the whole order.
     */
    private static RefundAmount amount(JsonNode amount) {
        if (amount == null) {
            return null;
        }
        if (amount.isNull()) {
            throw new RefusedRefundException("INVALID_AMOUNT", "$.amount", "amount is null: leave it out to refund "
                    + "all that is left, or give {\"currency\": ..., \"value\": ...}");
        }
        if (amount.isObject()) {
            for (java.util.Iterator<String> names = amount.fieldNames(); names.hasNext();) {
                if (!AMOUNT_FIELDS.contains(names.next())) {
                    throw new RefusedRefundException("UNKNOWN_FIELD", "$.amount",
                            "amount has only currency and value");
                }
            }
        }
        String currency = amount.isObject() ? text(amount, "currency") : null;
        String value = amount.isObject() ? text(amount, "value") : null;
        if (currency == null || !CURRENCY.matcher(currency).matches()) {
            throw new RefusedRefundException("INVALID_CURRENCY", "$.amount.currency",
                    "amount is {\"currency\": ISO 4217 code, \"value\": minor units as a string}");
        }
        if (value == null || !MINOR_UNITS.matcher(value).matches() || Long.parseLong(value) == 0) {
            throw new RefusedRefundException("INVALID_AMOUNT", "$.amount.value",
                    "amount.value is a positive whole number of minor units, as a string (USD 5.00 is \"500\")");
        }
        return new RefundAmount(currency, Long.parseLong(value));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isTextual() ? null : value.textValue();
    }
}
