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
 * shipped: on one shared port the doors' own limits apply to everything.
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
}
