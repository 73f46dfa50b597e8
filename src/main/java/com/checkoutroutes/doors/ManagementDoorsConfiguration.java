package com.checkoutroutes.doors;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.web.server.ConditionalOnManagementPort;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * Puts {@link DoorLimits#managementPort} in front of every request to the management server (the console, the
 * actuator, the probes), before Spring Security: its CSRF check reads a console form's body, which is then read
 * already, bounded in size and in time, so a form trickled a byte at a time holds a thread for the body-timeout at
 * most and the probes keep places of their own. Listed in META-INF/spring/...ManagementContextConfiguration.imports
 * (no stereotype: the component scan leaves it out); only when the management server has a port of its own, as
 * shipped: one shared port stops start-up ({@link #managementPortOfItsOwn}).
 */
public class ManagementDoorsConfiguration {

    /** Before Spring Security's filter chain (order -100). */
    static final int ORDER = -101;

    @Bean
    @ConditionalOnManagementPort(ManagementPortType.DIFFERENT)
    FilterRegistrationBean<DoorLimits> managementDoorLimits(DoorSettings settings,
            ObjectProvider<MeterRegistry> meters) {
        return DoorsConfiguration.registered(DoorLimits.managementPort(settings), ORDER, meters);
    }

    /**
     * One shared port ({@code management.server.port} unset or equal to {@code server.port}) stops start-up: the
     * console's sign-in form would face the internet, and be read by Spring Security's CSRF check before any door
     * bounds it in time (a form trickled a byte at a time holds a thread, five seconds a byte). The shipped
     * {@code management.server.address} stops it too (Spring Boot's own check); this says why to one who removed it.
     */
    @Bean
    @ConditionalOnManagementPort(ManagementPortType.SAME)
    Object managementPortOfItsOwn() {
        throw new IllegalStateException("management.server.port must be a port of its own (CHECKOUT_MANAGEMENT_PORT, "
                + "8081 as shipped), not server.port's: the console and the actuator are not served on the doors' "
                + "port");
    }
}
