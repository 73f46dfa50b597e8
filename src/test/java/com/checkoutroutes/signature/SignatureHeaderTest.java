package com.checkoutroutes.signature;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.PrivateKey;
import java.security.PublicKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code signature} header, written and read, and a request signed with the sandbox keys in config/sandbox-keys
 * verified through it, as our client and the sandbox exchange them (AntomSignatureSdkEqualityTest compares the
 * signatures with the SDK's).
 */
class SignatureHeaderTest {

    private static final String KEYS = "config/sandbox-keys/";

    @Test
    void theHeaderNamesAlgorithmKeyVersionAndSignature() {
        assertThat(SignatureHeader.format(1, "abc%2Bdef%3D")).isEqualTo("algorithm=RSA256,keyVersion=1,signature=abc%2Bdef%3D");
        assertThat(SignatureHeader.format(7, "x")).isEqualTo("algorithm=RSA256,keyVersion=7,signature=x");
    }

    @Test
    void whatIsFormattedReadsBack() {
        assertThat(SignatureHeader.signatureOf(SignatureHeader.format(1, "abc%2Bdef%3D"))).contains("abc%2Bdef%3D");
    }

    @Test
    void partsMayComeInAnyOrderWithSpaces() {
        assertThat(SignatureHeader.signatureOf("signature=abc,keyVersion=1,algorithm=RSA256")).contains("abc");
        assertThat(SignatureHeader.signatureOf(" algorithm = RSA256 , keyVersion=2, signature= abc ")).contains("abc");
    }

    @Test
    void aSignatureKeepsItsEqualsSigns() {
        // plain base64 padding: only the first '=' of a part separates name and value
        assertThat(SignatureHeader.signatureOf("algorithm=RSA256,keyVersion=1,signature=ab+c/d==")).contains("ab+c/d==");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "algorithm=RSA256,keyVersion=1,signature=first,signature=second",
            "algorithm=RSA256,algorithm=RSA256,keyVersion=1,signature=abc",
            "algorithm=RSA256,keyVersion=1,keyVersion=2,signature=abc",
            "algorithm=RSA256,extra=1,keyVersion=1,signature=abc",
            "algorithm=RSA256,signature=abc",
            "algorithm=RSA256,keyVersion=,signature=abc",
            "algorithm=RSA256,keyVersion=one,signature=abc",
            "algorithm=RSA256,keyVersion=0,signature=abc",
            "algorithm=RSA256,keyVersion=-1,signature=abc",
            "algorithm=RSA256,keyVersion=1,signature=abc,"})
    void eachParameterExactlyOnceAndNothingElse(String header) {
        assertThat(SignatureHeader.signatureOf(header)).isEmpty();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", "algorithm=RSA256", "algorithm=RSA256,keyVersion=1,signature=",
            "algorithm=RSA256,keyVersion=1,signature= ",
            "signature=abc", "algorithm=rsa256,signature=abc", "algorithm=RSA,signature=abc",
            "algorithm=RSA256;signature=abc", "=RSA256,=abc", "RSA256,abc", "algorithm:RSA256,signature:abc"})
    void aMalformedHeaderHasNoSignature(String header) {
        assertThat(SignatureHeader.signatureOf(header)).isEmpty();
    }

    @Test
    void aRequestSignedWithTheMerchantKeyVerifiesWithItsPublicKeyThroughTheHeader() {
        PrivateKey merchant = RsaKeys.privateKey(KEYS + "merchant-private.pem", "merchant private key");
        PublicKey merchantPublic = RsaKeys.publicKey(KEYS + "merchant-public.pem", "merchant public key");
        String content = AntomSignature.content("POST", "/ams/api/v1/payments/pay", "SANDBOX_CHECKOUT_ROUTES",
                "2026-11-22T10:00:00+08:00", "{\"paymentRequestId\":\"pr-1\",\"orderDescription\":\"café ☕\"}");

        String header = SignatureHeader.format(1, AntomSignature.sign(content, merchant));
        String signature = SignatureHeader.signatureOf(header).orElseThrow();

        assertThat(AntomSignature.verify(content, signature, merchantPublic)).isTrue();
        assertThat(AntomSignature.sign(content, merchant)).as("PKCS#1 v1.5 is deterministic").isEqualTo(signature);
    }

    @Test
    void aSignatureFailsForOtherContentOrTheOtherPartysKey() {
        PrivateKey antom = RsaKeys.privateKey(KEYS + "antom-private.pem", "Antom private key");
        PublicKey antomPublic = RsaKeys.publicKey(KEYS + "antom-public.pem", "Antom public key");
        PublicKey merchantPublic = RsaKeys.publicKey(KEYS + "merchant-public.pem", "merchant public key");
        String content = AntomSignature.content("POST", "/antom/notifications", "SANDBOX_CHECKOUT_ROUTES", "1",
                "{\"notifyType\":\"PAYMENT_RESULT\"}");
        String signature = SignatureHeader.signatureOf(SignatureHeader.format(1, AntomSignature.sign(content, antom)))
                .orElseThrow();

        assertThat(AntomSignature.verify(content, signature, antomPublic)).isTrue();
        assertThat(AntomSignature.verify(content, signature, merchantPublic)).as("the merchant's key").isFalse();
        assertThat(AntomSignature.verify(content.replace("PAYMENT_RESULT", "CAPTURE_RESULT"), signature, antomPublic))
                .as("another body").isFalse();
        assertThat(AntomSignature.verify(
                AntomSignature.content("POST", "/antom/notifications", "SANDBOX_CHECKOUT_ROUTES", "2",
                        "{\"notifyType\":\"PAYMENT_RESULT\"}"), signature, antomPublic))
                .as("another request time").isFalse();
        assertThat(AntomSignature.verify(content, null, antomPublic)).isFalse();
    }

    @Test
    void theSignedContentIsMethodPathClientIdTimeAndBody() {
        assertThat(AntomSignature.content("POST", "/ams/api/v1/payments/pay", "CLIENT", "1700000000000", "{}"))
                .isEqualTo("POST /ams/api/v1/payments/pay\nCLIENT.1700000000000.{}");
    }
}
