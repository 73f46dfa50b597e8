package com.checkoutroutes.orderintake;

import com.checkoutroutes.gateway.AntomSettings;
import com.checkoutroutes.keyordered.KeyOrderedLanes;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The lanes of the order route (routes/orders.yaml): {@code key-ordered:orderLanes} runs up to
 * {@code checkout.orders.max-in-flight} orders at once, one at a time per orderId, and its {@code pausable} step
 * commits and pauses the consumers. Each order in flight holds one Antom connection while it waits for the answer, so
 * the HTTP pool ({@code checkout.antom.max-connections}) must be at least that large: start-up stops otherwise. It
 * warns when the pool leaves fewer than 29 connections beside the orders and the janitor's looks
 * ({@code checkout.janitor.concurrency}, read by name: the janitor is a flow of its own): one for each other caller
 * that may be in an Antom call at that moment (the order events' 3 consumers, the shipment checks' and duplicates' 1
 * each, the operator door's 8 places and the console's 16). A capture or cancel finding none would wait, and end
 * unknown without having left, at full load.
 */
@Configuration(proxyBeanMethods = false)
public class OrderLanesConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(OrderLanesConfiguration.class);
    static final int SPARE = 29;

    @Bean
    KeyOrderedLanes orderLanes(OrderIntakeSettings settings, AntomSettings antom,
            @Value("${checkout.janitor.concurrency}") int janitorLooks) {
        int maxInFlight = settings.orders().maxInFlight();
        int inFlight = settings.orders().inFlight();
        if (antom.maxConnections() < inFlight) {
            throw new IllegalStateException("checkout.antom.max-connections (" + antom.maxConnections()
                    + ") is below the orders that can wait for Antom at once (" + inFlight + ", checkout.orders."
                    + (maxInFlight <= 1 ? "consumers" : "max-in-flight") + "): raise it, or orders queue for a "
                    + "connection and time out");
        }
        if (antom.maxConnections() < inFlight + janitorLooks + SPARE) {
            LOG.warn("checkout.antom.max-connections ({}) leaves fewer than {} connections beside the {} orders in "
                    + "flight and the janitor's {} looks (checkout.janitor.concurrency) for the other callers of Antom "
                    + "(order events, shipment checks, duplicates, the operator door, the console)",
                    antom.maxConnections(), SPARE, inFlight, janitorLooks);
        }
        return new KeyOrderedLanes("orderLanes");
    }

    /** The pausable step's check: the order consumers take records while the lanes have room. */
    @Bean
    Predicate<Object> orderLanesHaveRoom(KeyOrderedLanes orderLanes) {
        return ignored -> orderLanes.hasRoom();
    }
}
