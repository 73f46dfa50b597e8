package com.checkoutroutes.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** How the console writes amounts, times and ages, and names its actions in URLs (no application needed). */
class ConsoleFormatTest {

    private final ConsoleFormat format = new ConsoleFormat();

    @Test
    void amountsAreInMajorUnitsOfTheirCurrency() {
        assertThat(format.amount(1250, "USD")).isEqualTo("12.50 USD");
        assertThat(format.amount(1000, "JPY")).isEqualTo("1000 JPY");
        assertThat(format.amount(1234, "KWD")).isEqualTo("1.234 KWD");
        assertThat(format.amount(5, "NOPE")).isEqualTo("5 NOPE");
    }

    @Test
    void timesAreUtcToTheSecond() {
        assertThat(format.time(OffsetDateTime.of(2026, 12, 1, 18, 2, 3, 999, ZoneOffset.ofHours(8))))
                .isEqualTo("2026-12-01 10:02:03Z");
        assertThat(format.time(null)).isEmpty();
    }

    @Test
    void longTextIsCutSayingHowMuchWasLeftOut() {
        assertThat(format.cut("abcdef", 4)).isEqualTo("abcd\n... (2 more characters not shown)");
        assertThat(format.cut("abc", 4)).isEqualTo("abc");
    }

    @Test
    void agesReadAsAPersonWouldSayThem() {
        assertThat(Attention.human(Duration.ofSeconds(20))).isEqualTo("20s");
        assertThat(Attention.human(Duration.ofMinutes(95))).isEqualTo("1h 35m");
        assertThat(Attention.human(Duration.ofHours(150))).isEqualTo("6d 6h");
    }

    @Test
    void everyActionHasAUrlNameThatLeadsBackToIt() {
        for (ConsoleAction action : ConsoleAction.values()) {
            assertThat(ConsoleAction.fromSlug(action.slug())).isSameAs(action);
        }
        assertThat(ConsoleAction.CHECK_WITH_ANTOM.slug()).isEqualTo("check-with-antom");
        assertThat(ConsoleAction.fromSlug("refund")).isSameAs(ConsoleAction.REFUND);
        assertThat(ConsoleAction.fromSlug("delete-everything")).isNull();
    }
}
