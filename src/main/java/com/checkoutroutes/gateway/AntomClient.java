package com.checkoutroutes.gateway;

import com.alibaba.fastjson.JSON;
import com.alibaba.fastjson.JSONArray;
import com.alibaba.fastjson.JSONObject;
import com.alibaba.fastjson.serializer.SerializerFeature;
import com.alipay.global.api.BaseAlipayClient;
import com.alipay.global.api.exception.AlipayApiException;
import com.alipay.global.api.net.HttpRpcResult;
import com.alipay.global.api.request.AlipayRequest;
import com.alipay.global.api.response.AlipayResponse;
import com.checkoutroutes.signature.AntomPublicKeys;
import com.checkoutroutes.signature.AntomSignature;
import com.checkoutroutes.signature.SignatureHeader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.SocketTimeoutException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.commons.lang3.StringUtils;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.StringEntity;

/**
 * The SDK's client with our transport: same request classes, same fastjson body, same signature scheme, but keys
 * parsed once, a pooled HttpClient 5 with real TLS checks and configurable timeouts, and a response that lacks a
 * valid signature is rejected (the stock client silently accepts an unsigned one).
 */
public class AntomClient extends BaseAlipayClient {

    private final AntomSettings settings;
    private final CloseableHttpClient http;
    private final PrivateKey merchantKey;
    private final AntomPublicKeys antomKeys;
    private final Clock clock;
    /**
     * The longest answer read, in characters: Antom's are a few kilobytes; a longer one (a proxy's error page, a
     * fault) is refused, not read whole into memory.
     */
    static final int MAX_ANSWER_CHARS = 1_000_000;
    /** The longest of Antom's ids and result codes (its API's limit, and the ledger's columns). */
    public static final int MAX_ID = 64;
    static final int MAX_RESULT_MESSAGE = 512;

    /** Cuts off attempts past their deadline: one daemon thread, each attempt's task removed once it ends. */
    private static final ScheduledThreadPoolExecutor DEADLINES = deadlines();

    /** The gateway without trailing slashes, once: the request's path is appended to it. */
    private final String baseUrl;

    public AntomClient(AntomSettings settings, CloseableHttpClient http, PrivateKey merchantKey,
            AntomPublicKeys antomKeys, Clock clock) {
        super(settings.gatewayUrl(), null, null, settings.clientId());
        this.settings = settings;
        this.http = http;
        this.merchantKey = merchantKey;
        this.antomKeys = antomKeys;
        this.clock = clock;
        this.baseUrl = settings.gatewayUrl().replaceAll("/+$", "");
    }

    /** The path the request goes to: the SDK's rule, /ams/sandbox/api for SANDBOX_ client ids. */
    public String pathOf(AlipayRequest<?> request) {
        String path = request.getPath();
        if (settings.sandboxClient() && request.usingSandboxUrl() && !path.startsWith("/ams/sandbox/api")) {
            return path.replaceFirst("/ams/api", "/ams/sandbox/api");
        }
        return path;
    }

    /** The exact body the SDK would send for this request (fastjson, nulls omitted). */
    public static String bodyOf(AlipayRequest<?> request) {
        return JSON.toJSONString(request, SerializerFeature.DisableCircularReferenceDetect);
    }

    @Override
    public <T extends AlipayResponse> T execute(AlipayRequest<T> request) throws AlipayApiException {
        String clientId = settings.clientId();
        request.setClientId(clientId);
        String path = pathOf(request);
        String body = bodyOf(request);
        String requestTime = String.valueOf(clock.millis());
        String signature = AntomSignature.sign(AntomSignature.content("POST", path, clientId, requestTime, body),
                merchantKey);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json; charset=UTF-8");
        headers.put("client-id", clientId);
        headers.put("request-time", requestTime);
        headers.put("signature", SignatureHeader.format(settings.keyVersion(), signature));
        headers.putAll(buildCustomHeader());

        HttpRpcResult rsp = sendRequest(baseUrl + path, "POST", headers, body);
        if (rsp.getRspCode() != 200) {
            throw new AntomCallException(AntomCallException.Kind.HTTP_STATUS, "HTTP " + rsp.getRspCode() + " from " + path);
        }
        String responseBody = rsp.getRspBody();
        if (responseBody.length() > MAX_ANSWER_CHARS) {
            throw new AntomCallException(AntomCallException.Kind.MALFORMED_RESPONSE,
                    "answer from " + path + " longer than " + MAX_ANSWER_CHARS + " characters");
        }
        String responseTime = rsp.getResponseTime();
        boolean verified = rsp.getRspSign() != null && responseTime != null && antomKeys.verify(
                AntomSignature.content("POST", path, clientId, responseTime, responseBody), rsp.getRspSign());
        if (!verified) {
            throw new AntomCallException(AntomCallException.Kind.UNVERIFIED_RESPONSE,
                    "response from " + path + " has no valid Antom signature");
        }
        T response;
        try {
            response = JSON.parseObject(responseBody, request.getResponseClass());
        } catch (RuntimeException e) {
            throw new AntomCallException(AntomCallException.Kind.MALFORMED_RESPONSE, "unparsable response from " + path, e);
        }
        if (response == null || response.getResult() == null) {
            throw new AntomCallException(AntomCallException.Kind.MALFORMED_RESPONSE, "response from " + path + " has no result");
        }
        checkIds(path, responseBody, response.getResult().getResultCode());
        // Antom's messages are short; the ledger, the result events and the channel messages quote this one (and
        // PostgreSQL stores no NUL character)
        response.getResult().setResultMessage(StringUtils.truncate(
                StringUtils.remove(response.getResult().getResultMessage(), '\0'), MAX_RESULT_MESSAGE));
        return response;
    }

    /**
     * Antom's result codes and ids (paymentId, captureId, refundId, an inquiry's paymentResultCode and its
     * transactions' ids...) have at most {@value #MAX_ID} characters, as the ledger keeps them; a longer one (or one
     * with a NUL character) is refused here, as an answer not to be trusted (the outcome stays unknown and is asked
     * again), rather than failing the ledger's update at every retry of its order, event, check or inquiry.
     */
    private static void checkIds(String path, String body, String resultCode) throws AntomCallException {
        if (resultCode != null && !storable(resultCode)) {
            throw unstorable(path, "resultCode");
        }
        JSONObject answer = JSON.parseObject(body);
        checkIdsOf(path, answer);
        if (answer.get("transactions") instanceof JSONArray transactions) {
            for (Object transaction : transactions) {
                if (transaction instanceof JSONObject fields) {
                    checkIdsOf(path, fields);
                }
            }
        }
    }

    private static void checkIdsOf(String path, JSONObject fields) throws AntomCallException {
        for (Map.Entry<String, Object> field : fields.entrySet()) {
            String name = field.getKey();
            if ((name.endsWith("Id") || name.endsWith("ResultCode")) && field.getValue() instanceof String value
                    && !storable(value)) {
                throw unstorable(path, name);
            }
        }
    }

    /** As the ledger can keep it: at most MAX_ID characters, no NUL (which PostgreSQL refuses in text). */
    private static boolean storable(String id) {
        return id.length() <= MAX_ID && id.indexOf('\0') < 0;
    }

    private static AntomCallException unstorable(String path, String field) {
        return new AntomCallException(AntomCallException.Kind.MALFORMED_RESPONSE,
                field + " from " + path + " longer than " + MAX_ID + " characters or with a NUL character");
    }

    @Override
    public Map<String, String> buildCustomHeader() {
        return Map.of();
    }

    @Override
    public HttpRpcResult sendRequest(String url, String httpMethod, Map<String, String> headers, String body)
            throws AlipayApiException {
        HttpPost post = new HttpPost(url);
        headers.forEach(post::setHeader);
        post.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON.withCharset(StandardCharsets.UTF_8)));
        // the timeouts bound each wait (for a connection, a connect, each read), not the whole: an answer that
        // trickles in a byte within each read's timeout would hold its caller for good
        AtomicBoolean pastDeadline = new AtomicBoolean();
        ScheduledFuture<?> deadline = DEADLINES.schedule(() -> {
            pastDeadline.set(true);
            post.cancel();
        }, settings.attemptDeadline().toMillis(), TimeUnit.MILLISECONDS);
        try {
            return http.execute(post, response -> {
                HttpRpcResult result = new HttpRpcResult();
                result.setRspCode(response.getCode());
                result.setRspBody(response.getEntity() == null ? "" : bounded(response.getEntity(), post));
                result.setResponseTime(headerValue(response.getFirstHeader("response-time")));
                result.setRspSign(SignatureHeader.signatureOf(headerValue(response.getFirstHeader("signature")))
                        .orElse(null));
                return result;
            });
        } catch (SocketTimeoutException e) {
            throw new AntomCallException(AntomCallException.Kind.TIMEOUT, "no answer within " + settings.timeout(), e);
        } catch (IOException e) {
            if (pastDeadline.get()) {
                throw new AntomCallException(AntomCallException.Kind.TIMEOUT,
                        "no whole answer within " + settings.attemptDeadline(), e);
            }
            throw new AntomCallException(AntomCallException.Kind.IO, e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        } finally {
            deadline.cancel(false);
        }
    }

    /**
     * The answer's text, one character past {@value #MAX_ANSWER_CHARS} at most, so that execute sees it was longer;
     * then the connection is dropped, not read to its end to be used again.
     */
    private static String bounded(HttpEntity entity, HttpPost post) throws IOException {
        Charset charset = Optional.ofNullable(ContentType.parseLenient(entity.getContentType()))
                .map(ContentType::getCharset).orElse(StandardCharsets.UTF_8);
        StringBuilder text = new StringBuilder();
        try (Reader in = new InputStreamReader(entity.getContent(), charset)) {
            char[] buffer = new char[8192];
            int read;
            while (text.length() <= MAX_ANSWER_CHARS && (read = in.read(buffer)) >= 0) {
                text.append(buffer, 0, Math.min(read, MAX_ANSWER_CHARS + 1 - text.length()));
            }
            if (text.length() > MAX_ANSWER_CHARS) {
                post.cancel(); // closing the stream now would read the rest off the wire
            }
        }
        return text.toString();
    }

    private static ScheduledThreadPoolExecutor deadlines() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "antom-call-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    private static String headerValue(Header header) {
        return Optional.ofNullable(header).map(Header::getValue).orElse(null);
    }
}
