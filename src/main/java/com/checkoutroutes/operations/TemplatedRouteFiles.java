package com.checkoutroutes.operations;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.yaml.snakeyaml.Yaml;

/**
 * Reloads a route file that declares route templates (routes/schedules.yaml). Camel 4.18's live reload silently
 * skips templated routes: they carry no source file, so an edit to one never applied. Here the file's templated
 * routes, its templates and its other routes are removed and the file is loaded again as a whole.
 */
final class TemplatedRouteFiles {

    private TemplatedRouteFiles() {
    }

    /** Whether the file declares a routeTemplate or a templatedRoute. */
    static boolean declaresTemplates(Resource file) {
        return !ids(file, "routeTemplate", "id").isEmpty() || !ids(file, "templatedRoute", "routeId").isEmpty();
    }

    /** Replaces what {@code previous} (may be null) and {@code edited} declare with what {@code edited} declares. */
    static void reload(CamelContext camel, Resource edited, Resource previous) throws Exception {
        Set<String> routes = new LinkedHashSet<>(ids(edited, "templatedRoute", "routeId"));
        Set<String> templates = new LinkedHashSet<>(ids(edited, "routeTemplate", "id"));
        if (previous != null) {
            routes.addAll(ids(previous, "templatedRoute", "routeId"));
            templates.addAll(ids(previous, "routeTemplate", "id"));
        }
        for (Route route : List.copyOf(camel.getRoutes())) {
            if (route.getSourceResource() != null && edited.getLocation().equals(route.getSourceResource().getLocation())) {
                routes.add(route.getRouteId());
            }
        }
        for (String id : routes) {
            if (camel.getRoute(id) != null) {
                camel.getRouteController().stopRoute(id);
                camel.removeRoute(id);
            }
        }
        for (String template : templates) {
            camel.removeRouteTemplates(template);
        }
        PluginHelper.getRoutesLoader(camel).loadRoutes(edited);
    }

    /** The ids of the file's routes ({@code - route: id: ...}); a route with no id has none here. */
    static Set<String> routeIds(Resource file) {
        return ids(file, "route", "id");
    }

    /** The {@code field} of every top-level {@code kind} entry of the file. */
    private static Set<String> ids(Resource file, String kind, String field) {
        Set<String> ids = new LinkedHashSet<>();
        Object document;
        try (InputStream in = file.getInputStream()) {
            document = new Yaml().load(in);
        } catch (IOException | RuntimeException e) {
            return ids; // the guard reports what does not parse
        }
        if (document instanceof List<?> items) {
            for (Object item : items) {
                if (item instanceof Map<?, ?> entry && entry.get(kind) instanceof Map<?, ?> body
                        && body.get(field) != null) {
                    ids.add(String.valueOf(body.get(field)));
                }
            }
        }
        return ids;
    }
}
