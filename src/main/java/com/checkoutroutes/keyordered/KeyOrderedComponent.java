package com.checkoutroutes.keyordered;

import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code key-ordered:<lanes>?to=direct:...&maxInFlight=N}: processes the records of a Kafka route concurrently, one at
 * a time per record key, committing only below the lowest record not yet finished. {@code <lanes>} names the
 * {@link KeyOrderedLanes} bean that the route's {@code pausable} step registers as its consumer listener.
 */
public class KeyOrderedComponent extends DefaultComponent {

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
