package com.checkoutroutes.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A rejected notification's unverified client-id, as the log shows it. */
class QuotedShortTest {

    @Test
    void aLongHeaderIsCutAndALineBreakStaysOnOneLine() {
        assertThat(NotificationIntake.quotedShort("SANDBOX_5YBY2N2ZKP3W05")).isEqualTo("\"SANDBOX_5YBY2N2ZKP3W05\"");
        assertThat(NotificationIntake.quotedShort("x".repeat(8_000))).hasSize(66).endsWith("...\"");
        assertThat(NotificationIntake.quotedShort("a\nINFO forged line")).isEqualTo("\"a?INFO forged line\"");
        assertThat(NotificationIntake.quotedShort(null)).isNull();
    }
}
