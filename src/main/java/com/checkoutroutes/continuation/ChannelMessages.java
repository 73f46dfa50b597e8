package com.checkoutroutes.continuation;

import com.alipay.global.api.response.ams.pay.AlipayPayConsultResponse;
import com.alipay.global.api.response.ams.pay.AlipayPayResponse;
import com.alipay.global.api.response.ams.pay.AlipayPaymentSessionResponse;
import com.checkoutroutes.continuation.ChannelMessage.Action;
import com.checkoutroutes.continuation.ChannelMessage.PaymentOption;
import com.checkoutroutes.continuation.ChannelMessage.Result;
import com.checkoutroutes.continuation.ChannelMessage.SdkSession;
import com.checkoutroutes.ledger.OutboxMessage;
import com.checkoutroutes.ledger.OutboxSettings;
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.platform.AntomTime;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.stereotype.Component;

/** Builds the messages that go back to the buyer's channel, as outbox entries for the continuation route. */
@Component
public class ChannelMessages {

    private final ObjectMapper json;
    private final String destination;

    public ChannelMessages(ObjectMapper json, OutboxSettings outbox) {
        this.json = json;
        this.destination = outbox.continuationsDestination();
    }

    public OutboxMessage redirect(PaymentAttempt attempt, AlipayPayResponse response) {
        ContinuationPicker.Picked picked = ContinuationPicker.pick(response, attempt.terminalType(), attempt.osType());
        String expiry = picked.qrCode() != null && picked.qrCode().expiresAt() != null
                ? picked.qrCode().expiresAt() : iso(attempt.expiresAt());
        return message(attempt, Action.REDIRECT, response.getPaymentId(), picked.link(), picked.fallbacks(),
                response.getAppIdentifier(), picked.qrCode(), null, null, expiry);
    }

    /** For Antom's client SDK; with the session's page (normalUrl) as the link when Antom gives one. */
    public OutboxMessage sdkSession(PaymentAttempt attempt, AlipayPaymentSessionResponse response) {
        ChannelMessage.Link page = response.getNormalUrl() == null || response.getNormalUrl().isBlank() ? null
                : new ChannelMessage.Link("normalUrl", response.getNormalUrl(),
                        ContinuationPicker.pageOpenedWith(attempt.terminalType()));
        return message(attempt, Action.SDK_SESSION, null, page, null, null, null,
                new SdkSession(response.getPaymentSessionData(), response.getPaymentSessionId(),
                        AntomTime.reformat(response.getPaymentSessionExpiryTime())),
                null, response.getPaymentSessionExpiryTime() != null
                        ? AntomTime.reformat(response.getPaymentSessionExpiryTime()) : iso(attempt.expiresAt()));
    }

    public OutboxMessage outcome(PaymentAttempt attempt, Action action, String paymentId, String code, String text) {
        ChannelMessage message = new ChannelMessage(ChannelMessage.TYPE, action.name(), attempt.orderId(),
                attempt.attemptNo(), attempt.paymentRequestId(), paymentId, attempt.terminalType(), attempt.osType(),
                attempt.integration().name(), null, null, null, null, null, null,
                code == null ? null : new Result(code, text), iso(attempt.expiresAt()));
        return new OutboxMessage(destination, attempt.orderId(), write(message));
    }

    /** The methods Antom offers for this order (consult), for a channel whose order named none. */
    public OutboxMessage chooseMethod(Recipient order, AlipayPayConsultResponse response) {
        List<PaymentOption> options = response.getPaymentOptions() == null ? List.of()
                : response.getPaymentOptions().stream()
                        .map(o -> new PaymentOption(o.getPaymentMethodType(), o.isEnabled(),
                                o.getPaymentMethodCategory() == null ? null : o.getPaymentMethodCategory().name()))
                        .toList();
        ChannelMessage message = new ChannelMessage(ChannelMessage.TYPE, Action.CHOOSE_METHOD.name(), order.orderId(),
                order.attemptNo(), null, null, order.terminalType(), order.osType(), order.integration(), null, null,
                null, null, null, options, null, null);
        return new OutboxMessage(destination, order.orderId(), write(message));
    }

    public OutboxMessage consultFailed(Recipient order, String code, String text) {
        ChannelMessage message = new ChannelMessage(ChannelMessage.TYPE, Action.FAILED.name(), order.orderId(),
                order.attemptNo(), null, null, order.terminalType(), order.osType(), order.integration(), null, null,
                null, null, null, null, new Result(code, text), null);
        return new OutboxMessage(destination, order.orderId(), write(message));
    }

    private OutboxMessage message(PaymentAttempt attempt, Action action, String paymentId, ChannelMessage.Link link,
            List<ChannelMessage.Link> fallbacks, String appIdentifier, ChannelMessage.QrCode qr, SdkSession session,
            Result result, String expiresAt) {
        ChannelMessage message = new ChannelMessage(ChannelMessage.TYPE, action.name(), attempt.orderId(),
                attempt.attemptNo(), attempt.paymentRequestId(), paymentId, attempt.terminalType(), attempt.osType(),
                attempt.integration().name(), link, fallbacks, appIdentifier, qr, session, null, result, expiresAt);
        return new OutboxMessage(destination, attempt.orderId(), write(message));
    }

    private String write(ChannelMessage message) {
        try {
            return json.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String iso(OffsetDateTime time) {
        return AntomTime.format(time);
    }
}
