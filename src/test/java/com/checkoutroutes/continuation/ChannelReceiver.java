package com.checkoutroutes.continuation;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The order system's web backend as an HTTP channel sees it: a JDK HttpServer on a fixed port that records every POST
 * (headers, exact body bytes, the status it answered) and answers what the test says (200, 503, ...), at once or
 * when the test releases it (a slow receiver). It can be stopped and started again on the same port (a receiver that
 * is down, then back).
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
    /** An order whose POSTs get {@link #refusal} whatever the others get; null for none. */
    private final AtomicReference<String> refusedOrder = new AtomicReference<>();
    private final AtomicInteger refusal = new AtomicInteger();
    private final AtomicReference<Hold> held = new AtomicReference<>();
    private HttpServer server;
    private ExecutorService handlers;

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
            // a thread per POST: a held POST holds only its own sender, as a slow web server would
            handlers = Executors.newCachedThreadPool(runnable -> {
                Thread thread = new Thread(runnable, "channel-receiver-" + port);
                thread.setDaemon(true);
                return thread;
            });
            server.setExecutor(handlers);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on " + port, e);
        }
        server.createContext(path, exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String refused = refusedOrder.get();
            int answer = refused != null && new String(body, StandardCharsets.UTF_8)
                    .contains("\"orderId\":\"" + refused + "\"") ? refusal.get() : status.get();
            var headers = exchange.getRequestHeaders();
            posts.add(new Post(headers.getFirst(ChannelSignature.EVENT_ID), headers.getFirst(ChannelSignature.TIMESTAMP),
                    headers.getFirst(ChannelSignature.SIGNATURE), headers.getFirst("Content-Type"), body, answer));
            awaitRelease();
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
            handlers.shutdown();
        }
    }

    /**
     * Slow from now on: every POST is recorded at once but answered only once {@link #release} is called, or after
     * {@code atMost} (keep it below the senders' response timeout, or they give up and retry).
     */
    void hold(Duration atMost) {
        held.set(new Hold(new CountDownLatch(1), atMost));
    }

    /** Answers the held POSTs, and the next ones at once. */
    void release() {
        Hold hold = held.getAndSet(null);
        if (hold != null) {
            hold.latch().countDown();
        }
    }

    private record Hold(CountDownLatch latch, Duration atMost) {
    }

    private void awaitRelease() {
        Hold hold = held.get();
        if (hold != null) {
            try {
                hold.latch().await(hold.atMost().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** What the POSTs of one order are answered from now on (the others get {@link #answer}'s). */
    void refuse(String orderId, int code) {
        refusal.set(code);
        refusedOrder.set(orderId);
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
        release();
        posts.clear();
        status.set(200);
        refusedOrder.set(null);
    }

    @Override
    public void close() {
        stop();
    }
}
