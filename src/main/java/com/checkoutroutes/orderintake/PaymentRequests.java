package com.checkoutroutes.orderintake;

import com.alibaba.fastjson.JSON;
import com.alipay.global.api.model.ams.Amount;
import com.alipay.global.api.model.ams.Buyer;
import com.alipay.global.api.model.ams.Env;
import com.alipay.global.api.model.ams.Order;
import com.alipay.global.api.model.ams.OsType;
import com.alipay.global.api.model.ams.PaymentFactor;
import com.alipay.global.api.model.ams.PaymentMethod;
import com.alipay.global.api.model.ams.ProductCodeType;
import com.alipay.global.api.model.ams.SettlementStrategy;
import com.alipay.global.api.model.ams.TerminalType;
import com.alipay.global.api.request.AlipayRequest;
import com.alipay.global.api.request.ams.pay.AlipayCheckoutPaymentSessionRequest;
import com.alipay.global.api.request.ams.pay.AlipayPayConsultRequest;
import com.alipay.global.api.request.ams.pay.AlipayPayRequest;
import com.checkoutroutes.gateway.AntomSettings;
import com.checkoutroutes.ledger.PaymentAttempt.Integration;
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.orderintake.OrderMessage;
import com.checkoutroutes.platform.AntomTime;
import java.util.List;
import org.springframework.stereotype.Component;

/** Builds Antom's requests (the SDK's classes) from an order, per the Checkout Payment docs. */
@Component
public class PaymentRequests {

    private final AntomSettings settings;

    public PaymentRequests(AntomSettings settings) {
        this.settings = settings;
    }

    /** {@code pay} (API integration) or {@code createPaymentSession} (SDK integration) for one attempt. */
    public AlipayRequest<?> paymentRequest(OrderMessage order, String paymentRequestId) {
        return order.integration() == Integration.SDK ? session(order, paymentRequestId) : pay(order, paymentRequestId);
    }

    public AlipayPayRequest pay(OrderMessage order, String paymentRequestId) {
        AlipayPayRequest pay = new AlipayPayRequest();
        pay.setProductCode(ProductCodeType.CASHIER_PAYMENT);
        pay.setPaymentRequestId(paymentRequestId);
        pay.setOrder(order(order));
        pay.setPaymentAmount(amount(order));
        pay.setPaymentMethod(method(order));
        pay.setPaymentFactor(factor(order));
        pay.setEnv(env(order));
        pay.setPaymentRedirectUrl(order.resultPageUrl());
        pay.setPaymentNotifyUrl(settings.notifyUrl());
        pay.setPaymentExpiryTime(antomExpiry(order));
        pay.setSettlementStrategy(settlement(order));
        return pay;
    }

    /**
     * The order's expiry in Antom's format (whole seconds, a numeric offset): the order may write any ISO-8601 time
     * with an offset ({@code Z}, fractions of a second), which Antom's examples never show.
     */
    private static String antomExpiry(OrderMessage order) {
        return AntomTime.reformat(order.paymentExpiryTime());
    }

    public AlipayCheckoutPaymentSessionRequest session(OrderMessage order, String paymentRequestId) {
        AlipayCheckoutPaymentSessionRequest session = new AlipayCheckoutPaymentSessionRequest();
        session.setProductCode(ProductCodeType.CASHIER_PAYMENT);
        session.setPaymentRequestId(paymentRequestId);
        session.setOrder(order(order));
        session.setPaymentAmount(amount(order));
        session.setPaymentMethod(method(order));
        session.setPaymentFactor(factor(order));
        session.setEnv(env(order));
        session.setPaymentRedirectUrl(order.resultPageUrl());
        session.setPaymentNotifyUrl(settings.notifyUrl());
        session.setPaymentSessionExpiryTime(antomExpiry(order));
        session.setSettlementStrategy(settlement(order));
        return session;
    }

    public AlipayPayConsultRequest consult(OrderMessage order) {
        AlipayPayConsultRequest consult = new AlipayPayConsultRequest();
        consult.setProductCode(ProductCodeType.CASHIER_PAYMENT);
        consult.setPaymentAmount(amount(order));
        consult.setEnv(env(order));
        consult.setSettlementStrategy(settlement(order));
        if (order.paymentMethodType() != null) {
            consult.setAllowedPaymentMethods(List.of(order.paymentMethodType()));
        }
        return consult;
    }

    /** The request an attempt was first sent with, read back from the ledger so a retry sends identical bytes. */
    /** The Antom API an attempt of this integration calls: {@code pay} (APIs only) or {@code createPaymentSession}. */
    static String apiOf(Integration integration) {
        return integration == Integration.SDK ? "createPaymentSession" : "pay";
    }

    public AlipayRequest<?> storedRequest(PaymentAttempt attempt) {
        Class<? extends AlipayRequest<?>> type = attempt.integration() == Integration.SDK
                ? AlipayCheckoutPaymentSessionRequest.class : AlipayPayRequest.class;
        return JSON.parseObject(attempt.requestJson(), type);
    }

    private static Order order(OrderMessage order) {
        Order antomOrder = new Order();
        antomOrder.setReferenceOrderId(order.orderId());
        antomOrder.setOrderDescription(order.description());
        antomOrder.setOrderAmount(amount(order));
        if (order.buyer() != null && order.buyer().referenceBuyerId() != null) {
            Buyer buyer = new Buyer();
            buyer.setReferenceBuyerId(order.buyer().referenceBuyerId());
            antomOrder.setBuyer(buyer);
        }
        return antomOrder;
    }

    private static Amount amount(OrderMessage order) {
        Amount amount = new Amount();
        amount.setCurrency(order.amount().currency());
        amount.setValue(order.amount().value());
        return amount;
    }

    private static PaymentMethod method(OrderMessage order) {
        PaymentMethod method = new PaymentMethod();
        method.setPaymentMethodType(order.paymentMethodType());
        return method;
    }

    /** Cards: captureMode, and isAuthorization for manual capture (authorise now, capture later). */
    private static PaymentFactor factor(OrderMessage order) {
        if (!order.isCard()) {
            return null;
        }
        PaymentFactor factor = new PaymentFactor();
        factor.setCaptureMode(order.effectiveCaptureMode());
        if ("MANUAL".equals(order.effectiveCaptureMode())) {
            factor.setIsAuthorization(Boolean.TRUE);
        }
        return factor;
    }

    private static Env env(OrderMessage order) {
        Env env = new Env();
        env.setTerminalType(TerminalType.valueOf(order.channel().terminalType()));
        if (order.channel().osType() != null) {
            env.setOsType(OsType.valueOf(order.channel().osType()));
        }
        env.setClientIp(order.channel().clientIp());
        return env;
    }

    private static SettlementStrategy settlement(OrderMessage order) {
        if (order.settlementCurrency() == null) {
            return null;
        }
        SettlementStrategy strategy = new SettlementStrategy();
        strategy.setSettlementCurrency(order.settlementCurrency());
        return strategy;
    }
}
