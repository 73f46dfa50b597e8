package com.checkoutroutes.doors;

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
    FilterRegistrationBean<DoorLimits> doorLimits(DoorSettings settings) {
        FilterRegistrationBean<DoorLimits> registration = new FilterRegistrationBean<>(new DoorLimits(settings));
        registration.setOrder(ORDER);
        registration.addUrlPatterns("/*");
        return registration;
    }

    /** Picked up by Spring Boot for {@code applicationTaskExecutor}, where platform-http runs the doors' routes. */
    @Bean
    DoorWork doorWork() {
        return new DoorWork();
    }
}
