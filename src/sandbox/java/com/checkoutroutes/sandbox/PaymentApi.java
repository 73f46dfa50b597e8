package com.checkoutroutes.sandbox;

import com.checkoutroutes.sandbox.OutcomeScript.Outcome;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The business side of the Antom payment APIs (consult, pay, createPaymentSession, inquiryPayment, cancel,
 * capture, refund, inquiryRefund). Takes the parsed request, returns the response body; signatures and faults live
 * in {@link SandboxServer}.
 */
public final class PaymentApi {

    /** Magic amounts (value suffix). */
    static final String UNKNOWN_EXCEPTION_SUFFIX = "9901";
    static final String CARD_DECLINED_SUFFIX = "0051";
    static final String CARD_THREE_DS_SUFFIX = "0052";

    private static final Duration DEFAULT_SESSION_EXPIRY = Duration.ofHours(1);
    private static final Duration CARD_WINDOW = Duration.ofDays(7);

    private final SandboxPayments payments;
    private final PaymentMethodCatalog catalog;
    private final SandboxClock clock;
    private final PaymentLifecycle lifecycle;
    private final BuyerSimulator buyer;
    private final Supplier<String> publicBaseUrl;

    public PaymentApi(SandboxPayments payments, PaymentMethodCatalog catalog, SandboxClock clock,
                      PaymentLifecycle lifecycle, BuyerSimulator buyer, Supplier<String> publicBaseUrl) {
        this.payments = payments;
        this.catalog = catalog;
        this.clock = clock;
        this.lifecycle = lifecycle;
        this.buyer = buyer;
        this.publicBaseUrl = publicBaseUrl;
    }

    public static final Set<String> APIS = Set.of("consult", "pay", "createPaymentSession", "inquiryPayment",
            "cancel", "capture", "refund", "inquiryRefund");

    public ObjectNode handle(String api, JsonNode request) {
        lifecycle.closeExpired();
        return switch (api) {
            case "consult" -> consult(request);
            case "pay" -> pay(request);
            case "createPaymentSession" -> createPaymentSession(request);
            case "inquiryPayment" -> inquiry(request);
            case "cancel" -> cancel(request);
            case "capture" -> capture(request);
            case "refund" -> refund(request);
            case "inquiryRefund" -> inquiryRefund(request);
            default -> answer(ApiResult.f("NO_INTERFACE_DEF", "API is not defined: " + api));
        };
    }

    // ---- consult ----------------------------------------------------------------------------------------

    private ObjectNode consult(JsonNode request) {
        String currency = Json.text(request, "paymentAmount.currency");
        if (Json.text(request, "productCode") == null || currency == null
                || !isMinorAmount(Json.text(request, "paymentAmount.value"))) {
            return answer(ApiResult.paramIllegal("productCode and paymentAmount are required"));
        }
        Set<String> allowed = new HashSet<>();
        request.path("allowedPaymentMethods").forEach(m -> allowed.add(m.asText()));
        ObjectNode response = answer(ApiResult.SUCCESS);
        ArrayNode options = response.putArray("paymentOptions");
        for (PaymentMethodProfile method : catalog.all()) {
            if (!allowed.isEmpty() && !allowed.contains(method.type())) {
                continue;
            }
            ObjectNode option = options.addObject();
            option.put("paymentMethodType", method.type());
            option.put("paymentMethodCategory", method.category());
            option.putArray("paymentMethodRegion").add(method.region());
            boolean enabled = method.supportsCurrency(currency);
            option.put("enabled", enabled);
            option.put("preferred", false);
            if (!enabled) {
                option.put("disableReason", "CURRENCY_NOT_SUPPORT");
            }
            ArrayNode currencies = option.putArray("supportedCurrencies");
            method.currencies().forEach(currencies::add);
            if (method.isCard()) {
                ObjectNode detail = option.putObject("paymentOptionDetail");
                ArrayNode brands = detail.putArray("supportCardBrands");
                for (String brand : new String[] {"VISA", "MASTERCARD", "AMEX", "JCB"}) {
                    brands.addObject().put("cardBrand", brand);
                }
                detail.putArray("funding").add("CREDIT").add("DEBIT");
            }
            option.putObject("logo").put("logoName", method.type())
                    .put("logoUrl", publicBaseUrl.get() + "/sandbox/logo/" + method.type() + ".svg");
        }
        return response;
    }

    // ---- pay / createPaymentSession ------------------------------------------------------------------

    /** The parts of pay and createPaymentSession requests that are validated the same way. */
    private record NewPayment(String paymentRequestId, PaymentMethodProfile method, String currency, String value,
                              String productCode) {
    }

    private Object validateNewPayment(JsonNode request) {
        String paymentRequestId = Json.text(request, "paymentRequestId");
        String productCode = Json.text(request, "productCode");
        String currency = Json.text(request, "paymentAmount.currency");
        String value = Json.text(request, "paymentAmount.value");
        String methodType = Json.text(request, "paymentMethod.paymentMethodType");
        if (productCode == null || paymentRequestId == null || paymentRequestId.length() > 64) {
            return ApiResult.paramIllegal("productCode and paymentRequestId (at most 64 characters) are required");
        }
        if (currency == null || !isMinorAmount(value)) {
            return ApiResult.paramIllegal("paymentAmount needs a currency and a positive integer value in minor units");
        }
        if (methodType == null) {
            return ApiResult.paramIllegal("paymentMethod.paymentMethodType is required");
        }
        if (request.get("order") == null || !request.get("order").isObject()) {
            return ApiResult.paramIllegal("order is required");
        }
        Optional<PaymentMethodProfile> method = catalog.find(methodType);
        if (method.isEmpty()) {
            return ApiResult.paramIllegal("paymentMethodType " + methodType + " is not supported");
        }
        if (!method.get().supportsCurrency(currency)) {
            return ApiResult.f("CURRENCY_NOT_SUPPORT", "The currency " + currency + " is not supported by "
                    + methodType + ".");
        }
        return new NewPayment(paymentRequestId, method.get(), currency, value, productCode);
    }

    /** Idempotency: the same id with the same amount and method gets the stored answer, otherwise F. */
    private ObjectNode repeatAnswer(SandboxPayment existing, NewPayment incoming, boolean session) {
        boolean consistent = existing.session == session && existing.currency.equals(incoming.currency)
                && existing.value.equals(incoming.value) && existing.method == incoming.method;
        if (!consistent) {
            ObjectNode response = answer(ApiResult.REPEAT_REQ_INCONSISTENT);
            response.put("paymentRequestId", incoming.paymentRequestId);
            return response;
        }
        if (existing.storedAnswer == null) {
            // Only after a kill between creating the payment and saving its answer: the merchant got none.
            return freshPayAnswer(existing);
        }
        return (ObjectNode) Json.parse(existing.storedAnswer);
    }

    /** What pay answers for this payment in its current state (sessions are saved with their answer at once). */
    private ObjectNode freshPayAnswer(SandboxPayment payment) {
        if (!payment.isCard()) {
            ObjectNode response = paymentAnswer(ApiResult.PAYMENT_IN_PROCESS, payment);
            putContinuation(response, payment);
            return response;
        }
        return switch (payment.status) {
            case SUCCESS, CANCELLED -> authorisedAnswer(payment);
            case FAIL -> paymentAnswer(payment.paymentResult, payment);
            case PROCESSING, PENDING -> {
                ObjectNode response = paymentAnswer(ApiResult.PAYMENT_IN_PROCESS, payment);
                putRedirect(response, checkoutUrl(payment));
                yield response;
            }
        };
    }

    private ObjectNode pay(JsonNode request) {
        Object validated = validateNewPayment(request);
        if (validated instanceof ApiResult failure) {
            return withRequestId(answer(failure), request);
        }
        NewPayment incoming = (NewPayment) validated;
        synchronized (payments) {
            Optional<SandboxPayment> existing = payments.byRequestId(incoming.paymentRequestId);
            if (existing.isPresent()) {
                return repeatAnswer(existing.get(), incoming, false);
            }
            Instant now = clock.now();
            Instant expiry;
            try {
                String requested = Json.text(request, "paymentExpiryTime");
                expiry = requested != null ? SandboxClock.parse(requested)
                        : now.plus(incoming.method.defaultExpiry());
            } catch (DateTimeParseException e) {
                return withRequestId(answer(ApiResult.paramIllegal("paymentExpiryTime is not ISO-8601")), request);
            }
            if (!expiry.isAfter(now)) {
                return withRequestId(answer(ApiResult.paramIllegal("paymentExpiryTime is in the past")), request);
            }
            if (PaymentMethodCatalog.capsExpiryAt14Minutes(incoming.method.type())
                    && expiry.isAfter(now.plus(Duration.ofMinutes(14)).plusSeconds(5))) {
                return withRequestId(answer(ApiResult.paramIllegal("For " + incoming.method.type()
                        + " the paymentExpiryTime must be within 14 minutes")), request);
            }
            String captureMode = Json.text(request, "paymentFactor.captureMode");
            if (captureMode != null && !captureMode.equals("MANUAL") && !captureMode.equals("AUTOMATIC")) {
                return withRequestId(answer(ApiResult.paramIllegal("captureMode must be AUTOMATIC or MANUAL")),
                        request);
            }
            SandboxPayment payment = create(request, incoming, now, expiry, "MANUAL".equals(captureMode), false);
            ObjectNode response = incoming.method.isCard() ? payCard(payment) : payApm(payment);
            payment.storedAnswer = Json.write(response);
            payments.save(payment);
            if (incoming.value.endsWith(UNKNOWN_EXCEPTION_SUFFIX)) {
                // Created and stored, but this answer got lost: a retry with the same id sees the real one.
                return withRequestId(answer(ApiResult.UNKNOWN_EXCEPTION), request);
            }
            return response;
        }
    }

    private SandboxPayment create(JsonNode request, NewPayment incoming, Instant now, Instant expiry,
                                  boolean manualCapture, boolean session) {
        String terminalType = Optional.ofNullable(Json.text(request, "env.terminalType")).orElse("WEB");
        SandboxPayment payment = new SandboxPayment(incoming.paymentRequestId, payments.newId("1940108001001886", now),
                incoming.method, incoming.currency, incoming.value, incoming.productCode, terminalType,
                Json.text(request, "paymentNotifyUrl"), Json.text(request, "order.referenceOrderId"),
                Json.text(request, "order.orderDescription"), manualCapture, session, now, expiry);
        payment.redirectUrl = Json.text(request, "paymentRedirectUrl");
        payments.add(payment);
        return payment;
    }

    private ObjectNode payCard(SandboxPayment payment) {
        Optional<OutcomeScript> script = buyer.takeScript(payment);
        Outcome outcome = script.map(OutcomeScript::outcome).orElse(null);
        if (payment.value.endsWith(CARD_DECLINED_SUFFIX) || outcome == Outcome.FAIL) {
            ApiResult declined = ApiResult.f("DO_NOT_HONOR", "The payment is declined by the issuing bank.");
            lifecycle.failed(payment, declined, false);
            return paymentAnswer(declined, payment);
        }
        if (payment.value.endsWith(CARD_THREE_DS_SUFFIX) || outcome == Outcome.PENDING_THEN_PAY
                || outcome == Outcome.ABANDON) {
            // 3D Secure challenge: the buyer finishes on the (sandbox) issuer page, or the script does it.
            ObjectNode response = paymentAnswer(ApiResult.PAYMENT_IN_PROCESS, payment);
            putRedirect(response, checkoutUrl(payment));
            script.filter(s -> s.outcome() == Outcome.PENDING_THEN_PAY)
                    .ifPresent(s -> buyer.playLater(payment,
                            new OutcomeScript(null, null, null, Outcome.PAY, s.afterMs(), 1)));
            return response;
        }
        lifecycle.paid(payment);
        return authorisedAnswer(payment);
    }

    private static ObjectNode authorisedAnswer(SandboxPayment payment) {
        ObjectNode response = paymentAnswer(ApiResult.SUCCESS, payment);
        response.put("paymentTime", SandboxClock.format(payment.paymentTime));
        response.put("authExpiryTime", SandboxClock.format(payment.authExpiryTime()));
        return response;
    }

    private ObjectNode payApm(SandboxPayment payment) {
        ObjectNode response = paymentAnswer(ApiResult.PAYMENT_IN_PROCESS, payment);
        putContinuation(response, payment);
        buyer.takeScript(payment).ifPresent(script -> buyer.playLater(payment, script));
        return response;
    }

    /** Which links come back depends on the terminal type and on whether the method has an app. */
    private void putContinuation(ObjectNode response, SandboxPayment payment) {
        PaymentMethodProfile method = payment.method;
        String normalUrl = checkoutUrl(payment);
        String codeValue = publicBaseUrl.get() + "/sandbox/code/" + payment.paymentId;
        switch (payment.terminalType) {
            case "WAP" -> {
                response.put("normalUrl", normalUrl);
                if (method.hasApp()) {
                    putAppLinks(response, payment, normalUrl);
                }
            }
            case "APP", "MINI_APP" -> {
                if (method.hasApp()) {
                    putAppLinks(response, payment, normalUrl);
                }
                response.put("normalUrl", normalUrl);
            }
            default -> {
                response.put("normalUrl", normalUrl);
                if (method.qrOnWeb()) {
                    ObjectNode form = response.putObject("orderCodeForm");
                    form.put("paymentMethodType", method.type());
                    form.put("expireTime", SandboxClock.format(payment.expiryTime));
                    ArrayNode details = form.putArray("codeDetails");
                    details.addObject().put("codeValueType", "QRCODE").put("codeValue", codeValue)
                            .put("displayType", "TEXT");
                    for (String[] size : new String[][] {{"L", "BIGIMAGE"}, {"M", "MIDDLEIMAGE"}, {"S", "SMALLIMAGE"}}) {
                        details.addObject().put("codeValueType", "QRCODE")
                                .put("codeValue", codeValue + "/qr.svg?picSize=" + size[0])
                                .put("displayType", size[1]);
                    }
                }
            }
        }
        putRedirect(response, normalUrl);
    }

    private void putAppLinks(ObjectNode response, SandboxPayment payment, String normalUrl) {
        String encoded = java.net.URLEncoder.encode(normalUrl, StandardCharsets.UTF_8);
        response.put("applinkUrl", publicBaseUrl.get() + "/sandbox/applink/" + payment.method.type()
                + "?orderCode=" + encoded);
        response.put("schemeUrl", payment.method.scheme() + "platformapi/startApp?orderCode=" + encoded);
        response.put("appIdentifier", payment.method.appIdentifier());
    }

    private static void putRedirect(ObjectNode response, String url) {
        response.put("normalUrl", url);
        response.putObject("redirectActionForm").put("method", "GET").put("redirectUrl", url);
    }

    private String checkoutUrl(SandboxPayment payment) {
        return publicBaseUrl.get() + "/sandbox/checkout/" + payment.paymentId;
    }

    private ObjectNode createPaymentSession(JsonNode request) {
        Object validated = validateNewPayment(request);
        if (validated instanceof ApiResult failure) {
            return withRequestId(answer(failure), request);
        }
        if (Json.text(request, "paymentRedirectUrl") == null) {
            return withRequestId(answer(ApiResult.paramIllegal("paymentRedirectUrl is required")), request);
        }
        NewPayment incoming = (NewPayment) validated;
        synchronized (payments) {
            Optional<SandboxPayment> existing = payments.byRequestId(incoming.paymentRequestId);
            if (existing.isPresent()) {
                return repeatAnswer(existing.get(), incoming, true);
            }
            Instant now = clock.now();
            Instant expiry;
            try {
                String requested = Json.text(request, "paymentSessionExpiryTime");
                expiry = requested != null ? SandboxClock.parse(requested) : now.plus(DEFAULT_SESSION_EXPIRY);
            } catch (DateTimeParseException e) {
                return withRequestId(answer(ApiResult.paramIllegal("paymentSessionExpiryTime is not ISO-8601")),
                        request);
            }
            SandboxPayment payment = create(request, incoming, now, expiry,
                    "MANUAL".equals(Json.text(request, "paymentFactor.captureMode")), true);
            payment.paymentSessionId = payments.newId("9999SESSION0000", now);
            ObjectNode sessionData = Json.object();
            sessionData.put("paymentSessionId", payment.paymentSessionId);
            sessionData.put("paymentRequestId", payment.paymentRequestId);
            sessionData.put("paymentId", payment.paymentId);
            sessionData.put("paymentMethodType", payment.method.type());
            sessionData.put("checkoutUrl", checkoutUrl(payment));
            ObjectNode response = answer(ApiResult.SUCCESS);
            response.put("paymentSessionData", Base64.getEncoder().encodeToString(
                    Json.write(sessionData).getBytes(StandardCharsets.UTF_8)) + "&&SANDBOX&&" + payment.paymentSessionId);
            response.put("paymentSessionId", payment.paymentSessionId);
            response.put("paymentSessionExpiryTime", SandboxClock.format(expiry));
            // the SDK's page for this session (BuyerPages), so a buyer need not decode paymentSessionData to find it
            response.put("normalUrl", publicBaseUrl.get() + "/sandbox/session/" + payment.paymentId);
            payment.storedAnswer = Json.write(response);
            payments.save(payment);
            buyer.takeScript(payment).ifPresent(script -> buyer.playLater(payment, script));
            return response;
        }
    }

    // ---- inquiryPayment ---------------------------------------------------------------------------------

    private ObjectNode inquiry(JsonNode request) {
        String paymentId = Json.text(request, "paymentId");
        String paymentRequestId = Json.text(request, "paymentRequestId");
        if (paymentId == null && paymentRequestId == null) {
            return answer(ApiResult.paramIllegal("paymentId or paymentRequestId is required"));
        }
        synchronized (payments) {
            Optional<SandboxPayment> found = payments.find(paymentId, paymentRequestId);
            if (found.isEmpty()) {
                return answer(ApiResult.ORDER_NOT_EXIST);
            }
            SandboxPayment payment = found.get();
            ObjectNode response = answer(ApiResult.SUCCESS);
            response.put("paymentStatus", payment.status.name());
            response.put("paymentResultCode", payment.paymentResult.resultCode());
            response.put("paymentResultMessage", payment.paymentResult.resultMessage());
            response.put("paymentRequestId", payment.paymentRequestId);
            response.put("paymentId", payment.paymentId);
            response.set("paymentAmount", payment.amountJson());
            response.put("paymentCreateTime", SandboxClock.format(payment.createTime));
            if (payment.paymentTime != null) {
                response.put("paymentTime", SandboxClock.format(payment.paymentTime));
                response.set("actualPaymentAmount", payment.amountJson());
            }
            if (payment.authExpiryTime() != null) {
                response.put("authExpiryTime", SandboxClock.format(payment.authExpiryTime()));
            }
            ArrayNode transactions = Json.array();
            if (payment.capture != null) {
                addTransaction(transactions, "CAPTURE", payment.capture.captureId(),
                        payment.capture.captureRequestId(), payment.capture.currency(), payment.capture.value(),
                        payment.capture.time());
            }
            if (payment.cancelTime != null) {
                addTransaction(transactions, "CANCEL", payment.cancelId, payment.paymentRequestId, payment.currency,
                        payment.value, payment.cancelTime);
            }
            for (SandboxPayment.Refund refund : payment.refunds) {
                addTransaction(transactions, "REFUND", refund.refundId(), refund.refundRequestId(),
                        refund.currency(), refund.value(), refund.time());
            }
            if (!transactions.isEmpty()) {
                response.set("transactions", transactions);
            }
            return response;
        }
    }

    private static void addTransaction(ArrayNode transactions, String type, String id, String requestId,
                                       String currency, String value, Instant time) {
        ObjectNode transaction = transactions.addObject();
        transaction.set("transactionResult", ApiResult.SUCCESS.toJson());
        transaction.put("transactionId", id);
        transaction.put("transactionType", type);
        transaction.put("transactionStatus", "SUCCESS");
        transaction.set("transactionAmount", Json.amount(currency, value));
        transaction.put("transactionRequestId", requestId);
        transaction.put("transactionTime", SandboxClock.format(time));
    }

    // ---- cancel -----------------------------------------------------------------------------------------

    private ObjectNode cancel(JsonNode request) {
        String paymentId = Json.text(request, "paymentId");
        String paymentRequestId = Json.text(request, "paymentRequestId");
        if (paymentId == null && paymentRequestId == null) {
            return answer(ApiResult.paramIllegal("paymentId or paymentRequestId is required"));
        }
        synchronized (payments) {
            Optional<SandboxPayment> found = payments.find(paymentId, paymentRequestId);
            if (found.isEmpty()) {
                return answer(ApiResult.ORDER_NOT_EXIST);
            }
            SandboxPayment payment = found.get();
            Instant now = clock.now();
            if (payment.status != PaymentStatus.CANCELLED) {
                Optional<String> refusal = cancelRefusal(payment, now);
                if (refusal.isPresent()) {
                    ApiResult result = payment.status == PaymentStatus.FAIL
                            ? ApiResult.ORDER_IS_CLOSED : ApiResult.f("CANCEL_WINDOW_EXCEED", refusal.get());
                    return identify(answer(result), payment);
                }
                // Cancelling a paid payment returns the money to the buyer.
                payment.status = PaymentStatus.CANCELLED;
                payment.cancelTime = now;
                payment.cancelId = payments.newId("1940108001002886", now);
                payments.save(payment);
            }
            ObjectNode response = identify(answer(ApiResult.SUCCESS), payment);
            response.put("cancelTime", SandboxClock.format(payment.cancelTime));
            return response;
        }
    }

    /** Why this payment may not be cancelled now (empty = it may). */
    private Optional<String> cancelRefusal(SandboxPayment payment, Instant now) {
        if (payment.status == PaymentStatus.FAIL) {
            return Optional.of("The order is closed.");
        }
        if (!payment.refunds.isEmpty()) {
            return Optional.of("The payment is refunded in part or in full; refund the rest instead.");
        }
        return switch (payment.method.cancelPolicy()) {
            case NOT_ALLOWED -> Optional.of(payment.method.type() + " payments cannot be cancelled.");
            case CARD_SEVEN_DAYS -> {
                if (payment.capture != null) {
                    yield Optional.of("The payment is captured; refund it instead.");
                }
                if (payment.paymentTime != null && now.isAfter(payment.paymentTime.plus(CARD_WINDOW))) {
                    yield Optional.of("Card payments can be cancelled up to 7 days after they are paid.");
                }
                yield Optional.empty();
            }
            case UNTIL_0015_NEXT_DAY -> {
                Instant deadline = OffsetDateTime.ofInstant(payment.createTime, SandboxClock.ANTOM_ZONE)
                        .toLocalDate().plusDays(1).atTime(0, 15).atOffset(SandboxClock.ANTOM_ZONE).toInstant();
                yield now.isAfter(deadline)
                        ? Optional.of("The cancellation window ended at 00:15 (UTC+8) on the day after the payment.")
                        : Optional.empty();
            }
        };
    }

    // ---- capture ----------------------------------------------------------------------------------------

    private ObjectNode capture(JsonNode request) {
        String captureRequestId = Json.text(request, "captureRequestId");
        String paymentId = Json.text(request, "paymentId");
        String currency = Json.text(request, "captureAmount.currency");
        String value = Json.text(request, "captureAmount.value");
        if (captureRequestId == null || paymentId == null || currency == null || !isMinorAmount(value)) {
            return answer(ApiResult.paramIllegal("captureRequestId, paymentId and captureAmount are required"));
        }
        synchronized (payments) {
            for (SandboxPayment other : payments.all()) {
                if (other.capture != null && other.capture.captureRequestId().equals(captureRequestId)) {
                    if (!other.paymentId.equals(paymentId) || !other.capture.currency().equals(currency)
                            || !other.capture.value().equals(value)) {
                        return captureIds(answer(ApiResult.REPEAT_REQ_INCONSISTENT), captureRequestId, paymentId);
                    }
                    return captureAnswer(other);
                }
            }
            Optional<SandboxPayment> found = payments.byPaymentId(paymentId);
            if (found.isEmpty()) {
                return captureIds(answer(ApiResult.ORDER_NOT_EXIST), captureRequestId, paymentId);
            }
            SandboxPayment payment = found.get();
            ApiResult refusal = captureRefusal(payment, currency, value);
            if (refusal != null) {
                return captureIds(answer(refusal), captureRequestId, paymentId);
            }
            Instant now = clock.now();
            payment.capture = new SandboxPayment.Capture(captureRequestId, payments.newId("1940108001003886", now),
                    currency, value, now, false);
            payments.save(payment);
            lifecycle.notifyCapture(payment, ApiResult.SUCCESS);
            return captureAnswer(payment);
        }
    }

    private ApiResult captureRefusal(SandboxPayment payment, String currency, String value) {
        if (!payment.isCard()) {
            return ApiResult.f("ORDER_STATUS_INVALID", "Only card payments are captured.");
        }
        if (payment.capture != null) {
            return ApiResult.f("MULTI_CAPTURE_NOT_SUPPORTED", payment.capture.automatic()
                    ? "The payment was captured automatically (captureMode AUTOMATIC)."
                    : "The payment is already captured.");
        }
        if (payment.status != PaymentStatus.SUCCESS) {
            return ApiResult.f("ORDER_STATUS_INVALID", "The payment is not authorised (status " + payment.status + ").");
        }
        if (clock.now().isAfter(payment.authExpiryTime())) {
            return ApiResult.f("ORDER_IS_CLOSED", "The authorisation expired 7 days after it was granted.");
        }
        if (!payment.currency.equals(currency) || Long.parseLong(value) > Long.parseLong(payment.value)) {
            return ApiResult.f("CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT", "The capture amount exceeds the authorised amount.");
        }
        if (!payment.value.equals(value)) {
            return ApiResult.paramIllegal("Partial capture is not supported: captureAmount must equal the authorised "
                    + "amount.");
        }
        return null;
    }

    private static ObjectNode captureIds(ObjectNode response, String captureRequestId, String paymentId) {
        response.put("captureRequestId", captureRequestId);
        response.put("paymentId", paymentId);
        return response;
    }

    private static ObjectNode captureAnswer(SandboxPayment payment) {
        SandboxPayment.Capture capture = payment.capture;
        ObjectNode response = captureIds(answer(ApiResult.SUCCESS), capture.captureRequestId(), payment.paymentId);
        response.put("captureId", capture.captureId());
        response.set("captureAmount", Json.amount(capture.currency(), capture.value()));
        response.put("captureTime", SandboxClock.format(capture.time()));
        response.put("acquirerReferenceNo", "ARN" + capture.captureId().substring(8));
        return response;
    }

    // ---- refund -----------------------------------------------------------------------------------------

    private ObjectNode refund(JsonNode request) {
        String refundRequestId = Json.text(request, "refundRequestId");
        String paymentId = Json.text(request, "paymentId");
        String currency = Json.text(request, "refundAmount.currency");
        String value = Json.text(request, "refundAmount.value");
        if (refundRequestId == null || paymentId == null || currency == null || !isMinorAmount(value)) {
            return answer(ApiResult.paramIllegal("refundRequestId, paymentId and refundAmount are required"));
        }
        synchronized (payments) {
            for (SandboxPayment other : payments.all()) {
                for (SandboxPayment.Refund refund : other.refunds) {
                    if (refund.refundRequestId().equals(refundRequestId)) {
                        if (!other.paymentId.equals(paymentId) || !refund.currency().equals(currency)
                                || !refund.value().equals(value)) {
                            ObjectNode response = answer(ApiResult.REPEAT_REQ_INCONSISTENT);
                            response.put("refundRequestId", refundRequestId);
                            return response;
                        }
                        return refundAnswer(other, refund);
                    }
                }
            }
            Optional<SandboxPayment> found = payments.byPaymentId(paymentId);
            if (found.isEmpty()) {
                return answer(ApiResult.ORDER_NOT_EXIST);
            }
            SandboxPayment payment = found.get();
            Instant now = clock.now();
            Optional<ApiResult> refusal = refundRefusal(payment, currency, value, now);
            if (refusal.isPresent()) {
                ObjectNode response = answer(refusal.get());
                response.put("refundRequestId", refundRequestId);
                return response;
            }
            SandboxPayment.Refund refund = new SandboxPayment.Refund(refundRequestId,
                    payments.newId("1940108001004886", now), currency, value, now);
            payment.refunds.add(refund);
            payments.save(payment);
            // refunds here are synchronous: S means refunded, and notifyRefund says so too (to refundNotifyUrl)
            String notifyUrl = Json.text(request, "refundNotifyUrl");
            lifecycle.notifyRefund(payment, refund, notifyUrl != null ? notifyUrl : payment.notifyUrl);
            return refundAnswer(payment, refund);
        }
    }

    /**
     * Why this refund is refused (empty = it is not): the payment must be paid (cards: captured), then the method's
     * rules (refunds at all, partial refunds, the window after payment), then the total never above the payment.
     */
    private static Optional<ApiResult> refundRefusal(SandboxPayment payment, String currency, String value,
                                                     Instant now) {
        if (payment.status != PaymentStatus.SUCCESS || (payment.isCard() && payment.capture == null)) {
            return Optional.of(ApiResult.f("ORDER_STATUS_INVALID", payment.isCard() && payment.capture == null
                    && payment.status == PaymentStatus.SUCCESS
                    ? "The authorisation is not captured; cancel it instead." : "The payment is not successful."));
        }
        PaymentMethodProfile.RefundPolicy policy = payment.method.refundPolicy();
        if (!policy.supported()) {
            return Optional.of(ApiResult.f("REFUND_NOT_SUPPORTED", payment.method.type()
                    + " payments cannot be refunded."));
        }
        if (now.isAfter(payment.paymentTime.plus(policy.window()))) {
            return Optional.of(ApiResult.f("REFUND_WINDOW_EXCEED", payment.method.type() + " payments can be refunded"
                    + " up to " + policy.window().toDays() + " days after they are paid."));
        }
        if (!payment.currency.equals(currency)
                || Long.parseLong(value) > Long.parseLong(payment.value) - payment.refundedMinor()) {
            return Optional.of(ApiResult.f("REFUND_AMOUNT_EXCEED",
                    "The total refund amount exceeds the payment amount."));
        }
        if (!policy.partial() && !payment.value.equals(value)) {
            return Optional.of(ApiResult.f("PARTIAL_REFUND_NOT_SUPPORTED", payment.method.type()
                    + " payments are refunded in full only."));
        }
        return Optional.empty();
    }

    // ---- inquiryRefund ----------------------------------------------------------------------------------

    /** refundId wins over refundRequestId; a refund the sandbox never made is F ORDER_NOT_EXIST. */
    private ObjectNode inquiryRefund(JsonNode request) {
        String refundId = Json.text(request, "refundId");
        String refundRequestId = Json.text(request, "refundRequestId");
        if (refundId == null && refundRequestId == null) {
            return answer(ApiResult.paramIllegal("refundId or refundRequestId is required"));
        }
        synchronized (payments) {
            Optional<SandboxPayment.Refund> found = payments.refund(refundId, refundRequestId);
            if (found.isEmpty()) {
                return answer(ApiResult.ORDER_NOT_EXIST);
            }
            SandboxPayment.Refund refund = found.get();
            ObjectNode response = answer(ApiResult.SUCCESS);
            response.put("refundId", refund.refundId());
            response.put("refundRequestId", refund.refundRequestId());
            response.set("refundAmount", Json.amount(refund.currency(), refund.value()));
            response.put("refundStatus", "SUCCESS");
            response.put("refundTime", SandboxClock.format(refund.time()));
            return response;
        }
    }

    private static ObjectNode refundAnswer(SandboxPayment payment, SandboxPayment.Refund refund) {
        ObjectNode response = answer(ApiResult.SUCCESS);
        response.put("refundRequestId", refund.refundRequestId());
        response.put("refundId", refund.refundId());
        response.put("paymentId", payment.paymentId);
        response.set("refundAmount", Json.amount(refund.currency(), refund.value()));
        response.put("refundTime", SandboxClock.format(refund.time()));
        return response;
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    static ObjectNode answer(ApiResult result) {
        ObjectNode response = Json.object();
        response.set("result", result.toJson());
        return response;
    }

    private static ObjectNode paymentAnswer(ApiResult result, SandboxPayment payment) {
        ObjectNode response = identify(answer(result), payment);
        response.set("paymentAmount", payment.amountJson());
        response.put("paymentCreateTime", SandboxClock.format(payment.createTime));
        return response;
    }

    private static ObjectNode identify(ObjectNode response, SandboxPayment payment) {
        response.put("paymentRequestId", payment.paymentRequestId);
        response.put("paymentId", payment.paymentId);
        return response;
    }

    private static ObjectNode withRequestId(ObjectNode response, JsonNode request) {
        String id = Json.text(request, "paymentRequestId");
        if (id != null) {
            response.put("paymentRequestId", id);
        }
        return response;
    }

    private static boolean isMinorAmount(String value) {
        return value != null && value.matches("[0-9]{1,18}") && Long.parseLong(value) > 0;
    }
}
