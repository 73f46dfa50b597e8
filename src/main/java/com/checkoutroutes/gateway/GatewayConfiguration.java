package com.checkoutroutes.gateway;

import com.alipay.global.api.request.ams.pay.AlipayCaptureRequest;
import com.alipay.global.api.request.ams.pay.AlipayCheckoutPaymentSessionRequest;
import com.alipay.global.api.request.ams.pay.AlipayInquiryRefundRequest;
import com.alipay.global.api.request.ams.pay.AlipayPayCancelRequest;
import com.alipay.global.api.request.ams.pay.AlipayPayConsultRequest;
import com.alipay.global.api.request.ams.pay.AlipayPayQueryRequest;
import com.alipay.global.api.request.ams.pay.AlipayPayRequest;
import com.alipay.global.api.request.ams.pay.AlipayRefundRequest;
import com.checkoutroutes.platform.BoundedAnswerHeads;
import com.checkoutroutes.signature.AntomPublicKeys;
import com.checkoutroutes.signature.AntomSignature;
import com.checkoutroutes.signature.RsaKeys;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Builds the Antom client once: keys parsed (fail fast when missing or malformed), one pooled HTTP client. */
@Configuration(proxyBeanMethods = false)
public class GatewayConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayConfiguration.class);

    @Bean(destroyMethod = "close")
    CloseableHttpClient antomHttpClient(AntomSettings settings) {
        PoolingHttpClientConnectionManager pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(settings.maxConnections())
                .setMaxConnPerRoute(settings.maxConnections())
                .setConnectionFactory(BoundedAnswerHeads.connectionFactory())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(settings.connectTimeout()))
                        .setSocketTimeout(Timeout.of(settings.timeout()))
                        .setTimeToLive(5, TimeUnit.MINUTES)
                        // a connection idle this long is checked before it is lent (a server may have closed it;
                        // otherwise the call fails with NoHttpResponseException and is retried)
                        .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                        .build())
                .build();
        return HttpClients.custom()
                .setConnectionManager(pool)
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(Timeout.of(settings.timeout()))
                        .setConnectionRequestTimeout(Timeout.of(settings.timeout()))
                        .build())
                // retries are ours (same request id, bounded), never the transport's
                .disableAutomaticRetries()
                // closed here before a server's keep-alive timeout closes them under us (60 s is common)
                .evictIdleConnections(TimeValue.ofSeconds(30))
                .disableRedirectHandling()
                // Antom's API is stateless: no cookie an answer set rides on later signed requests
                .disableCookieManagement()
                .disableAuthCaching()
                .build();
    }

    /** Antom's public key, and during a rotation its previous one; what only the previous one verified is counted. */
    @Bean
    AntomPublicKeys antomPublicKeys(AntomSettings settings, MeterRegistry meters) {
        AntomPublicKeys keys = AntomPublicKeys.of(settings.antomPublicKey(), settings.antomPreviousPublicKey());
        keys.refusePublishedKeyOutsideSandbox(settings.clientId());
        FunctionCounter.builder("checkout.antom.signatures.previous.key", keys, AntomPublicKeys::verifiedByPrevious)
                .description("Antom's answers and notifications only checkout.antom.antom-previous-public-key "
                        + "verified: once it has not risen on any instance for a day, the previous key can go")
                .register(meters);
        if (keys.rotating()) {
            LOG.info("Antom's key is being rotated: signatures are checked against checkout.antom.antom-public-key, "
                    + "then checkout.antom.antom-previous-public-key");
        }
        return keys;
    }

    @Bean
    AntomClient antomClient(AntomSettings settings, CloseableHttpClient antomHttpClient, AntomPublicKeys antomKeys,
            Clock clock) {
        if (!settings.sandboxClient() && settings.gatewayUrl().regionMatches(true, 0, "http:", 0, 5)) {
            // not refused: an egress proxy that originates TLS (a service mesh's) is reached in plain http
            LOG.warn("checkout.antom.gateway-url is plain http for client id {}: calls to Antom leave unencrypted "
                    + "unless something on the way encrypts them", settings.clientId());
        }
        AntomSignature.providerName(); // chooses (and logs) the signature provider at start-up, not on the first order
        int warmed = SdkJsonWarmUp.warmUp(List.of(new AlipayPayConsultRequest(), new AlipayPayRequest(),
                new AlipayCheckoutPaymentSessionRequest(), new AlipayPayQueryRequest(), new AlipayCaptureRequest(),
                new AlipayPayCancelRequest(), new AlipayRefundRequest(), new AlipayInquiryRefundRequest())).size();
        LOG.info("fastjson's serializers of {} SDK classes built at start-up", warmed);
        return new AntomClient(settings, antomHttpClient,
                RsaKeys.privateKey(settings.merchantPrivateKey(), "checkout.antom.merchant-private-key"), antomKeys,
                clock);
    }

    @Bean
    AntomGateway antomGateway(AntomClient client, AntomSettings settings, MeterRegistry meters) {
        return new AntomGateway(client, settings.retry(), meters, AntomGateway.Sleeper.real());
    }

    @Bean
    AntomRefundCalls antomRefundCalls(AntomGateway antomGateway, AntomSettings settings) {
        return new AntomRefundCalls(antomGateway, settings);
    }
}
