package com.checkoutroutes.operations;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/** Every log event of the JVM while attached, each with its MDC frozen on the logging thread. */
final class CapturedLogs extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();

    static CapturedLogs attach() {
        CapturedLogs logs = new CapturedLogs();
        logs.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
        logs.start();
        root().addAppender(logs);
        return logs;
    }

    @Override
    protected void append(ILoggingEvent event) {
        // Logback reads the MDC lazily; freeze it now, on the thread that logged
        event.prepareForDeferredProcessing();
        events.add(event);
    }

    /** The first event whose message contains every marker, or null. */
    ILoggingEvent first(String... markers) {
        return events.stream().filter(e -> {
            String message = e.getFormattedMessage();
            for (String marker : markers) {
                if (!message.contains(marker)) {
                    return false;
                }
            }
            return true;
        }).findFirst().orElse(null);
    }

    @Override
    public void close() {
        root().detachAppender(this);
        stop();
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
