package com.checkoutroutes.console;

import com.checkoutroutes.continuation.HttpChannelQueue;
import com.checkoutroutes.deadletter.DeadLetterArchive;
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentState;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The console's pages (server-rendered, templates/console/*.html) and its action endpoints. Every action is two
 * steps: a confirmation page that says what will happen, then a POST (with the session's CSRF token) that runs it
 * and leads back to the page it was started from, which shows its audit record.
 */
final class ConsolePages {

    static final String BASE = "/console";
    /** The most characters of one message (a dead letter's original, a notification) a page shows. */
    static final int MAX_SHOWN = 65536;
    /** The ages the payment search offers, as written in its URL. */
    static final List<String> AGES = List.of("15m", "1h", "6h", "1d", "3d", "7d");
    private static final int MAX_ID = 64;
    private static final String NO_SUCH_ID = "no order or payment has an id of more than " + MAX_ID + " characters";

    private final ConsoleServices services;
    private final ConsoleFormat format = new ConsoleFormat();

    ConsolePages(ConsoleServices services) {
        this.services = services;
    }

    RouterFunction<ServerResponse> routes() {
        return RouterFunctions.route()
                .GET(BASE, request -> redirect(BASE + "/attention"))
                .GET(BASE + "/", request -> redirect(BASE + "/attention"))
                .GET(BASE + "/sign-in", this::signIn)
                .GET(BASE + "/console.css", request -> css())
                .GET(BASE + "/attention", this::attention)
                .GET(BASE + "/payments", this::payments)
                .GET(BASE + "/payments/{orderId}", this::payment)
                .GET(BASE + "/dead-letters", this::deadLetters)
                .GET(BASE + "/dead-letters/{id}", this::deadLetter)
                .GET(BASE + "/reconciliation", this::reconciliation)
                .GET(BASE + "/reconciliation/{id}", this::reconciliationReport)
                .GET(BASE + "/jobs", this::jobs)
                .GET(BASE + "/actions", this::actions)
                .GET(BASE + "/confirm/{action}", this::confirm)
                .POST(BASE + "/actions/{action}", this::perform)
                .build();
    }

    private ServerResponse signIn(ServerRequest request) {
        Map<String, Object> model = new HashMap<>();
        model.put("csrf", request.attribute(CsrfToken.class.getName()).orElse(null));
        model.put("failed", request.param("failed").isPresent());
        model.put("signedOut", request.param("signed-out").isPresent());
        return ServerResponse.ok().render("console/sign-in", model);
    }

    private ServerResponse attention(ServerRequest request) {
        Map<String, Object> model = page(request, "attention", "Needs attention");
        model.put("lists", services.attention().lists());
        model.put("refusedMessages", services.channelMessages().refused(services.settings().pageSize()));
        return render("attention", model);
    }

    private ServerResponse payments(ServerRequest request) {
        Map<String, Object> model = page(request, "payments", "Payments");
        String id = text(request, "q");
        String stateParam = text(request, "state");
        String age = text(request, "age");
        String flag = text(request, "flag");
        model.put("q", id == null ? "" : id);
        model.put("state", stateParam == null ? "" : stateParam);
        model.put("age", age == null ? "" : age);
        model.put("flag", flag == null ? "" : flag);
        model.put("states", PaymentState.values());
        model.put("ages", AGES);
        PaymentState state = null;
        if (stateParam != null) {
            try {
                state = PaymentState.valueOf(stateParam);
            } catch (IllegalArgumentException e) {
                return problem(model, "INVALID_STATE: state must be one of " + Arrays.toString(PaymentState.values()));
            }
        }
        OffsetDateTime changedBefore = null;
        if (age != null) {
            if (!AGES.contains(age)) {
                return problem(model, "INVALID_AGE: age must be one of " + AGES);
            }
            Duration older = DurationStyle.SIMPLE.parse(age);
            changedBefore = OffsetDateTime.now(services.clock()).minus(older);
        }
        Boolean flagged = flag == null ? null : "flagged".equals(flag) ? Boolean.TRUE
                : "not-flagged".equals(flag) ? Boolean.FALSE : null;
        model.put("attempts", services.ledger().search(id, state, changedBefore, flagged,
                services.settings().pageSize()));
        return render("payments", model);
    }

    private ServerResponse payment(ServerRequest request) {
        String orderId = request.pathVariable("orderId");
        Map<String, Object> model = page(request, "payments", "Order " + orderId);
        List<PaymentAttempt> attempts = services.ledger().attemptsOf(orderId);
        if (attempts.isEmpty() && services.consults().of(orderId).isEmpty()
                && services.deadLetters().recent(null, orderId, false, 1).isEmpty()) {
            return notFound(model, "no payment, consult or dead letter of order " + orderId);
        }
        model.put("orderId", orderId);
        model.put("attempts", attempts);
        model.put("secondPayments", services.actions().secondPayments(attempts));
        model.put("timeline", services.timeline().of(orderId, attempts));
        model.put("channelMessages", services.channelMessages().keptOf(orderId));
        model.put("actions", ConsoleAction.values());
        model.put("maxShown", MAX_SHOWN);
        return render("payment", model);
    }

    private ServerResponse deadLetters(ServerRequest request) {
        Map<String, Object> model = page(request, "dead-letters", "Dead letters");
        String reason = text(request, "reason");
        String order = text(request, "order");
        boolean waiting = request.param("waiting").isPresent();
        model.put("reason", reason == null ? "" : reason);
        model.put("order", order == null ? "" : order);
        model.put("waiting", waiting);
        model.put("reasons", services.deadLetters().reasonCodes());
        model.put("letters", services.deadLetters().recent(reason, order, waiting, services.settings().pageSize()));
        return render("dead-letters", model);
    }

    private ServerResponse deadLetter(ServerRequest request) {
        Map<String, Object> model = page(request, "dead-letters", "Dead letter");
        Optional<Long> id = number(request.pathVariable("id"));
        Optional<DeadLetterArchive.Kept> kept = id.flatMap(services.deadLetters()::find);
        if (kept.isEmpty()) {
            return notFound(model, "no dead letter " + request.pathVariable("id"));
        }
        model.put("title", "Dead letter " + kept.get().id());
        model.put("letter", kept.get());
        model.put("json", format.cut(services.timeline().pretty(services.deadLetters().letter(id.get()).orElse("")),
                MAX_SHOWN));
        return render("dead-letter", model);
    }

    private ServerResponse reconciliation(ServerRequest request) {
        Map<String, Object> model = page(request, "reconciliation", "Reconciliation");
        model.put("reports", services.reconciliations().recent(services.settings().pageSize()));
        return render("reconciliation", model);
    }

    private ServerResponse reconciliationReport(ServerRequest request) {
        Map<String, Object> model = page(request, "reconciliation", "Reconciliation report");
        Optional<Reconciliations.Report> report = number(request.pathVariable("id"))
                .flatMap(services.reconciliations()::find);
        if (report.isEmpty()) {
            return notFound(model, "no reconciliation report " + request.pathVariable("id"));
        }
        model.put("title", "Report " + report.get().fileName());
        model.put("report", report.get());
        model.put("mismatches", services.reconciliations().mismatches(report.get().id(),
                services.settings().pageSize() * 10));
        return render("reconciliation-report", model);
    }

    private ServerResponse jobs(ServerRequest request) {
        Map<String, Object> model = page(request, "jobs", "Jobs and routes");
        String job = text(request, "job");
        boolean changed = request.param("changed").isPresent();
        model.put("job", job == null ? "" : job);
        model.put("changed", changed);
        model.put("runs", services.jobRuns().recent(job, changed, services.settings().pageSize()));
        model.put("files", services.routeFiles().routeFiles());
        model.put("managed", services.routeStatistics().managed());
        model.put("routes", services.routeStatistics().routes());
        return render("jobs", model);
    }

    private ServerResponse actions(ServerRequest request) {
        Map<String, Object> model = page(request, "actions", "Actions");
        model.put("entries", services.actionLog().recent(services.settings().pageSize()));
        return render("actions", model);
    }

    private ServerResponse confirm(ServerRequest request) {
        Map<String, Object> model = page(request, "", "Confirm");
        ConsoleAction action = ConsoleAction.fromSlug(request.pathVariable("action"));
        if (action == null) {
            return notFound(model, "no action " + request.pathVariable("action"));
        }
        String prid = text(request, "paymentRequestId");
        String orderId = text(request, "orderId");
        if (overLong(prid, orderId)) {
            return notFound(model, NO_SUCH_ID);
        }
        Optional<Long> deadLetterId = Optional.ofNullable(text(request, "deadLetterId")).flatMap(ConsolePages::number);
        Optional<Long> channelMessageId = Optional.ofNullable(text(request, "channelMessageId"))
                .flatMap(ConsolePages::number);
        model.put("title", action.label());
        model.put("action", action);
        model.put("paymentRequestId", prid);
        model.put("orderId", orderId);
        model.put("deadLetterId", deadLetterId.orElse(null));
        PaymentAttempt attempt = prid == null ? null : services.ledger().find(prid).orElse(null);
        model.put("attempt", attempt);
        model.put("orderAttempts", orderId == null ? List.of() : services.ledger().attemptsOf(orderId));
        model.put("letter", deadLetterId.flatMap(services.deadLetters()::find).orElse(null));
        model.put("channelMessageId", channelMessageId.orElse(null));
        HttpChannelQueue.Kept channelMessage = channelMessageId.flatMap(services.channelMessages()::find).orElse(null);
        model.put("channelMessage", channelMessage);
        model.put("back", back(action, orderId, prid, deadLetterId.orElse(null), null));
        // names the refund this form asks for: sent twice (a double click, a resubmitted page), it refunds once; for a
        // flag, the one shown, so that a reason added meanwhile is not cleared unseen
        // (none shown: a flag raised before the form is sent is not cleared either)
        // for a channel message, how often the page shows it was POSTed: sent twice, it goes out once
        model.put("requestKey", action == ConsoleAction.REFUND ? UUID.randomUUID().toString()
                : action == ConsoleAction.CLEAR_FLAG ? ConsoleActions.flagShown(attempt != null && attempt.flagged()
                        ? attempt.flagReason() : null)
                : action == ConsoleAction.SEND_AGAIN && channelMessage != null
                        ? String.valueOf(channelMessage.attempts()) : null);
        return render("confirm", model);
    }

    private ServerResponse perform(ServerRequest request) {
        ConsoleAction action = ConsoleAction.fromSlug(request.pathVariable("action"));
        if (action == null) {
            return notFound(page(request, "", "Not found"), "no action " + request.pathVariable("action"));
        }
        String prid = text(request, "paymentRequestId");
        String orderId = text(request, "orderId");
        if (overLong(prid, orderId)) {
            // before anything is recorded: the audit's columns hold ids of at most 64 characters
            return notFound(page(request, "", "Not found"), NO_SUCH_ID);
        }
        Long deadLetterId = Optional.ofNullable(text(request, "deadLetterId")).flatMap(ConsolePages::number)
                .orElse(null);
        Long channelMessageId = Optional.ofNullable(text(request, "channelMessageId")).flatMap(ConsolePages::number)
                .orElse(null);
        ConsoleActions.Result result = services.actions().perform(action,
                new ConsoleActions.Target(orderId, prid, deadLetterId, channelMessageId), actor(request),
                request.param("reason").orElse(null), request.param("amount").orElse(null),
                text(request, "requestKey"));
        String order = orderId != null ? orderId
                : services.actionLog().find(result.auditId()).map(ActionLog.Entry::orderId).orElse(null);
        return redirect(back(action, order, prid, deadLetterId, result.auditId()));
    }

    /** Where an action leads back to: its payment's page, or its dead letter's; with its audit record to show. */
    private static String back(ConsoleAction action, String orderId, String prid, Long deadLetterId, Long auditId) {
        String query = auditId == null ? "" : "?action=" + auditId;
        if (action == ConsoleAction.REDRIVE && deadLetterId != null) {
            return BASE + "/dead-letters/" + deadLetterId + query;
        }
        if (orderId != null) {
            return BASE + "/payments/" + URLEncoder.encode(orderId, StandardCharsets.UTF_8) + query;
        }
        return BASE + "/actions";
    }

    /** The model every page has: who is signed in, the CSRF token for its forms, the page, and an action's outcome. */
    private Map<String, Object> page(ServerRequest request, String nav, String title) {
        Map<String, Object> model = new HashMap<>();
        model.put("user", actor(request));
        model.put("csrf", request.attribute(CsrfToken.class.getName()).orElse(null));
        model.put("nav", nav);
        model.put("title", title);
        model.put("fmt", format);
        model.put("done", request.param("action").flatMap(ConsolePages::number)
                .flatMap(services.actionLog()::find).orElse(null));
        return model;
    }

    private static String actor(ServerRequest request) {
        return request.principal().map(Principal::getName).orElse("anonymous");
    }

    private static ServerResponse render(String template, Map<String, Object> model) {
        return ServerResponse.ok().render("console/" + template, model);
    }

    private static ServerResponse problem(Map<String, Object> model, String message) {
        model.put("problem", message);
        return ServerResponse.status(HttpStatus.BAD_REQUEST).render("console/problem", model);
    }

    private static ServerResponse notFound(Map<String, Object> model, String message) {
        model.put("problem", message);
        return ServerResponse.status(HttpStatus.NOT_FOUND).render("console/problem", model);
    }

    private static ServerResponse redirect(String location) {
        return ServerResponse.seeOther(URI.create(location)).build();
    }

    private static ServerResponse css() throws IOException {
        try (InputStream in = ConsolePages.class.getResourceAsStream("/console/console.css")) {
            if (in == null) {
                return ServerResponse.notFound().build();
            }
            return ServerResponse.ok().contentType(new MediaType("text", "css", StandardCharsets.UTF_8))
                    .cacheControl(CacheControl.maxAge(Duration.ofHours(1))).body(new String(in.readAllBytes(),
                            StandardCharsets.UTF_8));
        }
    }

    /** Whether an id is longer than any order's or payment's (64 characters, Antom's limit and the ledger's). */
    private static boolean overLong(String... ids) {
        return java.util.Arrays.stream(ids).anyMatch(id -> id != null && id.length() > MAX_ID);
    }

    /** A query parameter, stripped; null when absent or blank. */
    private static String text(ServerRequest request, String name) {
        return request.param(name).map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
    }

    private static Optional<Long> number(String text) {
        try {
            return Optional.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
