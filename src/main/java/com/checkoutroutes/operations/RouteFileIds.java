package com.checkoutroutes.operations;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.support.PatternHelper;
import org.yaml.snakeyaml.Yaml;

/**
 * What a route file declares, each by its id (its routes, those made from a template, its route templates and route
 * configurations: "route order-intake", "routeConfiguration order-errors"), and the route configurations its routes
 * and templates' routes name. Camel replaces what it already runs under an id, whichever file it came from: two files
 * declaring one id (a copy of a route file saved beside it) run one of them silently.
 */
record RouteFileIds(Set<String> declared, Set<String> configurations, Set<String> usedConfigurations) {

    static RouteFileIds of(String yaml) {
        Set<String> declared = new LinkedHashSet<>();
        Set<String> configurations = new LinkedHashSet<>();
        Set<String> used = new LinkedHashSet<>();
        if (parse(yaml) instanceof List<?> items) {
            for (Object item : items) {
                if (!(item instanceof Map<?, ?> entry)) {
                    continue;
                }
                id(entry, "route", "id").ifPresent(id -> declared.add("route " + id));
                id(entry, "templatedRoute", "routeId").ifPresent(id -> declared.add("route " + id));
                id(entry, "routeTemplate", "id").ifPresent(id -> declared.add("routeTemplate " + id));
                id(entry, "routeConfiguration", "id").ifPresent(id -> {
                    declared.add("routeConfiguration " + id);
                    configurations.add(id);
                });
                Object route = entry.get("route");
                boolean ofTemplate = route == null && entry.get("routeTemplate") instanceof Map<?, ?>;
                if (ofTemplate) {
                    route = ((Map<?, ?>) entry.get("routeTemplate")).get("route");
                }
                if (route instanceof Map<?, ?> body && body.get("routeConfigurationId") != null) {
                    used.addAll(namesIn(String.valueOf(body.get("routeConfigurationId")), ofTemplate));
                }
            }
        }
        return new RouteFileIds(declared, configurations, used);
    }

    /**
     * The names of a routeConfigurationId as Camel 4.18 reads them: split at commas and not trimmed (" b" names no
     * "b"); a {{placeholder}} is resolved only for a route made from a template ({@code ofTemplate}: left out here,
     * it names its configuration once the template is used), and a plain route's stays the literal text.
     */
    static List<String> namesIn(String routeConfigurationId, boolean ofTemplate) {
        List<String> names = new java.util.ArrayList<>();
        for (String name : routeConfigurationId.split(",")) {
            if (!name.isEmpty() && !(ofTemplate && name.contains("{{"))) {
                names.add(name);
            }
        }
        return names;
    }

    /** A name as a refusal shows it: one with spaces around it quoted, which Camel does not trim. */
    static String shown(String name) {
        return name.equals(name.strip()) ? name : "'" + name + "' (Camel does not trim the names between commas)";
    }

    /** Whether {@code used} (an id, or a pattern as Camel matches them: order-*, *) names one of {@code declared}. */
    static boolean names(String used, Set<String> declared) {
        return declared.contains(used) || declared.stream().anyMatch(id -> PatternHelper.matchPattern(id, used));
    }

    private static java.util.Optional<String> id(Map<?, ?> entry, String kind, String field) {
        return entry.get(kind) instanceof Map<?, ?> body && body.get(field) != null
                ? java.util.Optional.of(String.valueOf(body.get(field)))
                : java.util.Optional.empty();
    }

    /** The YAML document; null for text that does not parse (the guard reports it). */
    static Object parse(String yaml) {
        try {
            return new Yaml().load(yaml);
        } catch (RuntimeException e) {
            return null; // the guard reports what does not parse
        }
    }
}
