package com.checkoutroutes.console;

import java.util.Comparator;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.api.management.mbean.ManagedRouteMBean;
import org.springframework.stereotype.Component;

/**
 * Each running route with Camel's own statistics, read from Camel's management (the ManagedRoute MBeans of
 * camel-management, the figures Camel's dev console and JMX tools show): state, exchanges, failures, in flight and
 * processing times since the route started.
 */
@Component
public class RouteStatistics {

    private final CamelContext camel;

    public RouteStatistics(CamelContext camel) {
        this.camel = camel;
    }

    public record RouteLine(String routeId, String source, String state, String uptime, Long exchanges,
            Long failed, Long inflight, Long meanMillis, Long maxMillis, Long lastMillis) {
    }

    /** False when Camel's management (JMX) is off: the routes are listed without figures. */
    public boolean managed() {
        return managedContext() != null;
    }

    public List<RouteLine> routes() {
        ManagedCamelContext managed = managedContext();
        return camel.getRoutes().stream().sorted(Comparator.comparing(Route::getRouteId)).map(route -> {
            String source = route.getSourceLocationShort();
            ManagedRouteMBean mbean = managed == null ? null : managed.getManagedRoute(route.getRouteId());
            if (mbean == null) {
                return new RouteLine(route.getRouteId(), source,
                        camel.getRouteController().getRouteStatus(route.getRouteId()).name(), route.getUptime(),
                        null, null, null, null, null, null);
            }
            // Camel says -1 for the times of a route that has seen no exchange yet
            boolean none = mbean.getExchangesTotal() == 0;
            return new RouteLine(route.getRouteId(), source, mbean.getState(), mbean.getUptime(),
                    mbean.getExchangesTotal(), mbean.getExchangesFailed(), mbean.getExchangesInflight(),
                    none ? null : mbean.getMeanProcessingTime(), none ? null : mbean.getMaxProcessingTime(),
                    none ? null : mbean.getLastProcessingTime());
        }).toList();
    }

    private ManagedCamelContext managedContext() {
        return camel.getCamelContextExtension().getContextPlugin(ManagedCamelContext.class);
    }
}
