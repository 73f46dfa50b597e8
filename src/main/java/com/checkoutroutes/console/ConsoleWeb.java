package com.checkoutroutes.console;

import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.function.support.HandlerFunctionAdapter;
import org.springframework.web.servlet.function.support.RouterFunctionMapping;

/**
 * Puts the console's pages on the management server (port 8081, loopback unless told otherwise: README "The
 * operator console"), beside the actuator and never on the doors' port. Listed in
 * META-INF/spring/...ManagementContextConfiguration.imports, so Spring Boot adds it to the management context only
 * (or to the one context when both share a port); deliberately no stereotype annotation, so the application's
 * component scan leaves it out. Access (sign-in, sessions, CSRF, the OPERATOR role) is access.ConsoleSecurity's.
 */
public class ConsoleWeb {

    @Bean
    ConsolePages consolePages(ConsoleServices services) {
        return new ConsolePages(services);
    }

    @Bean
    RouterFunctionMapping consoleMapping(ConsolePages pages) {
        RouterFunctionMapping mapping = new RouterFunctionMapping(pages.routes());
        mapping.setOrder(0);
        return mapping;
    }

    @Bean
    HandlerFunctionAdapter consoleHandlerAdapter() {
        return new HandlerFunctionAdapter();
    }
}
