package com.checkoutroutes.testsupport;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * The lines one class logs while open: {@code try (LogLines lines = LogLines.of(X.class)) {...}}; or every class,
 * {@link #all()}.
 */
public final class LogLines implements AutoCloseable {

    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LogLines(Logger logger) {
        this.logger = logger;
        appender.start();
        logger.addAppender(appender);
    }

    public static LogLines of(Class<?> source) {
        return new LogLines((Logger) LoggerFactory.getLogger(source));
    }

    /** What every logger of the JVM logs while open (the root logger's lines). */
    public static LogLines all() {
        return new LogLines((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME));
    }

    /** Every line so far, formatted, at {@code level} or above. */
    public List<String> atLeast(Level level) {
        return copy(appender).stream().filter(line -> line.getLevel().isGreaterOrEqual(level))
                .map(ILoggingEvent::getFormattedMessage).toList();
    }

    /**
     * What an appender holds now, copied under its lock (logback appends holding it): the service's threads go on
     * logging while a test reads, and reading the list meanwhile fails with a ConcurrentModificationException.
     */
    public static List<ILoggingEvent> copy(ListAppender<ILoggingEvent> appender) {
        synchronized (appender) {
            return List.copyOf(appender.list);
        }
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
    }
}
