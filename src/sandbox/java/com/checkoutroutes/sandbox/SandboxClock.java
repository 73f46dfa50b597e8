package com.checkoutroutes.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * The sandbox's notion of "now": a real clock plus an offset that tests push forward, so expiry and the
 * 7-day card windows can be exercised without waiting. Antom prints times in UTC+8, and so do we.
 */
public final class SandboxClock {

    public static final ZoneOffset ANTOM_ZONE = ZoneOffset.ofHours(8);

    private final Clock base;
    private volatile Duration offset = Duration.ZERO;

    public SandboxClock(Clock base) {
        this.base = base;
    }

    public Instant now() {
        return base.instant().plus(offset);
    }

    public synchronized void advance(Duration by) {
        offset = offset.plus(by);
    }

    public synchronized void reset() {
        offset = Duration.ZERO;
    }

    public Duration offset() {
        return offset;
    }

    /** Puts back the offset a sandbox had before a restart. */
    synchronized void restoreOffset(Duration saved) {
        offset = saved;
    }

    /** ISO-8601 with offset, whole seconds, e.g. {@code 2026-11-22T10:01:01+08:00}. */
    public static String format(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.SECONDS), ANTOM_ZONE)
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    public static Instant parse(String text) {
        return OffsetDateTime.parse(text).toInstant();
    }
}
