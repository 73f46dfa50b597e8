package com.checkoutroutes.continuation;

import com.alipay.global.api.model.ams.CodeDetail;
import com.alipay.global.api.model.ams.OrderCodeForm;
import com.alipay.global.api.response.ams.pay.AlipayPayResponse;
import com.checkoutroutes.continuation.ChannelMessage.Link;
import com.checkoutroutes.continuation.ChannelMessage.QrCode;
import com.checkoutroutes.platform.AntomTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Picks the link a channel should open, as Antom's Checkout Payment docs describe:
 * <ul>
 * <li>WEB (PC browser): {@code normalUrl}, opened in a new tab, plus the {@code orderCodeForm} QR code to show;</li>
 * <li>WAP (mobile browser): redirect to {@code normalUrl}; {@code applinkUrl} as the alternative, then
 * {@code schemeUrl} (the docs' WAP table: it opens the app, or leaves the buyer on the page when it is missing), so
 * that a method that returns only that still has a link;</li>
 * <li>APP: {@code applinkUrl} first (opens the wallet app, or its H5 page when the app is missing), then
 * {@code normalUrl}, then {@code schemeUrl}, which fails when the app is missing. iOS opens links with openUrl,
 * Android with startActivity. {@code normalUrl} goes in the app's webview only when it is the method's one link (an
 * H5-only method); with an app link beside it the system opens it: the docs' table has an app-only method's
 * {@code normalUrl} opened so (its page calls the wallet's app, which a webview blocks), and one with both kinds of
 * checkout in a webview or by the system, and Antom's answer does not say which kind a method is.</li>
 * </ul>
 * The {@code orderCodeForm} code goes to a PC browser beside its link, and to a phone only when Antom gave it no link:
 * the code (to render, or a number to pay to) is then all the buyer has.
 */
public final class ContinuationPicker {

    private ContinuationPicker() {
    }

    public record Picked(Link link, List<Link> fallbacks, QrCode qrCode) {
    }

    public static Picked pick(AlipayPayResponse response, String terminalType, String osType) {
        List<Link> ordered = new ArrayList<>();
        switch (terminalType) {
            case "WEB" -> add(ordered, "normalUrl", response.getNormalUrl(), pageOpenedWith(terminalType));
            case "WAP" -> {
                add(ordered, "normalUrl", response.getNormalUrl(), pageOpenedWith(terminalType));
                add(ordered, "applinkUrl", response.getApplinkUrl(), "redirect");
                add(ordered, "schemeUrl", response.getSchemeUrl(), "redirect");
            }
            default -> {
                String native_ = "IOS".equals(osType) ? "openUrl" : "startActivity";
                // with an app link beside it, normalUrl is opened by the system: right for an app-only method (its
                // page calls the wallet's app, which a webview blocks) and for one with both kinds of checkout, where
                // the docs' webview is the other choice; only an H5-only method's, its one link, goes in the webview
                boolean hasApp = present(response.getApplinkUrl()) || present(response.getSchemeUrl());
                add(ordered, "applinkUrl", response.getApplinkUrl(), native_);
                add(ordered, "normalUrl", response.getNormalUrl(), hasApp ? native_ : pageOpenedWith(terminalType));
                add(ordered, "schemeUrl", response.getSchemeUrl(), native_);
            }
        }
        QrCode qr = qrCode(response.getOrderCodeForm()).orElse(null);
        Link first = ordered.isEmpty() ? null : ordered.get(0);
        List<Link> rest = ordered.size() > 1 ? List.copyOf(ordered.subList(1, ordered.size())) : null;
        return new Picked(first, rest, "WEB".equals(terminalType) || first == null ? qr : null);
    }

    /**
     * How a buyer's device opens an Antom page ({@code normalUrl}, a payment's or an SDK session's): a new tab on a
     * computer, a redirect in a mobile browser, a webview in an app.
     */
    public static String pageOpenedWith(String terminalType) {
        return switch (terminalType) {
            case "WEB" -> "new-tab";
            case "WAP" -> "redirect";
            default -> "webview";
        };
    }

    private static boolean present(String url) {
        return url != null && !url.isBlank();
    }

    private static void add(List<Link> links, String kind, String url, String openWith) {
        if (present(url)) {
            links.add(new Link(kind, url, openWith));
        }
    }

    /** The QR code's value: the TEXT code detail (the image variants are renderings of the same value). */
    static Optional<QrCode> qrCode(OrderCodeForm form) {
        if (form == null || form.getCodeDetails() == null) {
            return Optional.empty();
        }
        return form.getCodeDetails().stream()
                .filter(d -> d.getCodeValue() != null)
                .sorted((a, b) -> Boolean.compare(!isText(a), !isText(b)))
                .findFirst()
                .map(d -> new QrCode(d.getCodeValue(), d.getDisplayType() == null ? null : d.getDisplayType().name(),
                        AntomTime.reformat(form.getExpireTime())));
    }

    private static boolean isText(CodeDetail detail) {
        return detail.getDisplayType() != null && detail.getDisplayType().name().equals("TEXT");
    }
}
