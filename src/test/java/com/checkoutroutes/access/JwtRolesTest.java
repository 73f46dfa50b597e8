package com.checkoutroutes.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;

/** A bearer token's roles from the configured claim; unknown names grant nothing. */
class JwtRolesTest {

    @Test
    void aListClaim() {
        assertThat(roles("roles", Map.of("roles", List.of("OPERATOR", "admin")))).containsExactly("ROLE_OPERATOR");
    }

    @Test
    void aSpaceSeparatedStringInAnyCase() {
        assertThat(roles("roles", Map.of("roles", "order-publisher operator")))
                .containsExactly("ROLE_ORDER_PUBLISHER", "ROLE_OPERATOR");
    }

    @Test
    void aNestedClaim() {
        assertThat(roles("realm_access.roles", Map.of("realm_access", Map.of("roles", List.of("ORDER_PUBLISHER")))))
                .containsExactly("ROLE_ORDER_PUBLISHER");
    }

    @Test
    void noClaimNoRole() {
        assertThat(roles("roles", Map.of("scope", "OPERATOR"))).isEmpty();
        assertThat(roles("realm_access.roles", Map.of("realm_access", "OPERATOR"))).isEmpty();
    }

    private static List<String> roles(String claim, Map<String, Object> claims) {
        Jwt jwt = Jwt.withTokenValue("t").header("alg", "RS256").subject("someone").claims(c -> c.putAll(claims))
                .issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(60)).build();
        return new JwtRoles(claim).convert(jwt).getAuthorities().stream().map(Object::toString).toList();
    }
}
