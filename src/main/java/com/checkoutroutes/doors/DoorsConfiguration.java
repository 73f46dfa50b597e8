package com.checkoutroutes.doors;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Puts {@link DoorLimits} in front of every HTTP request. */
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
}
