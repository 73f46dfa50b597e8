package com.checkoutroutes.orderintake;

import com.checkoutroutes.deadletter.RejectedOrderException;
import com.checkoutroutes.ledger.DatabaseOutage;
import com.checkoutroutes.ledger.NewAttemptRefusedException;
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentLedger;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * The HTTP order door (routes/orders-http.yaml): an order is read with the order route's own {@link OrderReader}
 * before it is published, so the caller hears now what the route would refuse later (400 with the reason codes,
 * nothing published), and an order the ledger already has is answered as such instead of being published again;
 * so is a new attempt of an order paid or cancelled already (409), which the route would dead-letter.
 */
@Component
public class OrderDoor {

    /** The exchange property with the verdict: {@link Verdict#name()}. */
    public static final String VERDICT = "checkoutOrderVerdict";
    public static final String ORDER_ID = "checkoutOrderId";

    public enum Verdict {
        /** valid and new: publish it (the body is the order's text) */
        NEW,
        /** refused (400) or already accepted (200): the body is the answer */
        ANSWERED
    }

    private final OrderReader reader;
    private final PaymentLedger ledger;
    private final DatabaseOutage database;
    private final ObjectMapper json;
    private final MeterRegistry meters;

    public OrderDoor(OrderReader reader, PaymentLedger ledger, DatabaseOutage database, ObjectMapper json,
            MeterRegistry meters) {
        this.reader = reader;
        this.ledger = ledger;
        this.database = database;
        this.json = json;
        this.meters = meters;
    }

    /**
     * Reads the posted order; sets {@link #VERDICT}, and for an answered one the status and body.
     * {@code lookupPath} is where the caller looks the order up (checkout.http.payments-path).
     */
    public void check(Exchange exchange, String lookupPath) {
        byte[] raw = exchange.getIn().getBody(byte[].class);
        OrderMessage order;
        try {
            // posted again after its expiry passed: answered as the stored attempt it is
            order = reader.read(raw, read -> knownAttempt(read).isPresent());
        } catch (RejectedOrderException e) {
            count("rejected");
            answer(exchange, 400, refusal(e));
            return;
        }
        exchange.setProperty(ORDER_ID, order.orderId());
        Optional<Standing> standing = standing(order);
        if (standing.isPresent() && standing.get().attempt().isPresent()) {
            count("repeat");
            PaymentAttempt attempt = standing.get().attempt().get();
            // the order route's own rule: the same attempt number with other terms would be dead-lettered
            boolean same = attempt.hasTerms(Long.parseLong(order.amount().value()), order.amount().currency(),
                    order.paymentMethodType(), order.integration(), order.effectiveCaptureMode());
            boolean sameAmount = attempt.currency().equals(order.amount().currency())
                    && String.valueOf(attempt.amountValue()).equals(order.amount().value());
            String status = same ? "ALREADY_ACCEPTED"
                    : sameAmount ? "ATTEMPT_EXISTS_WITH_OTHER_TERMS" : "ATTEMPT_EXISTS_WITH_ANOTHER_AMOUNT";
            answer(exchange, same ? 200 : 409, repeat(order, status, attempt.state().name(), lookupPath));
            return;
        }
        Optional<String> closed = standing.flatMap(Standing::closedBecause);
        if (closed.isPresent()) {
            // the order route would dead-letter it with this code: the caller hears it now, nothing is published
            count("refused");
            answer(exchange, 409, repeat(order, closed.get(), null, lookupPath));
            return;
        }
        // counted accepted once Kafka has taken it (published), else not_published (routes/orders-http.yaml)
        exchange.setProperty(VERDICT, Verdict.NEW.name());
        exchange.getIn().setBody(new String(raw, StandardCharsets.UTF_8));
    }

    /**
     * What the ledger has of this order: the attempt with its number, else why the order route would refuse a new
     * attempt ({@code ORDER_ALREADY_PAID}, {@code ORDER_CANCELLED}). Empty with the database down: the door still
     * publishes (the order route finds a repeat in the ledger before it pays), so a database outage never closes it.
     */
    private Optional<Standing> standing(OrderMessage order) {
        if (!database.worthTrying()) {
            // not a pool timeout per order while the database is known to be down
            return Optional.empty();
        }
        try {
            List<PaymentAttempt> attempts = ledger.attemptsOf(order.orderId());
            // an order naming no method whose attempt is stored (its buyer chose) is that attempt too: the route
            // does not ask Antom again
            Optional<PaymentAttempt> known = PaymentAttempt.numbered(attempts, order.attemptNo());
            Optional<String> closed = Optional.empty();
            if (known.isEmpty()) {
                try {
                    ledger.refuseNewAttempt(order.orderId(), order.attemptNo(), attempts);
                } catch (NewAttemptRefusedException e) {
                    closed = Optional.of(e.code());
                }
            }
            database.worked("order door");
            return Optional.of(new Standing(known, closed));
        } catch (DataAccessException e) {
            database.failed("order door", e);
            return Optional.empty();
        }
    }

    /** The attempt the ledger has with the order's number, or else why a new one would be refused. */
    private record Standing(Optional<PaymentAttempt> attempt, Optional<String> closedBecause) {
    }

    /** The ledger's attempt with this order's number, if any ({@link #standing}'s, for an order read again). */
    private Optional<PaymentAttempt> knownAttempt(OrderMessage order) {
        return standing(order).flatMap(Standing::attempt);
    }

    private String refusal(RejectedOrderException e) {
        ObjectNode body = json.createObjectNode().put("accepted", false);
        e.violations().forEach(v -> body.withArray("reasons").addObject()
                .put("code", v.code()).put("field", v.field()).put("message", v.message()));
        return write(body);
    }

    private String repeat(OrderMessage order, String status, String state, String lookupPath) {
        ObjectNode body = json.createObjectNode().put("accepted", status.equals("ALREADY_ACCEPTED"))
                .put("status", status).put("orderId", order.orderId()).put("attempt", order.attemptNo());
        if (state != null) {
            body.put("state", state);
        }
        return write(body.put("lookup", lookupPath + "/" + order.orderId()));
    }

    private static void answer(Exchange exchange, int status, String body) {
        exchange.setProperty(VERDICT, Verdict.ANSWERED.name());
        exchange.getIn().removeHeaders("*");
        exchange.getIn().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getIn().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getIn().setBody(body);
    }

    private String write(ObjectNode body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Kafka took the order: it is accepted. */
    public void published() {
        count("accepted");
    }

    /** Kafka did not take the order (answered 503 NOT_PUBLISHED): the caller posts it again. */
    public void notPublished() {
        count("not_published");
    }

    /** The door failed (answered 500 INTERNAL_ERROR): a bug, in the log. */
    public void failed() {
        count("error");
    }

    private void count(String outcome) {
        meters.counter("checkout.orders.http", "outcome", outcome).increment();
    }
}
