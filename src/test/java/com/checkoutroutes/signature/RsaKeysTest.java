package com.checkoutroutes.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A key setting's error names the setting and, for a path, the path; never the text of a key written some other way. */
class RsaKeysTest {

    /** Looks like key material (base64 of a PKCS#8 key's start); must never reach a message. */
    private static final String MATERIAL = "MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQDnotakey".repeat(20);

    @Test
    void aMissingFileIsNamed() {
        Throwable refused = catchThrowable(() -> RsaKeys.readKeyText("/nowhere/merchant.pem", "checkout.antom.x"));

        assertThat(refused).isInstanceOf(RsaKeys.InvalidKeyConfigException.class)
                .hasMessageContaining("checkout.antom.x").hasMessageContaining("/nowhere/merchant.pem");
    }

    /** Mounted secrets have names like these: a readable file is read whatever its path looks like. */
    @Test
    void aKeyFileIsReadWhateverItsPathLooksLike(@TempDir Path dir) throws IOException {
        Path file = Files.createDirectories(dir.resolve("a".repeat(64))).resolve("ANTOM_PRIVATE_KEY");
        Files.writeString(file, "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n");

        assertThat(RsaKeys.readKeyText(file.toString(), "checkout.antom.x")).startsWith("-----BEGIN PRIVATE KEY-----");
    }

    @Test
    void aKeyWrittenAnotherWayIsNeverEchoed() {
        for (String written : new String[] {
                "\"-----BEGIN PRIVATE KEY-----\n" + MATERIAL + "\n-----END PRIVATE KEY-----\"", // quoted
                "\uFEFF" + MATERIAL, // after a byte-order mark
                "'" + MATERIAL + "'", // quoted base64
                "RSA:" + MATERIAL.substring(0, 300)}) {
            Throwable refused = catchThrowable(() -> RsaKeys.readKeyText(written, "checkout.antom.x"));

            assertThat(refused).isInstanceOf(RsaKeys.InvalidKeyConfigException.class)
                    .hasMessageContaining("checkout.antom.x").hasMessageContaining("is not shown")
                    .hasMessageNotContaining(MATERIAL.substring(0, 24));
        }
    }
}
