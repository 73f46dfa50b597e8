package com.checkoutroutes.orderintake;

import com.checkoutroutes.gateway.AntomSettings;
import com.checkoutroutes.keyordered.KeyOrderedLanes;
import com.checkoutroutes.reconciliation.JanitorSettings;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The lanes of the order route (routes/orders.yaml): {@code key-ordered:orderLanes} runs up to
 * {@code checkout.orders.max-in-flight} orders at once, one at a time per orderId, and its {@code pausable} step
 * commits and pauses the consumers. Each order in flight holds one Antom connection while it waits for the answer, so
 * the HTTP pool ({@code checkout.antom.max-connections}) must be at least that large: start-up stops otherwise.
 */
@Configuration(proxyBeanMethods = false)
public class OrderLanesConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(OrderLanesConfiguration.class);

    @Bean
    KeyOrderedLanes orderLanes(OrderIntakeSettings settings, AntomSettings antom, JanitorSettings janitor) {
        int maxInFlight = settings.orders().maxInFlight();
        int inFlight = settings.orders().inFlight();
        if (antom.maxConnections() < inFlight) {
            throw new IllegalStateException("checkout.antom.max-connections (" + antom.maxConnections()
                    + ") is below the orders that can wait for Antom at once (" + inFlight + ", checkout.orders."
                    + (maxInFlight <= 1 ? "consumers" : "max-in-flight") + "): raise it, or orders queue for a "
                    + "connection and time out");
        }
        if (antom.maxConnections() < inFlight + janitor.concurrency() + 8) {
            LOG.warn("checkout.antom.max-connections ({}) leaves fewer than 8 connections beside the {} orders in "
                    + "flight and the janitor's {} looks (checkout.janitor.concurrency) for captures, cancels and "
                    + "inquiries", antom.maxConnections(), inFlight, janitor.concurrency());
        }
        return new KeyOrderedLanes("orderLanes");
    }

    /** The pausable step's check: the order consumers take records while the lanes have room. */
    @Bean
    Predicate<Object> orderLanesHaveRoom(KeyOrderedLanes orderLanes) {
        return ignored -> orderLanes.hasRoom();
    }
}
