package com.checkoutroutes.signature;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import org.junit.jupiter.api.Test;

/** Antom's current key, then during a rotation its previous one; what only the previous one verified is counted. */
class AntomPublicKeysTest {

    private static final String CONTENT = "POST /antom/notifications\nSANDBOX_X.1764000000000.{\"notifyType\":\"x\"}";

    private final KeyPair before = keyPair();
    private final KeyPair after = keyPair();
    private final KeyPair stranger = keyPair();

    /**
     * The sandbox key shipped in config/sandbox-keys (its private half published beside it) is taken only with a
     * sandbox client id: a production deployment copied from docker-compose.yml does not start.
     */
    @Test
    void thePublishedSandboxKeyIsTakenOnlyWithASandboxClientId() {
        AntomPublicKeys shipped = AntomPublicKeys.of("config/sandbox-keys/antom-public.pem", null);

        shipped.refusePublishedKeyOutsideSandbox("SANDBOX_CHECKOUT_ROUTES");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> shipped.refusePublishedKeyOutsideSandbox("2188120000000001"))
                .isInstanceOf(RsaKeys.InvalidKeyConfigException.class).hasMessageContaining("published");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new AntomPublicKeys(after.getPublic(),
                shipped.current()).refusePublishedKeyOutsideSandbox("2188120000000001"))
                .as("as the previous key too").isInstanceOf(RsaKeys.InvalidKeyConfigException.class);
        new AntomPublicKeys(after.getPublic(), null).refusePublishedKeyOutsideSandbox("2188120000000001");
    }

    @Test
    void theCurrentKeyVerifiesAndNothingIsCounted() {
        AntomPublicKeys keys = new AntomPublicKeys(after.getPublic(), before.getPublic());
        assertThat(keys.verify(CONTENT, signedBy(after))).isTrue();
        assertThat(keys.verifiedByPrevious()).isZero();
    }

    @Test
    void thePreviousKeyVerifiesDuringARotationAndIsCounted() {
        AntomPublicKeys keys = new AntomPublicKeys(after.getPublic(), before.getPublic());
        assertThat(keys.verify(CONTENT, signedBy(before))).isTrue();
        assertThat(keys.verify(CONTENT, signedBy(before))).isTrue();
        assertThat(keys.verifiedByPrevious()).isEqualTo(2);
        assertThat(keys.rotating()).isTrue();
    }

    @Test
    void neitherKeyOrNoRotationRefuses() {
        assertThat(new AntomPublicKeys(after.getPublic(), before.getPublic()).verify(CONTENT, signedBy(stranger)))
                .isFalse();
        AntomPublicKeys settled = new AntomPublicKeys(after.getPublic(), null);
        assertThat(settled.verify(CONTENT, signedBy(before))).isFalse();
        assertThat(settled.rotating()).isFalse();
        assertThat(new AntomPublicKeys(after.getPublic(), before.getPublic())
                .verify(CONTENT.replace("x", "y"), signedBy(before))).as("another content").isFalse();
    }

    @Test
    void thePreviousKeyIsNeverTheCurrentOne() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new AntomPublicKeys(after.getPublic(),
                after.getPublic())).isInstanceOf(RsaKeys.InvalidKeyConfigException.class)
                .hasMessageContaining("checkout.antom.antom-previous-public-key");
    }

    private static String signedBy(KeyPair pair) {
        return AntomSignature.sign(CONTENT, pair.getPrivate());
    }

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
