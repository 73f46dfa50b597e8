package com.checkoutroutes.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * One thread using a second key must not break the first key for the others: ACCP destroys a key it translated
 * ("ephemeral") when a Signature that used it is initialised with another key, and our keys are shared.
 */
class RsaSha256KeysTest {

    private static final byte[] DATA = "POST /x\nc.1.{}".getBytes(StandardCharsets.UTF_8);

    @Test
    void aThreadSwitchingKeysLeavesTheSharedKeysUsable() throws Exception {
        Optional<Provider> accp = SignatureProviders.corretto();
        assumeTrue(accp.isPresent(), "ACCP is not usable here");
        RsaSha256 engine = RsaSha256.with(accp.get());
        PrivateKey merchant = RsaKeys.privateKey("config/sandbox-keys/merchant-private.pem", "merchant");
        PrivateKey antom = RsaKeys.privateKey("config/sandbox-keys/antom-private.pem", "antom");
        PublicKey merchantPublic = RsaKeys.publicKey("config/sandbox-keys/merchant-public.pem", "merchant public");
        PublicKey antomPublic = RsaKeys.publicKey("config/sandbox-keys/antom-public.pem", "antom public");

        byte[] signed = engine.sign(DATA, merchant);
        engine.sign(DATA, antom); // this thread's signer moves to another key
        assertThat(engine.verify(DATA, signed, merchantPublic)).isTrue();
        engine.verify(DATA, engine.sign(DATA, antom), antomPublic); // and its verifier too

        byte[] elsewhere = CompletableFuture.supplyAsync(() -> {
            try {
                return engine.sign(DATA, merchant);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).get();
        assertThat(elsewhere).isEqualTo(signed);
        assertThat(CompletableFuture.supplyAsync(() -> {
            try {
                return engine.verify(DATA, signed, merchantPublic);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).get()).isTrue();
    }
}
