package com.checkoutroutes.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The console's pages and forms as a browser sends them, without the browser (redirects not followed). */
public final class ConsoleForms {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private ConsoleForms() {
    }

    /** A visitor keeping its session cookie, signed in as the demo operator on {@code console} (…/console). */
    public static HttpClient signedInOperator(String console) throws Exception {
        HttpClient operator = HttpClient.newBuilder().cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .build();
        HttpResponse<String> signedIn = send(operator, console + "/sign-in", "username=" + DemoCredentials.OPERATOR
                + "&password=" + DemoCredentials.PASSWORD + "&_csrf=" + csrfToken(operator, console + "/sign-in"));
        assertThat(signedIn.headers().firstValue("Location")).as("signed in").hasValueSatisfying(
                to -> assertThat(to).doesNotContain("failed"));
        return operator;
    }

    /** The CSRF token of a console page's form. */
    public static String csrfToken(HttpClient visitor, String page) throws Exception {
        Matcher token = CSRF.matcher(send(visitor, page, null).body());
        assertThat(token.find()).as("the form's CSRF token on " + page).isTrue();
        return token.group(1);
    }

    /** A browser's GET, or with a form its POST; redirects are not followed. */
    public static HttpResponse<String> send(HttpClient client, String url, String form) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Accept", "text/html");
        if (form != null) {
            request.header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form));
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
