package com.checkoutroutes.console;

import com.checkoutroutes.deadletter.DeadLetterArchive;
import com.checkoutroutes.ledger.DisputeHistory;
import com.checkoutroutes.ledger.NotificationInbox;
import com.checkoutroutes.ledger.OrderConsults;
import com.checkoutroutes.ledger.Outbox;
import com.checkoutroutes.ledger.OutboxSettings;
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentLedger;
import com.checkoutroutes.ledger.PaymentLedger.StateChange;
import com.checkoutroutes.ledger.Refund;
import com.checkoutroutes.ledger.RefundLedger;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * One order's story in time order, from what the ledger tables hold: each attempt's transitions and notes (Antom's
 * calls and answers, notifications applied, the janitor's inquiries), the notifications received and what became of
 * them, its refunds and their steps, the channel messages and result events written to the outbox, its consults, its dead letters and the
 * operators' actions.
 */
@Component
public class Timeline {

    /** The most outbox events shown per order (a payment has a handful; a flood of them is cut, newest kept). */
    static final int MAX_EVENTS = 200;

    /** Transition causes that are Antom's answers or calls to Antom. */
    private static final Set<String> ANTOM = Set.of("ANTOM_CALLED", "ANTOM_NO_ANSWER", "ANTOM_FAILED", "ANTOM_PAID",
            "SESSION_CREATED", "PAYMENT_IN_PROCESS", "INQUIRY", "INQUIRY_CANCELLED", "CANCEL_REQUESTED",
            "CANCEL_NOT_DONE", "CAPTURED", "CAPTURE_FAILED", "CAPTURE_RESULT_UNKNOWN", "LATE_ANSWER",
            "NOT_FOUND_AT_ANTOM", "EXPIRED_CANCELLED", "DUPLICATE_PAYMENT_CANCELLED", "PAY_RESENT", "CAPTURE_RESENT",
            "CANCEL_REFUSED", "CANCEL_RESULT_UNKNOWN", "CANCELLED_DURING_RESEND");

    private static final ConsoleFormat FORMAT = new ConsoleFormat();

    private final PaymentLedger ledger;
    private final NotificationInbox inbox;
    private final Outbox outbox;
    private final OrderConsults consults;
    private final DeadLetterArchive deadLetters;
    private final ActionLog actions;
    private final OutboxSettings destinations;
    private final ObjectMapper json;
    private final RefundLedger refunds;

    public Timeline(PaymentLedger ledger, NotificationInbox inbox, Outbox outbox, OrderConsults consults,
            DeadLetterArchive deadLetters, ActionLog actions, OutboxSettings destinations, ObjectMapper json,
            RefundLedger refunds) {
        this.refunds = refunds;
        this.ledger = ledger;
        this.inbox = inbox;
        this.outbox = outbox;
        this.consults = consults;
        this.deadLetters = deadLetters;
        this.actions = actions;
        this.destinations = destinations;
        this.json = json;
    }

    /** One line of the story: when, what kind, which attempt, what happened, and the message itself if any. */
    public record Entry(OffsetDateTime at, String kind, String attempt, String what, String detail, String body) {
    }

    public List<Entry> of(String orderId, List<PaymentAttempt> attempts) {
        List<Entry> entries = new ArrayList<>();
        for (PaymentAttempt attempt : attempts) {
            String label = "#" + attempt.attemptNo();
            for (StateChange change : ledger.history(attempt.paymentRequestId())) {
                entries.add(transition(label, change));
            }
            for (NotificationInbox.Received n : inbox.about(attempt.paymentRequestId(), attempt.paymentId())) {
                entries.add(new Entry(n.receivedAt(), "Notification", label,
                        n.notifyType() + " received: " + n.outcome(),
                        (n.detail() == null ? "" : n.detail())
                                + (n.timesReceived() > 1 ? " (received " + n.timesReceived() + " times, last "
                                        + FORMAT.time(n.lastReceivedAt()) + ")" : ""),
                        pretty(n.body())));
            }
            for (Refund refund : refunds.refundsOf(attempt.paymentRequestId())) {
                String which = "refund " + FORMAT.amount(refund.amountValue(), refund.currency()) + " ";
                for (RefundLedger.Step step : refunds.history(refund.refundRequestId())) {
                    entries.add(new Entry(step.at(), "Refund", label, which + (step.from() == null ? ""
                            : step.from() + " -> ") + step.to() + " (" + step.cause() + ")",
                            refund.refundRequestId() + (step.detail() == null ? "" : ": " + step.detail()), null));
                }
            }
        }
        for (Outbox.Written event : outbox.withKey(orderId, MAX_EVENTS)) {
            entries.add(outboxEntry(event));
        }
        for (OrderConsults.Consult c : consults.of(orderId)) {
            entries.add(new Entry(c.consultedAt(), "Antom", "#" + c.attemptNo(), "consult: " + c.outcome(),
                    c.resultCode() == null ? "" : c.resultCode() + " " + c.resultMessage(), pretty(c.channelMessage())));
        }
        for (DeadLetterArchive.Kept d : deadLetters.recent(null, orderId, false, MAX_EVENTS)) {
            entries.add(new Entry(d.rejectedAt(), "Dead letter", "", d.type() + " " + d.reasonCode()
                    + (d.reasonField() == null ? "" : " at " + d.reasonField()), "dead letter " + d.id()
                    + (d.redriven() ? ", re-driven by " + d.redrivenBy() : "") + ": " + d.reasonMessage(), null));
        }
        for (ActionLog.Entry a : actions.ofOrder(orderId)) {
            entries.add(new Entry(a.at(), "Operator", "", a.action() + " by " + a.actor() + ": " + a.outcome(),
                    (a.reason() == null ? "" : "why: " + a.reason() + ". ") + (a.detail() == null ? "" : a.detail()),
                    null));
        }
        entries.sort(Comparator.comparing(Entry::at, Comparator.nullsLast(Comparator.naturalOrder())));
        return entries;
    }

    private static Entry transition(String label, StateChange change) {
        String cause = change.cause();
        String kind = ANTOM.contains(cause) ? "Antom"
                : cause.startsWith("PAYMENT_RESULT") || cause.startsWith("PAYMENT_PENDING")
                        || cause.startsWith("CAPTURE_RESULT") || fromDisputeNotification(change) ? "Notification"
                : cause.startsWith("OPERATOR") || cause.equals("FLAG_CLEARED") ? "Operator" : "Ledger";
        String what = change.from() == change.to() ? cause + " (stays " + change.to() + ")"
                : (change.from() == null ? "" : change.from() + " -> ") + change.to() + " (" + cause + ")";
        return new Entry(change.at(), kind, label, what, change.detail() == null ? "" : change.detail(), null);
    }

    /** A dispute's step as notifyDispute brought it (reconciliation flags a dispute of the file DISPUTED too). */
    private static boolean fromDisputeNotification(StateChange change) {
        return change.cause().startsWith("DISPUTE") && DisputeHistory.notified(change.detail());
    }

    private Entry outboxEntry(Outbox.Written event) {
        JsonNode payload = read(event.payload());
        String sent = event.publishedAt() == null ? "waiting to be published" : "published " + FORMAT.time(event.publishedAt());
        if (event.destination().equals(destinations.continuationsDestination())) {
            return new Entry(event.createdAt(), "Channel", attemptOf(payload),
                    "channel message " + payload.path("action").asText("?"), sent, pretty(event.payload()));
        }
        if (event.destination().equals(destinations.resultsDestination())) {
            String result = payload.path("result").isMissingNode() ? ""
                    : " " + payload.path("result").path("code").asText("");
            return new Entry(event.createdAt(), "Result event", attemptOf(payload),
                    payload.path("state").asText("?") + " v" + payload.path("version").asText("?")
                            + " (" + payload.path("cause").asText("") + ")" + result, sent, pretty(event.payload()));
        }
        return new Entry(event.createdAt(), "Event", "", event.destination(), sent, pretty(event.payload()));
    }

    private static String attemptOf(JsonNode payload) {
        return payload.hasNonNull("attempt") ? "#" + payload.get("attempt").asText() : "";
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (Exception e) {
            return json.createObjectNode();
        }
    }

    /** JSON indented for reading; anything else as it is. */
    String pretty(String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(json.readTree(text));
        } catch (Exception e) {
            return text;
        }
    }
}
