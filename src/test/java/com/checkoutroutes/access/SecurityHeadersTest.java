package com.checkoutroutes.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.checkoutroutes.testsupport.FlowTestSupport;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.HeaderWriterFilter;

/**
 * The doors' security headers are on the response before the request goes on to its route. A route answers on a
 * thread of its own (platform-http is asynchronous); headers written on the way out of the filter chain, Spring
 * Security's default, were written into the same response at the same time, and one notification answer of 2,000 in
 * a burst came out broken (docs/benchmarks.md).
 */
class SecurityHeadersTest extends FlowTestSupport {

    @Autowired
    @Qualifier("doors")
    SecurityFilterChain doors;
    @Value("${checkout.notifications.path}")
    String notificationsPath;

    @Test
    void theSecurityHeadersAreWrittenBeforeTheRequestGoesOnToItsRoute() throws Exception {
        HeaderWriterFilter headers = doors.getFilters().stream().filter(HeaderWriterFilter.class::isInstance)
                .map(HeaderWriterFilter.class::cast).findFirst().orElseThrow();
        List<String> onTheResponseWhenTheRouteStarts = new ArrayList<>();

        headers.doFilter(new MockHttpServletRequest("POST", notificationsPath), new MockHttpServletResponse(),
                (request, response) -> onTheResponseWhenTheRouteStarts.addAll(
                        ((HttpServletResponse) response).getHeaderNames()));

        assertThat(onTheResponseWhenTheRouteStarts).contains("X-Content-Type-Options", "Cache-Control",
                "X-Frame-Options");
    }
}
