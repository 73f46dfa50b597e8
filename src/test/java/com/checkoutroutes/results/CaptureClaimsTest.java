package com.checkoutroutes.results;

import static org.assertj.core.api.Assertions.assertThat;

import com.checkoutroutes.gateway.AntomSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How long a capture's send may still be on its way: every try timing out, with the backoffs between them. */
class CaptureClaimsTest {

    @Test
    void theShippedSettingsHoldACaptureFor70Seconds() {
        // pool wait 10 s + connect 2 s + answer 10 s, three tries, two backoffs of at most 2 s
        assertThat(CaptureClaims.longestCall(settings(Duration.ofSeconds(10), Duration.ofSeconds(2), 3,
                Duration.ofSeconds(2)))).isEqualTo(Duration.ofSeconds(70));
    }

    @Test
    void anInitialBackoffAboveTheMaximumCounts() {
        AntomSettings settings = new AntomSettings("SANDBOX_X", "http://127.0.0.1:1", "key", "key", null, 1,
                Duration.ofSeconds(1), Duration.ofSeconds(1), 4, "http://127.0.0.1:1/notify",
                new AntomSettings.Retry(2, Duration.ofSeconds(5), 2.0, Duration.ofSeconds(2)));
        assertThat(CaptureClaims.longestCall(settings)).isEqualTo(Duration.ofSeconds(11));
    }

    @Test
    void oneTryHasNoBackoff() {
        assertThat(CaptureClaims.longestCall(settings(Duration.ofSeconds(5), Duration.ofSeconds(1), 1,
                Duration.ofSeconds(30)))).isEqualTo(Duration.ofSeconds(11));
    }

    private static AntomSettings settings(Duration timeout, Duration connectTimeout, int tries, Duration maxBackoff) {
        return new AntomSettings("SANDBOX_X", "http://127.0.0.1:1", "key", "key", null, 1, timeout, connectTimeout, 4,
                "http://127.0.0.1:1/notify", new AntomSettings.Retry(tries, Duration.ofMillis(200), 2.0, maxBackoff));
    }
}
