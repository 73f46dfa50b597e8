package com.checkoutroutes.benchmark;

import com.alipay.global.api.tools.SignatureTool;
import com.checkoutroutes.signature.AntomSignature;
import com.checkoutroutes.signature.JdkBase64ForSdk;
import com.checkoutroutes.signature.RsaKeys;
import com.checkoutroutes.signature.RsaSha256;
import com.checkoutroutes.signature.SignatureProviders;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Antom signing and verifying, three ways: the SDK's {@code SignatureTool} (parses the base64 key on every call),
 * ours on the JDK provider and ours on ACCP (keys parsed once, a Signature per thread). The content is a real
 * {@code pay} request of about 1 KB; RSA cost barely depends on its length.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SigningBenchmark {

    private static final String KEYS = "config/sandbox-keys/";
    private static final String PATH = "/ams/sandbox/api/v1/payments/pay";
    private static final String CLIENT = "SANDBOX_CHECKOUT_ROUTES";
    private static final String TIME = "1795000000000";
    private static final String BODY = "{\"env\":{\"clientIp\":\"203.0.113.7\",\"terminalType\":\"WEB\"},\"order\":{"
            + "\"buyer\":{\"referenceBuyerId\":\"buyer-42\"},\"orderAmount\":{\"currency\":\"USD\",\"value\":\"1250\"},"
            + "\"orderDescription\":\"Two cups of coffee\",\"referenceOrderId\":\"ORD-3f2a9c1e-7b4d\"},"
            + "\"paymentAmount\":{\"currency\":\"USD\",\"value\":\"1250\"},\"paymentExpiryTime\":\"2026-11-22T15:14:00+08:00\","
            + "\"paymentMethod\":{\"paymentMethodType\":\"ALIPAY_CN\"},\"paymentNotifyUrl\":"
            + "\"http://127.0.0.1:8080/antom/notifications\",\"paymentRedirectUrl\":"
            + "\"https://shop.example/orders/ORD-3f2a9c1e-7b4d/result\",\"paymentRequestId\":"
            + "\"PR-3f2a9c1e-7b4d-4c55-9a0e-1d2b3c4d5e6f\",\"productCode\":\"CASHIER_PAYMENT\","
            + "\"settlementStrategy\":{\"settlementCurrency\":\"USD\"}}";

    /** sdk: SignatureTool; jdk / accp: AntomSignature on that provider. */
    @Param({"sdk", "jdk", "accp"})
    public String impl;

    private String privateBase64;
    private String publicBase64;
    private PrivateKey privateKey;
    private PublicKey publicKey;
    private RsaSha256 engine;
    private String content;
    private String signature;

    @Setup
    public void setUp() throws Exception {
        JdkBase64ForSdk.install();
        privateBase64 = RsaKeys.base64Body(RsaKeys.readKeyText(KEYS + "merchant-private.pem", "bench"));
        publicBase64 = RsaKeys.base64Body(RsaKeys.readKeyText(KEYS + "merchant-public.pem", "bench"));
        privateKey = RsaKeys.privateKey(KEYS + "merchant-private.pem", "bench");
        publicKey = RsaKeys.publicKey(KEYS + "merchant-public.pem", "bench");
        engine = switch (impl) {
            case "sdk" -> null;
            case "jdk" -> RsaSha256.jdk();
            case "accp" -> RsaSha256.with(SignatureProviders.corretto()
                    .orElseThrow(() -> new IllegalStateException("ACCP does not load on this machine")));
            default -> throw new IllegalArgumentException(impl);
        };
        content = AntomSignature.content("POST", PATH, CLIENT, TIME, BODY);
        signature = SignatureTool.sign("POST", PATH, CLIENT, TIME, BODY, privateBase64);
        if (!verify()) {
            throw new IllegalStateException(impl + " rejects the SDK's signature");
        }
    }

    @Benchmark
    public String sign() throws Exception {
        if (engine == null) {
            return SignatureTool.sign("POST", PATH, CLIENT, TIME, BODY, privateBase64);
        }
        return AntomSignature.sign(content, privateKey, engine);
    }

    @Benchmark
    public boolean verify() throws Exception {
        if (engine == null) {
            return SignatureTool.verify("POST", PATH, CLIENT, TIME, BODY, signature, publicBase64);
        }
        return AntomSignature.verify(content, signature, publicKey, engine);
    }
}
