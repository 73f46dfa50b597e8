package com.checkoutroutes.operations;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** The route configurations a route file declares, which of them an edit changed, and which files' routes use them. */
final class RouteConfigurationIds {

    private RouteConfigurationIds() {
    }

    /** Each top-level {@code routeConfiguration} of the file by its id, with its whole content. */
    static Map<String, Object> declaredIn(String yaml) {
        Map<String, Object> declared = new LinkedHashMap<>();
        if (RouteFileIds.parse(yaml) instanceof List<?> items) {
            for (Object item : items) {
                if (item instanceof Map<?, ?> entry && entry.get("routeConfiguration") instanceof Map<?, ?> body) {
                    declared.put(String.valueOf(body.get("id")), body);
                }
            }
        }
        return declared;
    }

    /** The ids whose configuration an edit added, removed or changed. */
    static Set<String> changed(String before, String after) {
        Map<String, Object> old = declaredIn(before);
        Map<String, Object> now = declaredIn(after);
        Set<String> ids = new HashSet<>(old.keySet());
        ids.addAll(now.keySet());
        ids.removeIf(id -> Objects.equals(old.get(id), now.get(id)));
        return ids;
    }

    /**
     * Whether a route of the file, or the route of one of its templates (the scheduled jobs'), names one of {@code ids}
     * in its routeConfigurationId (several, comma-separated).
     */
    static boolean usesAny(String yaml, Set<String> ids) {
        return RouteFileIds.of(yaml).usedConfigurations().stream().anyMatch(used -> RouteFileIds.names(used, ids));
    }
}
