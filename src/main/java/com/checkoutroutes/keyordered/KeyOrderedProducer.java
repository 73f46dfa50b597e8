package com.checkoutroutes.keyordered;

import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/** Hands the record to its key's lane (on the Kafka consumer thread) and returns; the lanes run and commit it. */
class KeyOrderedProducer extends DefaultProducer {

    private final KeyOrderedEndpoint endpoint;

    KeyOrderedProducer(KeyOrderedEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    public void process(Exchange exchange) {
        endpoint.lanes().offer(exchange);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        endpoint.lanes().start(getEndpoint().getCamelContext(), endpoint.getTo(), endpoint.getMaxInFlight(),
                endpoint.getRetryDelay(), endpoint.getShutdownTimeout(), endpoint.getRevokeTimeout(),
                endpoint.getCommitTimeout(), endpoint.getCommitInterval(), endpoint.isVirtualThreads(),
                endpoint.isWarmUp());
    }

    @Override
    protected void doStop() throws Exception {
        endpoint.lanes().stop();
        super.doStop();
    }
}
