package com.checkoutroutes.continuation;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The channel POST's redeliveries (routes/error-handling.yaml, {@code onRedeliveryRef}): one WARN line per retry naming
 * the receiver as {@link HttpChannels#display} does. Camel's own retry line printed the whole URI, a credential in its
 * query string (a signed webhook URL's {@code sig=}) too.
 */
@Component("channelRetryLog")
public class ChannelRetryLog implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelRetryLog.class);

    @Override
    public void process(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String endpoint = exchange.getProperty(HttpChannels.ENDPOINT, String.class);
        LOG.warn("channel {}: POST of event {} failed ({}), retry {}",
                endpoint == null ? "?" : HttpChannels.display(endpoint),
                exchange.getIn().getHeader(ChannelSignature.EVENT_ID), what(failure),
                exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER));
    }

    private static String what(Throwable failure) {
        String reason = HttpChannels.reasonOf(failure);
        return reason != null ? reason : failure == null ? "?" : failure.getClass().getSimpleName();
    }
}
