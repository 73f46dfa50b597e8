package com.checkoutroutes.keyordered;

import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.DefaultComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code key-ordered:<lanes>?to=direct:...&maxInFlight=N}: processes the records of a Kafka route concurrently, one at
 * a time per record key, committing only below the lowest record not yet finished. {@code <lanes>} names the
 * {@link KeyOrderedLanes} bean that the route's {@code pausable} step registers as its consumer listener. The
 * component binds camel-kafka's {@code subscribeAdapter} ({@link KeyOrderedRebalancing}), through which the lanes hand
 * over a partition a rebalance takes away.
 */
public class KeyOrderedComponent extends DefaultComponent {

    private static final Logger LOG = LoggerFactory.getLogger(KeyOrderedComponent.class);

    /** Before any route's Kafka consumer subscribes: camel-kafka looks the adapter up when it subscribes. */
    @Override
    protected void doInit() throws Exception {
        super.doInit();
        Registry registry = getCamelContext().getRegistry();
        Object bound = registry.lookupByName(KeyOrderedRebalancing.REGISTRY_NAME);
        if (bound == null) {
            registry.bind(KeyOrderedRebalancing.REGISTRY_NAME, new KeyOrderedRebalancing(getCamelContext()));
        } else if (!(bound instanceof KeyOrderedRebalancing)) {
            LOG.warn("a bean named {} ({}) replaces the key-ordered lanes' own: in a rebalance the records in flight "
                    + "of a partition that leaves are not finished and committed first, and its new owner may run "
                    + "them beside them", KeyOrderedRebalancing.REGISTRY_NAME, bound.getClass().getName());
        }
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        KeyOrderedLanes lanes = getCamelContext().getRegistry().lookupByNameAndType(remaining, KeyOrderedLanes.class);
        if (lanes == null) {
            throw new IllegalArgumentException("key-ordered:" + remaining + " needs a KeyOrderedLanes bean named "
                    + remaining);
        }
        KeyOrderedEndpoint endpoint = new KeyOrderedEndpoint(uri, this, lanes);
        setProperties(endpoint, parameters);
        if (endpoint.getTo() == null || endpoint.getTo().isBlank()) {
            throw new IllegalArgumentException("key-ordered:" + remaining + " needs the option to (e.g. direct:...)");
        }
        return endpoint;
    }
}
