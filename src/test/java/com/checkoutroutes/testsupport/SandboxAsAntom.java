package com.checkoutroutes.testsupport;

import java.util.LinkedHashMap;
import java.util.Map;

/** The settings that make the service talk to an Antom sandbox on {@code sandboxPort}, with the sandbox keys. */
public final class SandboxAsAntom {

    public static final String CLIENT_ID = "SANDBOX_CHECKOUT_ROUTES";
    private static final String KEYS = "config/sandbox-keys/";

    private SandboxAsAntom() {
    }

    public static Map<String, String> settings(int sandboxPort) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("checkout.antom.client-id", CLIENT_ID);
        s.put("checkout.antom.gateway-url", "http://127.0.0.1:" + sandboxPort);
        s.put("checkout.antom.merchant-private-key", KEYS + "merchant-private.pem");
        s.put("checkout.antom.antom-public-key", KEYS + "antom-public.pem");
        s.put("checkout.antom.notify-url", "http://127.0.0.1:${server.port}${checkout.notifications.path}");
        // read by the in-process sandbox (SandboxConfiguration), when there is one
        s.put("checkout.sandbox.port", String.valueOf(sandboxPort));
        s.put("checkout.sandbox.client-id", CLIENT_ID);
        s.put("checkout.sandbox.antom-private-key", KEYS + "antom-private.pem");
        s.put("checkout.sandbox.merchant-public-key", KEYS + "merchant-public.pem");
        s.put("checkout.sandbox.public-base-url", "http://127.0.0.1:" + sandboxPort);
        return s;
    }
}
