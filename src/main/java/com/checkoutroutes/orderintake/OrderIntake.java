package com.checkoutroutes.orderintake;

import com.checkoutroutes.deadletter.DeadLetters;
import com.checkoutroutes.deadletter.RejectedOrderException;
import com.checkoutroutes.ledger.PaymentLedger;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/** The steps of the order route that touch the message: read it, then start its payment. */
@Component
public class OrderIntake {

    private final OrderReader reader;
    private final PaymentStarter starter;
    private final MeterRegistry meters;
    private final PaymentLedger ledger;

    public OrderIntake(OrderReader reader, PaymentStarter starter, MeterRegistry meters, PaymentLedger ledger) {
        this.ledger = ledger;
        this.reader = reader;
        this.starter = starter;
        this.meters = meters;
    }

    /** Raw bytes → a checked order (or {@link RejectedOrderException}); the raw bytes are kept for a dead letter. */
    public OrderMessage read(Exchange exchange) {
        meters.counter("checkout.orders.received").increment();
        byte[] raw = DeadLetters.keepRaw(exchange, (code, message) -> new RejectedOrderException(code, null, message));
        // an order read again (a restart, a rebalance) is its stored attempt, whatever the clock says of its expiry now
        OrderMessage order = reader.read(raw, read -> ledger.attemptOf(read.orderId(), read.attemptNo()).isPresent());
        exchange.setProperty("checkoutOrderId", order.orderId());
        refuseOtherKey(exchange.getMessage().getHeader(KafkaConstants.KEY), order);
        return order;
    }

    /**
     * An order's record is keyed by its orderId: its lane is the key's, and Kafka's partition is the key's, so a record
     * keyed otherwise (or not at all) could run beside another attempt of its order, on another lane or partition.
     */
    private static void refuseOtherKey(Object key, OrderMessage order) {
        if (!order.orderId().equals(key)) {
            throw new RejectedOrderException("KEY_MISMATCH", "$.orderId", (key == null ? "the record has no key"
                    : "the record's key is not its orderId") + ": publish each order keyed by its orderId");
        }
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
