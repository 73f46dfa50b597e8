package com.checkoutroutes.operations;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * What an operator's tools do: plain HTTP GETs against the running service, as the demo operator
 * ({@code DemoCredentials}) or, with a null user, anonymously (a probe).
 */
final class OperatorHttp {

    private final HttpClient http = HttpClient.newHttpClient();
    private final int port;
    private final String authorization;

    OperatorHttp(int port, String user) {
        this.port = port;
        this.authorization = user == null ? null : com.checkoutroutes.testsupport.DemoCredentials.basic(user);
    }

    HttpResponse<String> get(String path) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException("GET " + path, e);
        }
    }
}
