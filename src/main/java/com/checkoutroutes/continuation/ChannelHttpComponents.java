package com.checkoutroutes.continuation;

import org.apache.camel.component.http.HttpComponent;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.io.HttpClientConnectionManager;
import org.apache.hc.client5.http.socket.ConnectionSocketFactory;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.config.Registry;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.util.TimeValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * camel-http for the HTTP(S) channels, as Camel would make it (every {@code camel.component.http.*} option, TLS and
 * the SSL bundle included: Camel's customizer applies them to any {@link HttpComponent}), but with a bound on what a
 * receiver's answer may hold before its body: HttpCore reads the status line and headers without one by default, so a
 * receiver streaming an endless header would grow the heap until the JVM failed. Past the bound the POST fails as
 * an I/O error: tried again, then parked, like a receiver that is down.
 */
@Configuration(proxyBeanMethods = false)
public class ChannelHttpComponents {

    /** The longest status or header line read, in characters: web servers' own limits on a request's are 8-16 KB. */
    static final int MAX_LINE_LENGTH = 16 * 1024;
    /** The most header lines read in one answer (Tomcat's limit on a request's is 100). */
    static final int MAX_HEADER_COUNT = 200;

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
                    ManagedHttpClientConnectionFactory.builder()
                            .http1Config(Http1Config.custom()
                                    .setMaxLineLength(MAX_LINE_LENGTH)
                                    .setMaxHeaderCount(MAX_HEADER_COUNT)
                                    .build())
                            .build());
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
