package com.checkoutroutes.access;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * A bearer token's roles, from the configured claim: a list ({@code ["OPERATOR"]}) or a space-separated string, at a
 * dotted path for nested claims ({@code realm_access.roles}). Names that are no role of ours grant nothing.
 */
final class JwtRoles implements Converter<Jwt, AbstractAuthenticationToken> {

    private final List<String> path;

    JwtRoles(String claim) {
        this.path = List.of(claim.split("\\."));
    }

    @Override
    public AbstractAuthenticationToken convert(Jwt jwt) {
        List<SimpleGrantedAuthority> authorities = names(jwt).stream().map(Role::named).filter(Objects::nonNull)
                .distinct().map(role -> new SimpleGrantedAuthority(role.authority())).toList();
        return new JwtAuthenticationToken(jwt, authorities, jwt.getSubject());
    }

    private List<String> names(Jwt jwt) {
        Object value = jwt.getClaims();
        for (String key : path) {
            value = value instanceof Map<?, ?> map ? map.get(key) : null;
        }
        if (value instanceof Collection<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        if (value instanceof String text) {
            return Arrays.stream(text.trim().split("[\\s,]+")).filter(s -> !s.isEmpty()).toList();
        }
        return List.of();
    }
}
