package com.checkoutroutes.operations;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.ResourceReload;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Puts {@link RouteEditGuard} in front of Camel's live route reload (camel.main.routes-reload-*): an edit that passes
 * is reloaded by Camel as usual; one that does not is logged and refused before Camel removes any running route.
 */
@Component
public class GuardedRouteReload implements CamelContextConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(GuardedRouteReload.class);

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
        RouteEditGuard guard = new RouteEditGuard(camel);
        ResourceReload reload = watcher.getResourceReload();
        watcher.setResourceReload((name, resource) -> {
            if (!name.endsWith(".properties") && resource != null && resource.exists()) {
                try {
                    guard.check(resource);
                } catch (RouteEditGuard.RefusedRouteEditException e) {
                    LOG.error("route edit refused: {}", e.getMessage());
                    throw e;
                }
            }
            reload.onReload(name, resource);
        });
        LOG.info("route edits in {} are checked before they are reloaded", watcher.getFolder());
    }
}
