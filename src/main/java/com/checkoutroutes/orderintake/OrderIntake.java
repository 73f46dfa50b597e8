package com.checkoutroutes.orderintake;

import com.checkoutroutes.deadletter.DeadLetters;
import com.checkoutroutes.deadletter.RejectedOrderException;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/** The steps of the order route that touch the message: read it, then start its payment. */
@Component
public class OrderIntake {

    private final OrderReader reader;
    private final PaymentStarter starter;
    private final MeterRegistry meters;

    public OrderIntake(OrderReader reader, PaymentStarter starter, MeterRegistry meters) {
        this.reader = reader;
        this.starter = starter;
        this.meters = meters;
    }

    /** Raw bytes → a checked order (or {@link RejectedOrderException}); the raw bytes are kept for a dead letter. */
    public OrderMessage read(Exchange exchange) {
        meters.counter("checkout.orders.received").increment();
        byte[] raw = DeadLetters.keepRaw(exchange, (code, message) -> new RejectedOrderException(code, null, message));
        OrderMessage order = reader.read(raw);
        exchange.setProperty("checkoutOrderId", order.orderId());
        return order;
    }

    public void startPayment(OrderMessage order) {
        MDC.put("orderId", order.orderId());
        try {
            starter.start(order);
        } finally {
            MDC.remove("orderId");
        }
    }
}
