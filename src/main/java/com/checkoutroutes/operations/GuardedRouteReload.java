package com.checkoutroutes.operations;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.spi.Resource;
import org.apache.camel.spi.ResourceReload;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Puts {@link RouteEditGuard} in front of Camel's live route reload (camel.main.routes-reload-*): an edit that passes
 * is reloaded by Camel as usual; one that does not is logged and refused before Camel removes any running route.
 * Should an edit pass the checks and still fail when Camel builds the routes (an unknown endpoint option, say), the
 * last version that loaded is loaded again, so the file's routes are back after a moment instead of gone.
 */
@Component
public class GuardedRouteReload implements CamelContextConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(GuardedRouteReload.class);

    /** The last content of each route file that Camel loaded, by location. */
    private final Map<String, Resource> lastLoaded = new ConcurrentHashMap<>();

    @Override
    public void beforeApplicationStart(CamelContext camel) {
        // the watcher exists only once Camel has started
    }

    @Override
    public void afterApplicationStart(CamelContext camel) {
        RouteWatcherReloadStrategy watcher = camel.hasService(RouteWatcherReloadStrategy.class);
        if (watcher == null) {
            return; // reload is off
        }
        // the schema takes seconds of CPU to build: off the start-up path, ready long before an operator's first edit
        CompletableFuture<RouteSchema> schema = CompletableFuture.supplyAsync(RouteSchema::load,
                runnable -> {
                    Thread thread = new Thread(runnable, "route-schema");
                    thread.setDaemon(true);
                    thread.start();
                });
        RouteEditGuard guard = new RouteEditGuard(camel, schema::join);
        for (Route route : camel.getRoutes()) {
            Resource source = route.getSourceResource();
            if (source != null && source.exists()) {
                lastLoaded.computeIfAbsent(source.getLocation(), location -> guard.snapshot(source));
            }
        }
        ResourceReload reload = watcher.getResourceReload();
        watcher.setResourceReload((name, resource) -> {
            if (name.endsWith(".properties") || resource == null || !resource.exists()) {
                reload.onReload(name, resource); // a settings file, or a deleted route file: Camel as usual
                return;
            }
            Resource checked;
            try {
                checked = guard.check(resource);
            } catch (RouteEditGuard.RefusedRouteEditException e) {
                if (e.empty()) {
                    LOG.warn("route file {} is empty (being saved?): not loaded, the last good version is still"
                            + " running", resource.getLocation());
                    throw e;
                }
                LOG.error("route edit refused: {}. The last good version of {} is still running; the file on disk is"
                        + " broken until it is fixed and saved again", e.getMessage(), resource.getLocation());
                throw e;
            }
            try {
                load(camel, reload, name, checked);
                lastLoaded.put(checked.getLocation(), checked);
            } catch (Exception e) {
                restore(camel, reload, name, checked.getLocation(), e);
                throw e;
            }
        });
        LOG.info("route edits in {} are checked before they are reloaded", watcher.getFolder());
    }

    /** Camel's reload, or for a file with route templates (which Camel's reload skips) the whole file again. */
    private void load(CamelContext camel, ResourceReload reload, String name, Resource file) throws Exception {
        if (TemplatedRouteFiles.declaresTemplates(file)) {
            TemplatedRouteFiles.reload(camel, file, lastLoaded.get(file.getLocation()));
            LOG.info("route file {} reloaded with its route templates", file.getLocation());
        } else {
            reload.onReload(name, file);
        }
    }

    private void restore(CamelContext camel, ResourceReload reload, String name, String location, Exception failure)
            throws Exception {
        Resource previous = lastLoaded.get(location);
        if (previous == null) {
            LOG.error("route edit of {} failed to load ({}); there is no earlier version to go back to, so its routes"
                    + " are not running; the file on disk is broken until it is fixed and saved again",
                    location, failure.getMessage());
            return;
        }
        LOG.error("route edit of {} failed to load ({}); loading the last good version again", location,
                failure.getMessage());
        load(camel, reload, name, previous);
        LOG.warn("route file {} restored to the version that last loaded: the last good version is running; the file"
                + " on disk is broken until it is fixed and saved again", location);
    }
}
