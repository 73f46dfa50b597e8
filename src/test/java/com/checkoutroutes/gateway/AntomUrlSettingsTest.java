package com.checkoutroutes.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The gateway-url and notify-url values start-up takes, as the HTTP client and the verifier read them. */
class AntomUrlSettingsTest {

    @ParameterizedTest
    @ValueSource(strings = {"https://open-sea-global.alipay.com", "HTTPS://Open-Sea-Global.alipay.com",
        "http://antom-sandbox:8089", "http://127.0.0.1:18089", "http://[::1]:8089", "https://gw.example/base/"})
    void gatewayUrlsTaken(String url) {
        assertThat(AntomSettings.absoluteHttp(url, false)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"open-sea-global.alipay.com", "ftp://open-sea-global.alipay.com", "https://gw.example?x=1",
        "https://gw.example#top", "http://:8080/x", "https:///path", "https://gw example.com"})
    void gatewayUrlsRefused(String url) {
        assertThat(AntomSettings.absoluteHttp(url, false)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://shop.example/antom/notifications", "https://shop.example/antom?tenant=eu",
        "http://checkout-routes:8080/antom/notifications"})
    void notifyUrlsTaken(String url) {
        assertThat(AntomSettings.absoluteHttp(url, true)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/antom/notifications", "https://shop.example/antom notify", "https://shop.example/%zz",
        "https://shop.example/a#b"})
    void notifyUrlsRefused(String url) {
        assertThat(AntomSettings.absoluteHttp(url, true)).isFalse();
    }
}
