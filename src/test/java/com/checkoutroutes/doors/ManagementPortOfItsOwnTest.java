package com.checkoutroutes.doors;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/** The console and the actuator never share the doors' port: start-up stops, saying why. */
class ManagementPortOfItsOwnTest {

    @Test
    void oneSharedPortStopsStartUp() {
        new WebApplicationContextRunner()
                .withPropertyValues("server.port=8080", "management.server.port=8080")
                .withUserConfiguration(ManagementDoorsConfiguration.class)
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .hasMessageStartingWith("management.server.port must be a port of its own");
                });
    }
}
