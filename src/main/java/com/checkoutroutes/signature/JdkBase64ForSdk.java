package com.checkoutroutes.signature;

import com.alipay.global.api.base64.Base64Encryptor;
import com.alipay.global.api.tools.SignatureTool;
import java.util.Base64;

/**
 * The SDK's default base64 helper uses {@code javax.xml.bind.DatatypeConverter}, which Java 17 no longer ships:
 * every {@code SignatureTool} call would die with NoClassDefFoundError. This swaps in {@link java.util.Base64}.
 */
public final class JdkBase64ForSdk implements Base64Encryptor {

    private static volatile boolean installed;

    public static void install() {
        if (!installed) {
            SignatureTool.setBase64Encryptor(new JdkBase64ForSdk());
            installed = true;
        }
    }

    @Override
    public String encodeToString(byte[] src) {
        return Base64.getEncoder().encodeToString(src);
    }

    @Override
    public byte[] decode(String src) {
        return Base64.getDecoder().decode(src);
    }
}
