package com.checkoutroutes.orderintake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.checkoutroutes.gateway.AntomSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The Antom pool against the orders in flight and the janitor's looks: too small stops start-up, tight warns. */
@ExtendWith(OutputCaptureExtension.class)
class OrderLanesConfigurationTest {

    @Test
    void theShippedSizesLeaveEnough(CapturedOutput output) {
        lanes(552, 512, 8);
        assertThat(output).doesNotContain("checkout.antom.max-connections");
    }

    @Test
    void aPoolThatLeavesTooLittleBesideTheJanitorIsNamed(CapturedOutput output) {
        lanes(545, 512, 8); // enough beside the orders alone, not beside the janitor's looks too
        assertThat(output).contains("checkout.antom.max-connections (545) leaves fewer than 29 connections beside "
                + "the 512 orders in flight and the janitor's 8 looks");
    }

    @Test
    void aPoolBelowTheOrdersInFlightStopsStartUp() {
        assertThatThrownBy(() -> lanes(500, 512, 8)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("checkout.antom.max-connections (500) is below");
    }

    private static void lanes(int maxConnections, int inFlight, int janitorLooks) {
        AntomSettings antom = mock(AntomSettings.class);
        when(antom.maxConnections()).thenReturn(maxConnections);
        OrderIntakeSettings settings = mock(OrderIntakeSettings.class);
        OrderIntakeSettings.Orders orders = mock(OrderIntakeSettings.Orders.class);
        when(settings.orders()).thenReturn(orders);
        when(orders.inFlight()).thenReturn(inFlight);
        when(orders.maxInFlight()).thenReturn(inFlight);
        new OrderLanesConfiguration().orderLanes(settings, antom, janitorLooks);
    }
}
