package com.checkoutroutes.doors;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.task.ThreadPoolTaskExecutorCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Puts {@link DoorLimits} in front of every HTTP request, and keeps a request's place while its route runs. */
@Configuration(proxyBeanMethods = false)
public class DoorsConfiguration {

    /**
     * Just after Spring Security's filter chain (order -100), so a caller without credentials is refused before
     * its body is read, and before everything else.
     */
    static final int ORDER = -99;

    @Bean
    FilterRegistrationBean<DoorLimits> doorLimits(DoorSettings settings, ObjectProvider<MeterRegistry> meters) {
        return registered(new DoorLimits(settings), ORDER, meters);
    }

    /** A port's doors in front of every request to it, at {@code order}, with their gauges. */
    static FilterRegistrationBean<DoorLimits> registered(DoorLimits limits, int order,
            ObjectProvider<MeterRegistry> meters) {
        meters.ifAvailable(limits::bindTo);
        FilterRegistrationBean<DoorLimits> registration = new FilterRegistrationBean<>(limits);
        registration.setOrder(order);
        registration.addUrlPatterns("/*");
        return registration;
    }

    /** Picked up by Spring Boot for {@code applicationTaskExecutor}, where platform-http runs the doors' routes. */
    @Bean
    DoorWork doorWork() {
        return new DoorWork();
    }

    /** A route the executor refuses (a bounded queue full) gives its request's place back. */
    @Bean
    ThreadPoolTaskExecutorCustomizer doorPlacesOfRefusedWork() {
        return executor -> executor.setRejectedExecutionHandler(DoorWork.releasingOnRejection());
    }
}
