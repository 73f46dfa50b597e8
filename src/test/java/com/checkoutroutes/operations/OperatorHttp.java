package com.checkoutroutes.operations;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** What an operator's tools do: plain HTTP GETs against the running service. */
final class OperatorHttp {

    private final HttpClient http = HttpClient.newHttpClient();
    private final int port;

    OperatorHttp(int port) {
        this.port = port;
    }

    HttpResponse<String> get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException("GET " + path, e);
        }
    }
}
