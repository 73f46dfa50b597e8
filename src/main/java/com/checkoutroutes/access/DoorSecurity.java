package com.checkoutroutes.access;

import jakarta.servlet.DispatcherType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.HeaderWriterFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.web.client.RestTemplate;

/**
 * Who may call which HTTP door. Antom's notifications are open (Antom's signature protects them; a chain of their
 * own, which reads no credential); the order door
 * needs {@link Role#ORDER_PUBLISHER}; the operator API and everything of the actuator but health need
 * {@link Role#OPERATOR} (info, metrics and prometheus also {@link Role#MONITOR}); health answers anyone with its
 * status, and its details only operators and monitors
 * ({@code management.endpoint.health.show-details: when-authorized}). Anything else is refused: a door added to
 * the routes stays closed until it is given a role here. Callers are HTTP Basic users with hashed passwords
 * ({@link DoorUsers}) and, when {@code checkout.access.jwt} names an identity provider, bearer JWTs.
 * Stateless: no session, no cookie, so no CSRF token either.
 */
@Configuration(proxyBeanMethods = false)
public class DoorSecurity {

    /**
     * The security headers (Cache-Control, X-Content-Type-Options...) are written before the request goes on to its
     * route, not on its way out of the filter chain as by default. A door's route answers on a thread of its own
     * (platform-http is asynchronous) while this thread leaves the filter chain, and the default then wrote headers
     * into the same response at the same time. Tomcat's response is not made for that (spring-security#15510): in a
     * burst of 2,000 notifications one answer came out broken, with Tomcat's NullPointerException in MimeHeaders.
     * Written first, the headers no longer give way to an answer's own Cache-Control: no door's route sets one.
     */
    static final ObjectPostProcessor<HeaderWriterFilter> HEADERS_BEFORE_THE_ROUTES = new ObjectPostProcessor<>() {
        @Override
        public <O extends HeaderWriterFilter> O postProcess(O filter) {
            filter.setShouldWriteHeadersEagerly(true);
            return filter;
        }
    };

    /** A bearer token that could not be checked now is answered 503, not 500 (BearerTokenFailures). */
    static final ObjectPostProcessor<BearerTokenAuthenticationFilter> BEARER_TOKEN_FAILURES =
            new ObjectPostProcessor<>() {
                @Override
                public <O extends BearerTokenAuthenticationFilter> O postProcess(O filter) {
                    filter.setAuthenticationFailureHandler(new BearerTokenFailures());
                    return filter;
                }
            };

    /**
     * No observations of Spring Security's own (timers around every filter, authentication and authorization, per
     * request): in a burst of notifications they put Spring Security in about half of the Tomcat threads' samples
     * (367 of 536; 189 of 360 without), for meters nobody reads. The request metric ({@code http.server.requests})
     * stays.
     */
    @Bean
    static SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    /**
     * Antom's notifications, a chain of their own: open to anyone (the route checks Antom's RSA signature), and no
     * credential is read at all. In the doors' chain a forged bearer token sent here made the decoder fetch the
     * identity provider's keys for its unknown key id, one fetch at a time, and made-up Basic credentials queued for
     * the password checks: this is the door that must face the internet.
     */
    @Bean
    @Order(0)
    SecurityFilterChain notifications(HttpSecurity http,
            @Value("${checkout.notifications.path}") String notifications) throws Exception {
        http.securityMatcher(PathPatternRequestMatcher.withDefaults().matcher(notifications))
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .headers(headers -> headers.addObjectPostProcessor(HEADERS_BEFORE_THE_ROUTES))
                // any method: the route itself answers a method other than POST with 405
                .authorizeHttpRequests(door -> door.anyRequest().permitAll());
        return http.build();
    }

    @Bean
    SecurityFilterChain doors(HttpSecurity http, AccessSettings access,
            @Value("${checkout.http.orders-path}") String orders,
            @Value("${checkout.http.payments-path}") String payments,
            @Value("${checkout.http.shipment-checks-path}") String shipmentChecks) throws Exception {
        PathPatternRequestMatcher.Builder path = PathPatternRequestMatcher.withDefaults();
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(Customizer.withDefaults())
                .headers(headers -> headers.addObjectPostProcessor(HEADERS_BEFORE_THE_ROUTES))
                .authorizeHttpRequests(doors -> doors
                        // the error page of a request already let in, and the second half of an async one
                        .dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.ASYNC).permitAll()
                        // EndpointRequest matches on the management port only (management.server.port)
                        .requestMatchers(EndpointRequest.to(HealthEndpoint.class)).permitAll()
                        // Camel's developer consoles: only the read-only ones ConsoleSecurity lets operators read
                        .requestMatchers(EndpointRequest.to("camel")).denyAll()
                        // a monitor reads these and no endpoint exposed later (a heap dump holds payments and keys)
                        .requestMatchers(EndpointRequest.toLinks(),
                                EndpointRequest.to("info", "metrics", "prometheus"))
                                .hasAnyRole(Role.OPERATOR.name(), Role.MONITOR.name())
                        .requestMatchers(EndpointRequest.toAnyEndpoint()).hasRole(Role.OPERATOR.name())
                        .requestMatchers(path.matcher(HttpMethod.POST, orders)).hasRole(Role.ORDER_PUBLISHER.name())
                        .requestMatchers(path.matcher(HttpMethod.GET, payments),
                                path.matcher(HttpMethod.GET, payments + "/*"),
                                path.matcher(HttpMethod.GET, shipmentChecks + "/*")).hasRole(Role.OPERATOR.name())
                        .anyRequest().denyAll());
        if (access.jwt().enabled()) {
            JwtDecoder decoder = new BoundedJwtDecoder(jwtDecoder(access.jwt()), JWT_CHECKS);
            http.oauth2ResourceServer(server -> server.jwt(jwt -> jwt.decoder(decoder)
                    .jwtAuthenticationConverter(new JwtRoles(access.jwt().rolesClaim())))
                    .addObjectPostProcessor(BEARER_TOKEN_FAILURES));
        }
        return http.build();
    }

    @Bean
    UserDetailsService doorUsers(AccessSettings access) {
        return DoorUsers.from(access);
    }

    /**
     * {bcrypt}, {pbkdf2}...: the hash names its own algorithm, so operators can move to a stronger one; a match is
     * checked once per client and password, not per request, and checks not remembered take at most one core (a
     * check waits up to 2 s for it, at most 16 wait: a flood of made-up credentials holds 17 container threads,
     * not all 200).
     */
    @Bean
    PasswordEncoder passwordEncoder() {
        return passwordChecks();
    }

    /** One set of password checks with its own bounds: the doors' bean, and the console's own (ConsoleSecurity). */
    static PasswordEncoder passwordChecks() {
        return new RememberingPasswordEncoder(PasswordEncoderFactories.createDelegatingPasswordEncoder(), 1024, 1, 16,
                Duration.ofSeconds(2));
    }

    /**
     * Keys fetched on first use (start-up does not wait for the identity provider) and cached by Nimbus. Every fetch
     * (the discovery document, the key set) gives up after {@link #IDENTITY_PROVIDER_TIMEOUT}: Spring's default client
     * has no timeout, and a provider that stopped answering held each request with a bearer token, whoever sent it.
     */
    static JwtDecoder jwtDecoder(AccessSettings.Jwt jwt) {
        String issuer = blankToNull(jwt.issuerUri());
        String keys = blankToNull(jwt.jwkSetUri());
        OAuth2TokenValidator<Jwt> validator = validator(issuer, blankToNull(jwt.audience()));
        RestTemplate identityProvider = identityProviderClient();
        if (keys == null) {
            return new SupplierJwtDecoder(() -> {
                NimbusJwtDecoder decoder = NimbusJwtDecoder.withIssuerLocation(issuer)
                        .restOperations(identityProvider).build();
                decoder.setJwtValidator(validator);
                return decoder;
            });
        }
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(keys).restOperations(identityProvider).build();
        decoder.setJwtValidator(validator);
        return decoder;
    }

    static final Duration IDENTITY_PROVIDER_TIMEOUT = Duration.ofSeconds(2);
    /** Tokens of unknown keys checked at once (BoundedJwtDecoder): a few threads at most wait for the provider. */
    static final int JWT_CHECKS = 8;

    private static RestTemplate identityProviderClient() {
        SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
        requests.setConnectTimeout(IDENTITY_PROVIDER_TIMEOUT);
        requests.setReadTimeout(IDENTITY_PROVIDER_TIMEOUT);
        return new RestTemplate(requests);
    }

    /**
     * Expiry, not-before and the audience (AccessSettings requires one); the issuer when configured. A token must
     * carry its expiry: Spring's default checks {@code exp} only when present, and one without would be good forever.
     */
    private static OAuth2TokenValidator<Jwt> validator(String issuer, String audience) {
        OAuth2TokenValidator<Jwt> standard = issuer == null ? JwtValidators.createDefault()
                : JwtValidators.createDefaultWithIssuer(issuer);
        return new DelegatingOAuth2TokenValidator<>(standard,
                new JwtClaimValidator<Instant>(JwtClaimNames.EXP, Objects::nonNull),
                new JwtClaimValidator<List<String>>(JwtClaimNames.AUD, aud -> aud != null && aud.contains(audience)));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
