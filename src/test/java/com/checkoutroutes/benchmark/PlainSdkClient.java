package com.checkoutroutes.benchmark;

import com.alipay.global.api.BaseAlipayClient;
import com.alipay.global.api.exception.AlipayApiException;
import com.alipay.global.api.net.HttpRpcResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The stock SDK client as a user would have it, changed only where it must be to reach the http sandbox: the
 * SDK's DefaultAlipayClient casts to HttpsURLConnection, so this subclass of its BaseAlipayClient sends over a
 * plain HttpURLConnection. Everything else is the SDK's: its execute(), SignatureTool signing and verifying with
 * the base64 keys parsed on every call, its response parsing. No pooling tuning, no batching.
 */
final class PlainSdkClient extends BaseAlipayClient {

    PlainSdkClient(String gatewayUrl, String merchantPrivateKey, String antomPublicKey, String clientId) {
        super(gatewayUrl, merchantPrivateKey, antomPublicKey, clientId);
    }

    @Override
    public Map<String, String> buildCustomHeader() {
        return Map.of();
    }

    @Override
    public HttpRpcResult sendRequest(String requestUrl, String httpMethod, Map<String, String> header, String reqBody)
            throws AlipayApiException {
        try {
            HttpURLConnection connection = (HttpURLConnection) new URL(requestUrl).openConnection();
            connection.setRequestMethod(httpMethod);
            connection.setDoOutput(true);
            connection.setConnectTimeout(15_000);
            connection.setReadTimeout(15_000);
            header.forEach(connection::setRequestProperty);
            try (OutputStream out = connection.getOutputStream()) {
                out.write(reqBody.getBytes(StandardCharsets.UTF_8));
            }
            HttpRpcResult result = new HttpRpcResult();
            result.setRspCode(connection.getResponseCode());
            if (result.getRspCode() >= 400) {
                // the SDK would only say "response code 500"; the sandbox's body says why
                try (InputStream err = connection.getErrorStream()) {
                    throw new AlipayApiException("HTTP " + result.getRspCode() + ": "
                            + (err == null ? "" : new String(err.readAllBytes(), StandardCharsets.UTF_8)));
                }
            }
            try (InputStream in = connection.getInputStream()) {
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                in.transferTo(body);
                result.setRspBody(body.toString(StandardCharsets.UTF_8));
            }
            result.setResponseTime(connection.getHeaderField("response-time"));
            result.setRspSign(signatureValue(connection.getHeaderField("signature")));
            return result;
        } catch (IOException e) {
            throw new AlipayApiException(e);
        }
    }

    /** As the SDK's DefaultHttpRPC reads it: the value after '=' in the third comma-separated part. */
    private static String signatureValue(String header) {
        if (header == null) {
            return null;
        }
        String[] parts = header.split(",");
        if (parts.length < 3) {
            return null;
        }
        String[] item = parts[2].split("=");
        return item.length == 2 ? item[1] : null;
    }
}
