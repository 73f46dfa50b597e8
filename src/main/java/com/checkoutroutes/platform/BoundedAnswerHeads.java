package com.checkoutroutes.platform;

import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.io.ManagedHttpClientConnection;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.io.HttpConnectionFactory;

/**
 * HttpClient's connections with a bound on an answer's status line and headers, which HttpCore reads without one by
 * default: a server (or a proxy before it) streaming an endless header would grow the heap until the JVM failed.
 * Past the bound the call fails with an I/O error, as a server that is down does. For every pool this service calls
 * out of: Antom's and the HTTP channels'.
 */
public final class BoundedAnswerHeads {

    /** The longest status or header line read, in characters: web servers' own limits on a request's are 8-16 KB. */
    public static final int MAX_LINE_LENGTH = 16 * 1024;
    /** The most header lines read in one answer (Tomcat's limit on a request's is 100). */
    public static final int MAX_HEADER_COUNT = 200;

    private BoundedAnswerHeads() {
    }

    public static HttpConnectionFactory<ManagedHttpClientConnection> connectionFactory() {
        return ManagedHttpClientConnectionFactory.builder()
                .http1Config(Http1Config.custom()
                        .setMaxLineLength(MAX_LINE_LENGTH)
                        .setMaxHeaderCount(MAX_HEADER_COUNT)
                        .build())
                .build();
    }
}
