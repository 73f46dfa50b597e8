package com.checkoutroutes.platform;

import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.MDC;

/**
 * Puts the ids a flow knows (orderId, paymentRequestId, paymentId) into the logging MDC for a block, then puts
 * back what was there, so a nested step never strips the ids of the step around it. Null ids are left out.
 */
public final class LogIds implements AutoCloseable {

    private final Map<String, String> previous = new LinkedHashMap<>();

    private LogIds(String... keysAndValues) {
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) {
                previous.put(keysAndValues[i], MDC.get(keysAndValues[i]));
                MDC.put(keysAndValues[i], keysAndValues[i + 1]);
            }
        }
    }

    public static LogIds of(String orderId, String paymentRequestId, String paymentId) {
        return new LogIds("orderId", orderId, "paymentRequestId", paymentRequestId, "paymentId", paymentId);
    }

    /**
     * A value a caller chose (a Kafka record's key, a header), as a log line may show it: quoted, cut to 64
     * characters, control characters as '?', so that nobody writes kilobytes or a forged line into the log.
     */
    public static String quoted(String value) {
        return value == null ? null
                : '"' + org.apache.commons.lang3.StringUtils.abbreviate(value, 64).replaceAll("\\p{Cntrl}", "?") + '"';
    }

    @Override
    public void close() {
        previous.forEach((key, value) -> {
            if (value == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, value);
            }
        });
    }
}
