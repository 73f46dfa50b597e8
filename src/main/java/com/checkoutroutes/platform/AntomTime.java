package com.checkoutroutes.platform;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Antom's date-time format: seconds, numeric offset, no fraction and no Z (2024-01-20T08:51:06+08:00). Every timestamp
 * we publish (Kafka messages, dead letters, the payments lookup) is written here, at UTC (+00:00), whatever offset it
 * came with, so the messages of one order never mix offsets (Antom's sandbox answers in +08:00).
 */
public final class AntomTime {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx");

    private AntomTime() {
    }

    public static String format(OffsetDateTime time) {
        return time == null ? null : time.withOffsetSameInstant(ZoneOffset.UTC).format(FORMAT);
    }

    /** A time Antom gave us, re-expressed at UTC; kept as it came if it is not a date-time. */
    public static String reformat(String antomTime) {
        if (antomTime == null || antomTime.isBlank()) {
            return antomTime;
        }
        try {
            return format(OffsetDateTime.parse(antomTime));
        } catch (DateTimeParseException e) {
            return antomTime;
        }
    }

    public static OffsetDateTime parse(String value) {
        return value == null || value.isBlank() ? null : OffsetDateTime.parse(value);
    }
}
