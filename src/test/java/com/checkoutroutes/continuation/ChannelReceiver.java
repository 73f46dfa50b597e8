package com.checkoutroutes.continuation;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The order system's web backend as an HTTP channel sees it: a JDK HttpServer on a fixed port that records every POST
 * (headers, exact body bytes, the status it answered) and answers what the test says (200, 503, ...). It can be
 * stopped and started again on the same port (a receiver that is down, then back).
 */
final class ChannelReceiver implements AutoCloseable {

    /** One POST as received, and what it was answered. */
    record Post(String eventId, String timestamp, String signature, String contentType, byte[] body, int answered) {

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final int port;
    private final String path;
    private final List<Post> posts = new CopyOnWriteArrayList<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private HttpServer server;

    ChannelReceiver(int port, String path) {
        this.port = port;
        this.path = path;
    }

    String url() {
        return "http://127.0.0.1:" + port + path;
    }

    synchronized ChannelReceiver start() {
        if (server != null) {
            return this;
        }
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on " + port, e);
        }
        server.createContext(path, exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            int answer = status.get();
            var headers = exchange.getRequestHeaders();
            posts.add(new Post(headers.getFirst(ChannelSignature.EVENT_ID), headers.getFirst(ChannelSignature.TIMESTAMP),
                    headers.getFirst(ChannelSignature.SIGNATURE), headers.getFirst("Content-Type"), body, answer));
            exchange.sendResponseHeaders(answer, -1);
            exchange.close();
        });
        server.start();
        return this;
    }

    /** Down: nothing listens on the port any more (connections are refused). */
    synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    /** What every POST is answered from now on. */
    void answer(int code) {
        status.set(code);
    }

    List<Post> posts() {
        return List.copyOf(posts);
    }

    /** The POSTs of one order, by the orderId in their body. */
    List<Post> postsOf(String orderId) {
        return posts.stream().filter(p -> p.text().contains("\"orderId\":\"" + orderId + "\"")).toList();
    }

    void clear() {
        posts.clear();
        status.set(200);
    }

    @Override
    public void close() {
        stop();
    }
}
