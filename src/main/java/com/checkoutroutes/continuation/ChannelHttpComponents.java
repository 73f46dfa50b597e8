package com.checkoutroutes.continuation;

import com.checkoutroutes.platform.BoundedAnswerHeads;
import org.apache.camel.component.http.HttpComponent;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.io.HttpClientConnectionManager;
import org.apache.hc.client5.http.socket.ConnectionSocketFactory;
import org.apache.hc.core5.http.config.Registry;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.util.TimeValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * camel-http for the HTTP(S) channels, as Camel would make it (every {@code camel.component.http.*} option, TLS and
 * the SSL bundle included: Camel's customizer applies them to any {@link HttpComponent}), but with a bound on what a
 * receiver's answer may hold before its body ({@link BoundedAnswerHeads}). Past it the POST fails as an I/O error:
 * tried again, then parked, like a receiver that is down.
 */
@Configuration(proxyBeanMethods = false)
public class ChannelHttpComponents {

    /** Camel finds a component under its scheme's name in the registry before it makes its own. */
    @Bean("http")
    HttpComponent http() {
        return new BoundedHeaders();
    }

    @Bean("https")
    HttpComponent https() {
        return new BoundedHeaders();
    }

    /** camel-http 4.18's own pool, built the same way, with a connection factory that bounds the answer's head. */
    static final class BoundedHeaders extends HttpComponent {

        @Override
        protected HttpClientConnectionManager createConnectionManager(Registry<ConnectionSocketFactory> registry,
                int maxTotalConnections, int connectionsPerRoute, SocketConfig socketConfig) {
            PoolingHttpClientConnectionManager pool = new PoolingHttpClientConnectionManager(registry,
                    PoolConcurrencyPolicy.STRICT, TimeValue.ofMilliseconds(getConnectionTimeToLive()),
                    BoundedAnswerHeads.connectionFactory());
            int total = maxTotalConnections == 0 ? getMaxTotalConnections() : maxTotalConnections;
            if (total > 0) {
                pool.setMaxTotal(total);
            }
            pool.setDefaultSocketConfig(socketConfig);
            int perRoute = connectionsPerRoute == 0 ? getConnectionsPerRoute() : connectionsPerRoute;
            if (perRoute > 0) {
                pool.setDefaultMaxPerRoute(perRoute);
            }
            return pool;
        }
    }
}
