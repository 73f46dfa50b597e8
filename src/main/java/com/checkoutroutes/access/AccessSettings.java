package com.checkoutroutes.access;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code checkout.access.*}: who may call the HTTP doors. Defaults live in config/application.yml only. Passwords
 * are checked by {@link DoorUsers} (a {@code {id}} hash, never plain text), not here: a validation message would
 * print the rejected value.
 */
@Validated
@ConfigurationProperties("checkout.access")
public record AccessSettings(
        // HTTP Basic users by name; one with an empty password is left out.
        @NotNull Map<String, @Valid @NotNull User> users,
        @Valid @NotNull Jwt jwt,
        // Whether a user may have the README's demo password (local-demo): the local run and docker-compose only.
        boolean allowDemoPassword) {

    public record User(
            // A DelegatingPasswordEncoder hash: {bcrypt}$2a$..., {pbkdf2@SpringSecurity_v5_8}...; empty = no user.
            String password,
            @NotNull Set<Role> roles) {

        boolean configured() {
            return password != null && !password.isBlank();
        }
    }

    /** The optional OAuth2 resource server: bearer JWTs from the operator's identity provider. */
    public record Jwt(
            // The identity provider's issuer (its OpenID discovery document); empty = no JWTs.
            String issuerUri,
            // Or only its key set; with issuer-uri too, the tokens' issuer is checked as well.
            String jwkSetUri,
            // The audience (aud) a token must name; required with JWTs on: without it, a token the provider issued
            // for any other service that lists one of our roles would get in.
            String audience,
            // The claim that lists a token's roles (a list or a space-separated string; a.b reads a nested claim).
            @NotBlank String rolesClaim) {

        boolean enabled() {
            return hasText(issuerUri) || hasText(jwkSetUri);
        }

        @AssertTrue(message = "is required once issuer-uri or jwk-set-uri is set (CHECKOUT_JWT_AUDIENCE): the aud "
                + "a token must name, so that tokens the provider issued for other services are refused")
        public boolean isAudienceSet() {
            return !enabled() || hasText(audience);
        }

        private static boolean hasText(String value) {
            return value != null && !value.isBlank();
        }
    }
}
