package com.checkoutroutes.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A caller's text (a rejected notification's unverified client-id, a Kafka record's key), as the log shows it. */
class LogIdsQuotedTest {

    @Test
    void aLongHeaderIsCutAndALineBreakStaysOnOneLine() {
        assertThat(LogIds.quoted("SANDBOX_5YBY2N2ZKP3W05")).isEqualTo("\"SANDBOX_5YBY2N2ZKP3W05\"");
        assertThat(LogIds.quoted("x".repeat(8_000))).hasSize(66).endsWith("...\"");
        assertThat(LogIds.quoted("a\nINFO forged line")).isEqualTo("\"a?INFO forged line\"");
        assertThat(LogIds.quoted(null)).isNull();
    }

    @Test
    void aCallersTextIsQuotedShortWithoutControlCharacters() {
        assertThat(LogIds.quoted("x\n2026-12-05 INFO forged")).isEqualTo("\"x?2026-12-05 INFO forged\"");
        assertThat(LogIds.quoted("k".repeat(300))).hasSize(66);
        assertThat(LogIds.quoted(null)).isNull();
    }
}
