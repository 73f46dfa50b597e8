package com.checkoutroutes.platform;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;

/** Antom's date-time format: seconds, numeric offset, no fraction and no Z (2024-01-20T08:51:06+08:00). */
public final class AntomTime {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx");

    private AntomTime() {
    }

    public static String format(OffsetDateTime time) {
        return time == null ? null : time.format(FORMAT);
    }

    public static OffsetDateTime parse(String value) {
        return value == null || value.isBlank() ? null : OffsetDateTime.parse(value);
    }
}
