package com.checkoutroutes.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The service's HTTP doors as a caller reaches them: plain requests through {@link HttpClient}, and raw sockets for
 * what a well-behaved client never does (bodies streamed past every limit, bodies that trickle). Every request is
 * built here ({@link #request}, {@link #rawHead}), so credentials are added in one place.
 */
public final class ServiceHttp {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;
    private final int managementPort;

    /** The doors on {@code port}, the actuator on {@code managementPort}; each door called as the demo user it admits. */
    public ServiceHttp(int port, int managementPort) {
        this.port = port;
        this.managementPort = managementPort;
    }

    public record Answer(int status, String body) {
    }

    public HttpRequest.Builder request(String path) {
        int target = path.startsWith("/actuator") ? managementPort : port;
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + target + path))
                .timeout(Duration.ofSeconds(30));
        String user = userFor(path);
        return user == null ? builder : builder.header("Authorization", DemoCredentials.basic(user));
    }

    /** The demo user a door admits: the order publisher at /orders, an operator at the operator API, none else. */
    private static String userFor(String path) {
        if (path.startsWith("/orders")) {
            return DemoCredentials.ORDER_SYSTEM;
        }
        if (path.startsWith("/payments") || path.startsWith("/shipment-checks")) {
            return DemoCredentials.OPERATOR;
        }
        return null;
    }

    public Answer get(String path) {
        return send(request(path).GET().build());
    }

    public Answer postJson(String path, byte[] body) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    public Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The request line and headers of a raw POST; {@code contentLength} null sends the body chunked. */
    public String rawHead(String path, Long contentLength) {
        String user = userFor(path);
        return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n"
                + (user == null ? "" : "Authorization: " + DemoCredentials.basic(user) + "\r\n")
                + (contentLength == null ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + contentLength + "\r\n")
                + "\r\n";
    }

    public Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(30_000);
        return socket;
    }

    /**
     * Streams a body of {@code size} bytes of one repeated chunk (never held in memory whole) until the server
     * answers or closes, and returns its status line; {@code chunked} sends it without Content-Length.
     */
    public String streamBody(String path, long size, boolean chunked) throws Exception {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(rawHead(path, chunked ? null : size).getBytes(StandardCharsets.US_ASCII));
            Thread writer = new Thread(() -> {
                byte[] piece = new byte[64 * 1024];
                java.util.Arrays.fill(piece, (byte) 'x');
                try {
                    for (long sent = 0; sent < size; sent += piece.length) {
                        int n = (int) Math.min(piece.length, size - sent);
                        if (chunked) {
                            out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        }
                        out.write(piece, 0, n);
                        if (chunked) {
                            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                        }
                    }
                    if (chunked) {
                        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    out.flush();
                } catch (IOException e) {
                    // the server stopped reading and closed: what a refused body looks like from here
                }
            }, "stream-body");
            writer.setDaemon(true);
            writer.start();
            String status = statusLine(socket.getInputStream());
            socket.close();
            writer.join(10_000);
            return status;
        }
    }

    /** The first line of the answer on this socket. */
    public static String statusLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
