package com.checkoutroutes.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.alipay.global.api.tools.SignatureTool;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Both engines (ACCP and the forced JDK fallback) sign byte for byte as the SDK does and accept its signatures. */
class AntomSignatureSdkEqualityTest {

    private static final String KEYS = "config/sandbox-keys/";
    private static final String MERCHANT_PRIVATE = RsaKeys.base64Body(RsaKeys.readKeyText(KEYS + "merchant-private.pem", "k"));
    private static final String MERCHANT_PUBLIC = RsaKeys.base64Body(RsaKeys.readKeyText(KEYS + "merchant-public.pem", "k"));
    private static final PrivateKey PRIVATE = RsaKeys.privateKey(KEYS + "merchant-private.pem", "k");
    private static final PublicKey PUBLIC = RsaKeys.publicKey(KEYS + "merchant-public.pem", "k");

    @BeforeAll
    static void sdkBase64() {
        JdkBase64ForSdk.install();
    }

    static Stream<Arguments> engines() {
        Stream<Arguments> jdk = Stream.of(Arguments.of("jdk", RsaSha256.jdk()));
        return SignatureProviders.corretto()
                .map(p -> Stream.concat(jdk, Stream.of(Arguments.of("accp", RsaSha256.with(p)))))
                .orElse(jdk);
    }

    @Test
    void correttoIsUsedOnLinuxX86() {
        assumeThat(System.getProperty("os.name")).isEqualTo("Linux");
        assumeThat(System.getProperty("os.arch")).isIn("amd64", "x86_64");
        assertThat(SignatureProviders.corretto()).isPresent();
        assertThat(AntomSignature.providerName()).isEqualTo("AmazonCorrettoCryptoProvider");
    }

    @Test
    void forcedFallbackIsTheJdkProvider() {
        assertThat(RsaSha256.jdk().providerName()).isEqualTo("SunRsaSign");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void signaturesAreByteForByteTheSdks(String name, RsaSha256 engine) throws Exception {
        Random random = new Random(8);
        for (int i = 0; i < 200; i++) {
            String body = randomText(random, random.nextInt(i < 100 ? 64 : 4096));
            String time = String.valueOf(1_700_000_000_000L + random.nextInt());
            String sdk = SignatureTool.sign("POST", "/ams/api/v1/payments/pay", "SANDBOX_X", time, body, MERCHANT_PRIVATE);
            String ours = AntomSignature.sign(
                    AntomSignature.content("POST", "/ams/api/v1/payments/pay", "SANDBOX_X", time, body), PRIVATE, engine);
            assertThat(ours).as("content #%d", i).isEqualTo(sdk);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void verificationAcceptsSdkSignaturesAndRejectsOthers(String name, RsaSha256 engine) throws Exception {
        Random random = new Random(27);
        for (int i = 0; i < 100; i++) {
            String body = randomText(random, random.nextInt(2048));
            String sdk = SignatureTool.sign("POST", "/antom/notifications", "C", "1", body, MERCHANT_PRIVATE);
            String content = AntomSignature.content("POST", "/antom/notifications", "C", "1", body);
            assertThat(AntomSignature.verify(content, sdk, PUBLIC, engine)).isTrue();
            assertThat(SignatureTool.verify("POST", "/antom/notifications", "C", "1", body, sdk, MERCHANT_PUBLIC)).isTrue();
            assertThat(AntomSignature.verify(content + "x", sdk, PUBLIC, engine)).isFalse();
        }
        // malformed signatures are "not valid", never an exception, and do not spoil the next verification
        String content = AntomSignature.content("POST", "/p", "C", "1", "{}");
        assertThat(AntomSignature.verify(content, "AAAA", PUBLIC, engine)).isFalse();
        assertThat(AntomSignature.verify(content, "%%%not-base64", PUBLIC, engine)).isFalse();
        assertThat(AntomSignature.verify(content, "", PUBLIC, engine)).isFalse();
        String good = SignatureTool.sign("POST", "/p", "C", "1", "{}", MERCHANT_PRIVATE);
        assertThat(AntomSignature.verify(content, good, PUBLIC, engine)).isTrue();
    }

    /**
     * One thread signing with a second key must not break the first key for the other threads: ACCP destroys a
     * "translated" key when a Signature moves on to another key, and the engine shares its keys across threads
     * (this was the sandbox's intermittent HTTP 500 "Key has been destroyed" under load).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void aThreadSwitchingKeysLeavesTheSharedKeysIntact(String name, RsaSha256 engine) throws Exception {
        PrivateKey antom = RsaKeys.privateKey(KEYS + "antom-private.pem", "k");
        PublicKey antomPublic = RsaKeys.publicKey(KEYS + "antom-public.pem", "k");
        String content = AntomSignature.content("POST", "/p", "C", "1", "{}");
        String byMerchant = AntomSignature.sign(content, PRIVATE, engine);
        assertThat(AntomSignature.verify(content, byMerchant, PUBLIC, engine)).isTrue();

        Thread other = new Thread(() -> {
            try {
                AntomSignature.sign(content, PRIVATE, engine);
                AntomSignature.sign(content, antom, engine); // this thread's signer moves on to another key
                AntomSignature.verify(content, byMerchant, PUBLIC, engine);
                AntomSignature.verify(content, byMerchant, antomPublic, engine); // and its verifier
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        other.start();
        other.join();

        assertThat(AntomSignature.sign(content, PRIVATE, engine)).isEqualTo(byMerchant);
        assertThat(AntomSignature.verify(content, byMerchant, PUBLIC, engine)).isTrue();
    }

    @Test
    void theSdkAcceptsOurDefaultSignatures() throws Exception {
        String body = "{\"paymentRequestId\":\"é-ü-日本\"}";
        String ours = AntomSignature.sign(AntomSignature.content("POST", "/p", "C", "7", body), PRIVATE);
        assertThat(SignatureTool.verify("POST", "/p", "C", "7", body, ours, MERCHANT_PUBLIC)).isTrue();
    }

    /** Any code points (including multi-byte and supplementary ones), to exercise the UTF-8 handling too. */
    private static String randomText(Random random, int length) {
        StringBuilder text = new StringBuilder(length);
        while (text.length() < length) {
            int cp = switch (random.nextInt(4)) {
                case 0 -> 0x20 + random.nextInt(0x5f);
                case 1 -> 0xa0 + random.nextInt(0x700);
                case 2 -> 0x4e00 + random.nextInt(0x5000);
                default -> 0x1f300 + random.nextInt(0x300);
            };
            text.appendCodePoint(cp);
        }
        return new String(text.toString().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }
}
