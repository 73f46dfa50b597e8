package com.checkoutroutes.access;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;
import org.springframework.security.web.savedrequest.NullRequestCache;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.context.support.WebApplicationContextUtils;

/**
 * Who may use the operator console (package console): people in a browser, so a sign-in page and a session, with
 * CSRF tokens on every action, for the {@link Role#OPERATOR} role only (an order publisher signs in and is refused,
 * 403; anyone else is sent to the sign-in page). Only on the management server, where the console is served: on the
 * doors' port {@code /console} stays closed like every path no door names. Camel's read-only developer consoles
 * ({@link #CAMEL_CONSOLES}, the console's link to Camel's own route view) are reached with the same session, or with
 * HTTP Basic from a script; {@link DoorSecurity} refuses every other Camel console (send, eval, properties, env...).
 * The doors' chain stays stateless.
 */
@Configuration(proxyBeanMethods = false)
public class ConsoleSecurity {

    /** Where the console lives (console.ConsolePages serves it). */
    static final String CONSOLE = "/console";
    /** Camel's developer consoles an operator may read: routes, their statistics and state; nothing that acts. */
    static final List<String> CAMEL_CONSOLES = List.of("context", "route", "route-structure", "consumer", "inflight",
            "blocked", "health", "top", "reload");

    @Bean
    @Order(1)
    SecurityFilterChain console(HttpSecurity http, Environment environment, UserDetailsService users)
            throws Exception {
        PathPatternRequestMatcher.Builder path = PathPatternRequestMatcher.withDefaults();
        http.authenticationManager(signIn(users))
                .securityMatcher(new AndRequestMatcher(new ManagementServerRequest(ManagementPortType.get(environment)),
                        new OrRequestMatcher(path.matcher(CONSOLE + "/**"), camelConsoles(environment))))
                .authorizeHttpRequests(console -> console
                        .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
                        .requestMatchers(path.matcher(HttpMethod.GET, CONSOLE + "/sign-in"),
                                path.matcher(HttpMethod.GET, CONSOLE + "/console.css")).permitAll()
                        .anyRequest().hasRole(Role.OPERATOR.name()))
                // a session only once signed in, so anonymous requests cost no server memory: the sign-in form's
                // CSRF token is a cookie until then, the page asked for is not kept (signing in leads to Needs
                // attention), and a failed sign-in keeps nothing
                .csrf(csrf -> csrf.csrfTokenRepository(new SignInCsrfTokens(CONSOLE)))
                .requestCache(cache -> cache.requestCache(new NullRequestCache()))
                .formLogin(form -> form.loginPage(CONSOLE + "/sign-in")
                        .defaultSuccessUrl(CONSOLE + "/attention")
                        .failureHandler(signInFailed()))
                .httpBasic(Customizer.withDefaults())
                .logout(logout -> logout.logoutUrl(CONSOLE + "/sign-out")
                        .logoutSuccessUrl(CONSOLE + "/sign-in?signed-out"))
                // no script at all: confirmations are pages of their own; styles from our own stylesheet only
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives("default-src 'none'; "
                        + "style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; "
                        + "base-uri 'none'")));
        return http.build();
    }

    /**
     * The same users, checked by a password encoder of the console's own: the doors' checks are bounded (one at a
     * time, 16 waiting, the rest refused), and a flood of made-up credentials at a public door would otherwise refuse
     * an operator signing in on the management port too.
     */
    private static AuthenticationManager signIn(UserDetailsService users) {
        DaoAuthenticationProvider provider = new DaoAuthenticationProvider(users);
        provider.setPasswordEncoder(DoorSecurity.passwordChecks());
        return new ProviderManager(provider);
    }

    /** Back to the sign-in page, without the session Spring's default would open to keep the failure in. */
    private static AuthenticationFailureHandler signInFailed() {
        SimpleUrlAuthenticationFailureHandler failed = new SimpleUrlAuthenticationFailureHandler(
                CONSOLE + "/sign-in?failed");
        failed.setAllowSessionCreation(false);
        return failed;
    }

    /** The allowed Camel consoles, each exactly (the endpoint runs every console whose id its path contains). */
    static RequestMatcher camelConsoles(Environment environment) {
        String base = environment.getProperty("management.endpoints.web.base-path", "/actuator") + "/camel";
        PathPatternRequestMatcher.Builder path = PathPatternRequestMatcher.withDefaults();
        List<RequestMatcher> allowed = new java.util.ArrayList<>();
        allowed.add(path.matcher(HttpMethod.GET, base));
        CAMEL_CONSOLES.forEach(id -> allowed.add(path.matcher(HttpMethod.GET, base + "/" + id)));
        return new OrRequestMatcher(allowed);
    }

    /**
     * A request the management server serves: the console and the actuator live there. With both on one port
     * (management.server.port unset or equal), every request; start-up stops then (doors.ManagementDoorsConfiguration).
     */
    static final class ManagementServerRequest implements RequestMatcher {

        private final ManagementPortType portType;

        ManagementServerRequest(ManagementPortType portType) {
            this.portType = portType;
        }

        @Override
        public boolean matches(HttpServletRequest request) {
            if (portType != ManagementPortType.DIFFERENT) {
                return portType == ManagementPortType.SAME;
            }
            WebApplicationContext context = WebApplicationContextUtils.getWebApplicationContext(
                    request.getServletContext());
            return context instanceof WebServerApplicationContext server
                    && WebServerApplicationContext.hasServerNamespace(server, "management");
        }
    }
}
