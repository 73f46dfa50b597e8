package com.checkoutroutes.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MachineSpeedTest {

    @Test
    void countsSignaturesForTheTimeGiven() {
        long start = System.nanoTime();
        double perSecond = MachineSpeed.rsaSignsPerSecond(100);
        long tookMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(perSecond).isPositive();
        assertThat(tookMs).as("the key is read once, then it signs for about 100 ms").isLessThan(5_000);
    }
}
