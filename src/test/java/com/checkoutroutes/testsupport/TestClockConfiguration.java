package com.checkoutroutes.testsupport;

import org.springframework.context.annotation.Bean;

/** Imported by the flow tests (no annotation: the local run's component scan must not pick it up). */
public class TestClockConfiguration {

    @Bean
    MutableClock clock() {
        return new MutableClock();
    }
}
