package com.checkoutroutes.sandbox;

import com.alipay.global.api.tools.WebhookTool;
import com.checkoutroutes.signature.JdkBase64ForSdk;
import com.checkoutroutes.signature.RsaKeys;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The merchant's notification endpoint, played by a JDK HttpServer: checks each notification with the SDK's
 * {@code WebhookTool} and answers SUCCESS, except for the first {@code failFirst} deliveries (HTTP 500) or when
 * the signature is bad (HTTP 401) - like a well-behaved merchant.
 */
final class MerchantNotifyEndpoint implements AutoCloseable {

    static final String PATH = "/merchant/antom/notify";
    static final String ACK = "{\"result\":{\"resultCode\":\"SUCCESS\",\"resultStatus\":\"S\",\"resultMessage\":\"success\"}}";
    private static final String ANTOM_PUBLIC_BASE64 =
            RsaKeys.base64Body(RsaKeys.readKeyText(SandboxHttpClient.KEYS + "antom-public.pem", "antom"));

    record Received(String path, String clientId, String requestTime, String signature, String body,
                    boolean signatureAccepted, int answeredStatus) {
        JsonNode json() {
            return Json.parse(body);
        }

        String notifyType() {
            return Json.text(json(), "notifyType");
        }

        String paymentRequestId() {
            return Json.text(json(), "paymentRequestId");
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger toFail = new AtomicInteger();
    private volatile boolean alwaysFail;

    MerchantNotifyEndpoint() {
        JdkBase64ForSdk.install();
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getPath();
            String clientId = exchange.getRequestHeaders().getFirst("client-id");
            String requestTime = exchange.getRequestHeaders().getFirst("request-time");
            String signature = exchange.getRequestHeaders().getFirst("signature");
            boolean accepted;
            try {
                accepted = WebhookTool.checkSignature(path, "POST", clientId, requestTime, signature, body,
                        ANTOM_PUBLIC_BASE64);
            } catch (Exception e) {
                accepted = false;
            }
            int status = !accepted ? 401 : alwaysFail || toFail.getAndDecrement() > 0 ? 500 : 200;
            received.add(new Received(path, clientId, requestTime, signature, body, accepted, status));
            byte[] answer = (status == 200 ? ACK : "{\"error\":\"try later\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
    }

    /** Everything about one payment: notifyPayment carries paymentRequestId, notifyCapture only paymentId. */
    List<Received> forPayment(String paymentId) {
        return received.stream().filter(r -> paymentId.equals(Json.text(r.json(), "paymentId"))).toList();
    }

    void failFirst(int count) {
        toFail.set(count);
    }

    void alwaysFail(boolean value) {
        alwaysFail = value;
    }

    List<Received> received(String paymentRequestId) {
        return received.stream().filter(r -> paymentRequestId.equals(r.paymentRequestId())).toList();
    }

    void clear() {
        received.clear();
        toFail.set(0);
        alwaysFail = false;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
