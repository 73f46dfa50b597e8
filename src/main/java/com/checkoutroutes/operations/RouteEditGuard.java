package com.checkoutroutes.operations;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.yaml.snakeyaml.Yaml;

/**
 * Checks an edited route file before Camel reloads it. Camel 4.18 stops and removes the file's running routes
 * before it parses the new version, so a broken edit would take them down; this refuses the edit first: YAML that
 * does not parse, a file Camel's YAML DSL schema rejects (with the schema's message, as Kaoto would show it), a
 * {{placeholder}} with no setting, a bean or component that does not exist; and, against the other route files, an
 * id one of them declares or a route configuration that is not there ({@link #checkAgainst}).
 */
public class RouteEditGuard {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^{}]+)}}");

    /** At most this many of the schema's messages in a refusal: one mistake can break several of its branches. */
    private static final int SCHEMA_MESSAGES = 3;

    private final CamelContext camel;
    private final Supplier<RouteSchema> schema;

    /** {@code schema} is asked for on the first edit (it takes seconds to build, see GuardedRouteReload). */
    public RouteEditGuard(CamelContext camel, Supplier<RouteSchema> schema) {
        this.camel = camel;
        this.schema = schema;
    }

    /**
     * Returns the checked content as an in-memory resource of the same location, for Camel to load exactly what
     * was checked (the file may change again meanwhile: an editor's save is often a truncate, then a write).
     * Throws {@link RefusedRouteEditException} naming the file and the first problem found.
     */
    public Resource check(Resource edited) {
        Resource resource = snapshot(edited);
        String text = text(resource);
        Object document;
        try {
            document = new Yaml().load(text);
        } catch (RuntimeException e) {
            throw refused(resource, "is not valid YAML: " + e.getMessage());
        }
        if (document == null && text.isBlank()) {
            // an editor's save is often a truncate, then a write: the complete file comes with the next event
            throw new RefusedRouteEditException(resource.getLocation() + " is empty", true);
        }
        if (document == null) {
            // every line commented out, to stop the routes: read as no change, they kept running unnoticed
            throw refused(resource, "declares nothing (every line is a comment); to stop its routes, delete the file"
                    + " or leave [] in it");
        }
        List<String> violations = schema.get().violations(document);
        if (!violations.isEmpty()) {
            throw refused(resource, "does not match Camel's YAML DSL schema: "
                    + String.join("; ", violations.subList(0, Math.min(SCHEMA_MESSAGES, violations.size())))
                    + (violations.size() > SCHEMA_MESSAGES ? " (and " + (violations.size() - SCHEMA_MESSAGES) + " more)" : ""));
        }
        checkCamelDsl(resource);
        Set<String> templateParameters = templateParameters(document);
        for (String key : placeholders(document)) {
            if (!templateParameters.contains(key) && camel.getPropertiesComponent().resolveProperty(key).isEmpty()) {
                throw refused(resource, "uses {{" + key + "}} but no such setting exists");
            }
        }
        List<String> problems = new ArrayList<>();
        walk(document, problems);
        if (!problems.isEmpty()) {
            throw refused(resource, String.join("; ", problems));
        }
        return resource;
    }

    /**
     * Refuses an edit that does not fit the other route files ({@code others}: their content by location, as they
     * run): an id one of them declares (a copy of a route file saved beside it took over its routes, and deleting the
     * copy stopped them), a route configuration no file declares (Camel ignores the name: the routes ran without their
     * error handling), or one the edit no longer declares while routes name it (they lost it at the next start).
     * {@code before}: the version running, empty for a new file; {@code outside}: the route configurations declared
     * elsewhere than in route files (Java), which a route may name too.
     */
    public void checkAgainst(Resource checked, String before, Map<String, String> others, Set<String> outside) {
        RouteFileIds edit = RouteFileIds.of(text(checked));
        Map<String, RouteFileIds> theirs = new java.util.TreeMap<>();
        others.forEach((location, yaml) -> theirs.put(location, RouteFileIds.of(yaml)));
        Set<String> declaredElsewhere = new HashSet<>(outside);
        theirs.forEach((location, ids) -> {
            for (String id : ids.declared()) {
                if (edit.declared().contains(id)) {
                    throw refused(checked, "declares " + id + ", which " + location + " declares too: every file"
                            + " in the routes folder is loaded, and one id runs from one file only");
                }
            }
            declaredElsewhere.addAll(ids.configurations());
        });
        Set<String> declaredBefore = new HashSet<>(declaredElsewhere);
        declaredBefore.addAll(RouteFileIds.of(before).configurations());
        Set<String> declaredAfter = new HashSet<>(declaredElsewhere);
        declaredAfter.addAll(edit.configurations());
        for (String used : edit.usedConfigurations()) {
            if (!RouteFileIds.names(used, declaredAfter)) {
                throw refused(checked, "names routeConfigurationId " + RouteFileIds.shown(used)
                        + ", which no route file declares");
            }
        }
        // a name another file's routes use (an id, or a pattern) that named a configuration before the edit and none
        // after it: the edit removed or renamed what they run with
        theirs.forEach((location, ids) -> {
            for (String used : ids.usedConfigurations()) {
                if (RouteFileIds.names(used, declaredBefore) && !RouteFileIds.names(used, declaredAfter)) {
                    throw refused(checked, "no longer declares the routeConfiguration " + RouteFileIds.shown(used)
                            + ", which the routes of " + location + " use");
                }
            }
        });
    }

    private static String text(Resource resource) {
        try (InputStream in = resource.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The resource's current content, in memory under the same location. */
    public Resource snapshot(Resource file) {
        try (InputStream in = file.getInputStream()) {
            return new CheckedRouteFile(file, in.readAllBytes());
        } catch (Exception e) {
            throw refused(file, "cannot be read (" + e.getMessage() + ")");
        }
    }

    /** Builds the route definitions the way a reload would, without adding them to the running context. */
    private void checkCamelDsl(Resource resource) {
        try {
            Collection<RoutesBuilder> builders = PluginHelper.getRoutesLoader(camel).findRoutesBuilders(List.of(resource));
            for (RoutesBuilder builder : builders) {
                if (builder instanceof RouteBuilder routes) {
                    routes.configureRoutes(camel);
                }
            }
        } catch (Exception e) {
            throw refused(resource, "is not a valid Camel YAML route: " + rootMessage(e));
        }
    }

    /**
     * The settings the document's keys and values name as {@code {{key}}}: what Camel resolves, not what a YAML comment
     * mentions ("# was {{checkout.old-name}}" names no setting).
     */
    static List<String> placeholders(Object document) {
        List<String> keys = new ArrayList<>();
        collectPlaceholders(document, keys);
        return keys;
    }

    private static void collectPlaceholders(Object node, List<String> keys) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                collectPlaceholders(key, keys);
                collectPlaceholders(value, keys);
            });
        } else if (node instanceof List<?> list) {
            list.forEach(item -> collectPlaceholders(item, keys));
        } else if (node instanceof String text) {
            Matcher m = PLACEHOLDER.matcher(text);
            while (m.find()) {
                String key = m.group(1).strip();
                // {{key:default}} and functions such as {{env:NAME}} resolve without a setting
                if (!key.contains(":")) {
                    keys.add(key);
                }
            }
        }
    }

    /** The parameters of the file's route templates: {{name}} inside a template is one of them, not a setting. */
    private static Set<String> templateParameters(Object document) {
        Set<String> names = new HashSet<>();
        if (document instanceof List<?> items) {
            for (Object item : items) {
                if (item instanceof Map<?, ?> map && map.get("routeTemplate") instanceof Map<?, ?> template
                        && template.get("parameters") instanceof List<?> parameters) {
                    parameters.forEach(p -> {
                        if (p instanceof Map<?, ?> parameter && parameter.get("name") != null) {
                            names.add(String.valueOf(parameter.get("name")));
                        }
                    });
                }
            }
        }
        return names;
    }

    private void walk(Object node, List<String> problems) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                if (value instanceof String text) {
                    checkValue(String.valueOf(key), text, problems);
                }
                walk(value, problems);
            });
        } else if (node instanceof List<?> list) {
            list.forEach(item -> walk(item, problems));
        }
    }

    private void checkValue(String key, String value, List<String> problems) {
        // a {{template parameter}} names its bean only when the template is used
        if (key.equals("ref") && !value.contains("{{") && camel.getRegistry().lookupByName(value) == null) {
            problems.add("no bean named '" + value + "'");
        }
        if (key.equals("uri") || key.equals("to")) {
            String uri;
            try {
                uri = camel.resolvePropertyPlaceholders(value);
            } catch (RuntimeException e) {
                return; // reported as a missing placeholder
            }
            int colon = uri.indexOf(':');
            String scheme = colon > 0 ? uri.substring(0, colon) : uri;
            if (camel.getComponent(scheme) == null) {
                problems.add("no Camel component '" + scheme + "' for endpoint " + value);
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    private static RefusedRouteEditException refused(Resource resource, String problem) {
        return new RefusedRouteEditException(resource.getLocation() + " " + problem);
    }

    /** A route edit that would not load; Camel's reload logs it and counts a failed reload. */
    public static class RefusedRouteEditException extends IllegalArgumentException {

        private final boolean empty;

        public RefusedRouteEditException(String message) {
            this(message, false);
        }

        RefusedRouteEditException(String message, boolean empty) {
            super(message);
            this.empty = empty;
        }

        /** The file was empty: most likely half-way through a save. */
        public boolean empty() {
            return empty;
        }
    }
}
