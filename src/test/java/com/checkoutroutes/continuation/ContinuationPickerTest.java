package com.checkoutroutes.continuation;

import static org.assertj.core.api.Assertions.assertThat;

import com.alipay.global.api.model.ams.CodeDetail;
import com.alipay.global.api.model.ams.CodeValueType;
import com.alipay.global.api.model.ams.DisplayType;
import com.alipay.global.api.model.ams.OrderCodeForm;
import com.alipay.global.api.response.ams.pay.AlipayPayResponse;
import com.checkoutroutes.continuation.ChannelMessage.Link;
import com.checkoutroutes.continuation.ChannelMessage.QrCode;
import com.checkoutroutes.continuation.ContinuationPicker.Picked;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which link each terminal type and OS opens first, its fallbacks in order and how each is opened, and the QR code
 * a PC browser shows, as the class's documentation (Antom's Checkout Payment docs) describes. Plain objects only:
 * ContinuationPerChannelTest proves the picker is wired into the flow.
 */
class ContinuationPickerTest {

    private static final String NORMAL = "https://antom.example/checkout/p-1";
    private static final String APPLINK = "https://antom.example/applink/ALIPAY_HK?orderCode=p-1";
    private static final String SCHEME = "alipayhk://platformapi/startApp?orderCode=p-1";
    private static final String CODE = "https://antom.example/code/p-1";
    private static final String EXPIRES = "2026-11-22T10:14:00+08:00";
    /** As we publish it: the same instant at UTC (one offset convention for every published timestamp). */
    private static final String EXPIRES_UTC = "2026-11-22T02:14:00+00:00";

    static Stream<Arguments> everyTerminalAndOs() {
        Link webTab = new Link("normalUrl", NORMAL, "new-tab");
        return Stream.of(
                // a PC browser opens normalUrl in a new tab; app links mean nothing there
                Arguments.of("WEB", null, webTab, null),
                Arguments.of("WEB", "IOS", webTab, null),
                Arguments.of("WEB", "ANDROID", webTab, null),
                // a mobile browser is redirected to normalUrl, with applinkUrl, then schemeUrl as the alternatives;
                // the OS does not matter
                Arguments.of("WAP", "IOS", new Link("normalUrl", NORMAL, "redirect"),
                        List.of(new Link("applinkUrl", APPLINK, "redirect"), new Link("schemeUrl", SCHEME, "redirect"))),
                Arguments.of("WAP", "ANDROID", new Link("normalUrl", NORMAL, "redirect"),
                        List.of(new Link("applinkUrl", APPLINK, "redirect"), new Link("schemeUrl", SCHEME, "redirect"))),
                // an app: applinkUrl first, then normalUrl, then schemeUrl, each opened by the system (the method
                // has an app); iOS opens with openUrl
                Arguments.of("APP", "IOS", new Link("applinkUrl", APPLINK, "openUrl"),
                        List.of(new Link("normalUrl", NORMAL, "openUrl"), new Link("schemeUrl", SCHEME, "openUrl"))),
                // ... and Android with startActivity
                Arguments.of("APP", "ANDROID", new Link("applinkUrl", APPLINK, "startActivity"),
                        List.of(new Link("normalUrl", NORMAL, "startActivity"),
                                new Link("schemeUrl", SCHEME, "startActivity"))));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("everyTerminalAndOs")
    void eachTerminalAndOsGetsItsLinksInTheDocumentedOrder(String terminal, String os, Link first,
            List<Link> fallbacks) {
        Picked picked = ContinuationPicker.pick(allLinks(), terminal, os);

        assertThat(picked.link()).isEqualTo(first);
        assertThat(picked.fallbacks()).isEqualTo(fallbacks);
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("everyTerminalAndOs")
    void onlyAPcBrowserGetsTheQrCode(String terminal, String os, Link first, List<Link> fallbacks) {
        Picked picked = ContinuationPicker.pick(allLinks(), terminal, os);

        if (terminal.equals("WEB")) {
            assertThat(picked.qrCode()).isEqualTo(new QrCode(CODE, "TEXT", EXPIRES_UTC));
        } else {
            assertThat(picked.qrCode()).isNull();
        }
    }

    @Test
    void theQrCodeIsTheTextValueWhereverItStandsAmongTheImages() {
        AlipayPayResponse response = links(NORMAL, null, null);
        response.setOrderCodeForm(form(detail(CODE + "/qr.png?picSize=L", DisplayType.BIGIMAGE),
                detail(CODE + "/qr.png?picSize=S", DisplayType.SMALLIMAGE), detail(CODE, DisplayType.TEXT)));

        assertThat(ContinuationPicker.pick(response, "WEB", null).qrCode()).isEqualTo(new QrCode(CODE, "TEXT", EXPIRES_UTC));
    }

    @Test
    void withoutATextValueTheFirstImageWithAValueIsTheQrCode() {
        AlipayPayResponse response = links(NORMAL, null, null);
        response.setOrderCodeForm(form(detail(null, DisplayType.TEXT), detail(CODE + "/qr.png?picSize=M",
                DisplayType.MIDDLEIMAGE), detail(CODE + "/qr.png?picSize=S", DisplayType.SMALLIMAGE)));

        assertThat(ContinuationPicker.pick(response, "WEB", null).qrCode())
                .isEqualTo(new QrCode(CODE + "/qr.png?picSize=M", "MIDDLEIMAGE", EXPIRES_UTC));
    }

    @Test
    void aCodeDetailWithoutADisplayTypeStillGivesAQrCode() {
        AlipayPayResponse response = links(NORMAL, null, null);
        response.setOrderCodeForm(form(detail(CODE, null)));

        assertThat(ContinuationPicker.pick(response, "WEB", null).qrCode()).isEqualTo(new QrCode(CODE, null, EXPIRES_UTC));
    }

    @Test
    void noFormNoCodeDetailsOrNoValuesMeanNoQrCode() {
        AlipayPayResponse none = links(NORMAL, null, null);
        AlipayPayResponse noDetails = links(NORMAL, null, null);
        noDetails.setOrderCodeForm(new OrderCodeForm());
        AlipayPayResponse noValues = links(NORMAL, null, null);
        noValues.setOrderCodeForm(form(detail(null, DisplayType.TEXT), detail(null, DisplayType.BIGIMAGE)));

        for (AlipayPayResponse response : List.of(none, noDetails, noValues)) {
            Picked picked = ContinuationPicker.pick(response, "WEB", null);
            assertThat(picked.qrCode()).isNull();
            assertThat(picked.link()).isEqualTo(new Link("normalUrl", NORMAL, "new-tab"));
        }
    }

    @Test
    void aWalletWithoutAnAppLeavesAMobileBrowserWithoutAlternative() {
        Picked picked = ContinuationPicker.pick(links(NORMAL, null, null), "WAP", "IOS");

        assertThat(picked.link()).isEqualTo(new Link("normalUrl", NORMAL, "redirect"));
        assertThat(picked.fallbacks()).isNull();
    }

    @Test
    void aMethodWithoutAnAppOpensNormalUrlInTheAppsWebview() {
        Picked picked = ContinuationPicker.pick(links(NORMAL, null, null), "APP", "ANDROID");

        assertThat(picked.link()).isEqualTo(new Link("normalUrl", NORMAL, "webview"));
        assertThat(picked.fallbacks()).isNull();
    }

    /**
     * The docs' app table: an app-only method (Alipay CN: a schemeUrl, and a normalUrl that is a page calling the
     * wallet's app) has its normalUrl opened by the system, as a webview blocks the page's call of the app. A method
     * with both kinds of checkout may be opened either way by the table, and Antom's answer looks the same: the
     * system's open, which works for both, is the one picked.
     */
    @Test
    void anAppOnlyMethodsNormalUrlIsOpenedByTheSystemNotAWebview() {
        Picked picked = ContinuationPicker.pick(links(NORMAL, null, SCHEME), "APP", "IOS");

        assertThat(picked.link()).isEqualTo(new Link("normalUrl", NORMAL, "openUrl"));
        assertThat(picked.fallbacks()).containsExactly(new Link("schemeUrl", SCHEME, "openUrl"));
    }

    @Test
    void anAppWithoutNormalUrlFallsBackFromTheAppLinkToTheScheme() {
        Picked picked = ContinuationPicker.pick(links(null, APPLINK, SCHEME), "APP", "IOS");

        assertThat(picked.link()).isEqualTo(new Link("applinkUrl", APPLINK, "openUrl"));
        assertThat(picked.fallbacks()).containsExactly(new Link("schemeUrl", SCHEME, "openUrl"));
    }

    @Test
    void blankUrlsAreSkipped() {
        Picked app = ContinuationPicker.pick(links(" ", "", SCHEME), "APP", "ANDROID");
        assertThat(app.link()).isEqualTo(new Link("schemeUrl", SCHEME, "startActivity"));
        assertThat(app.fallbacks()).isNull();

        Picked wap = ContinuationPicker.pick(links("", APPLINK, null), "WAP", "ANDROID");
        assertThat(wap.link()).isEqualTo(new Link("applinkUrl", APPLINK, "redirect"));
        assertThat(wap.fallbacks()).isNull();
    }

    /** The docs' WAP table: a method may return only schemeUrl, which opens its app from the mobile browser. */
    @Test
    void aMobileBrowserWhoseMethodGaveOnlyASchemeOpensIt() {
        Picked picked = ContinuationPicker.pick(links(null, null, SCHEME), "WAP", "IOS");
        assertThat(picked.link()).isEqualTo(new Link("schemeUrl", SCHEME, "redirect"));
        assertThat(picked.fallbacks()).isNull();
    }

    /** A code and no link (a code to render, a number to pay to): a phone gets the code, the only continuation. */
    @Test
    void aPhoneWithoutAnyLinkGetsTheCode() {
        for (String terminal : List.of("WAP", "APP")) {
            AlipayPayResponse codeOnly = links(null, null, null);
            codeOnly.setOrderCodeForm(allLinks().getOrderCodeForm());
            Picked picked = ContinuationPicker.pick(codeOnly, terminal, "ANDROID");
            assertThat(picked.link()).as(terminal).isNull();
            assertThat(picked.qrCode()).as(terminal).isEqualTo(new QrCode(CODE, "TEXT", EXPIRES_UTC));
        }
    }

    @Test
    void noLinksAtAllPickNothing() {
        for (String terminal : List.of("WEB", "WAP", "APP")) {
            Picked picked = ContinuationPicker.pick(new AlipayPayResponse(), terminal, "IOS");
            assertThat(picked).as(terminal).isEqualTo(new Picked(null, null, null));
        }
    }

    /** What the sandbox answers for a wallet with an app: every link, and the QR code form. */
    private static AlipayPayResponse allLinks() {
        AlipayPayResponse response = links(NORMAL, APPLINK, SCHEME);
        response.setOrderCodeForm(form(detail(CODE, DisplayType.TEXT),
                detail(CODE + "/qr.png?picSize=L", DisplayType.BIGIMAGE)));
        return response;
    }

    private static AlipayPayResponse links(String normalUrl, String applinkUrl, String schemeUrl) {
        AlipayPayResponse response = new AlipayPayResponse();
        response.setNormalUrl(normalUrl);
        response.setApplinkUrl(applinkUrl);
        response.setSchemeUrl(schemeUrl);
        return response;
    }

    private static OrderCodeForm form(CodeDetail... details) {
        OrderCodeForm form = new OrderCodeForm();
        form.setPaymentMethodType("ALIPAY_CN");
        form.setExpireTime(EXPIRES);
        form.setCodeDetails(List.of(details));
        return form;
    }

    private static CodeDetail detail(String value, DisplayType displayType) {
        return new CodeDetail(CodeValueType.QRCODE, value, displayType);
    }
}
