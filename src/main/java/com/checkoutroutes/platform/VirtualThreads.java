package com.checkoutroutes.platform;

import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/**
 * An executor that starts a virtual thread per task, where the JVM has them (Java 21 and later: the build's JDK 25
 * and the Dockerfile's). The code is compiled for Java 17, so the Java 21 API is reached by reflection; on a Java 17
 * JVM there is none and the caller keeps platform threads.
 */
public final class VirtualThreads {

    private VirtualThreads() {
    }

    /** A virtual thread per task, named {@code prefix1}, {@code prefix2}...; empty before Java 21. */
    public static Optional<ExecutorService> perTaskExecutor(String prefix) {
        try {
            Class<?> builderType = Class.forName("java.lang.Thread$Builder");
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            builder = builderType.getMethod("name", String.class, long.class).invoke(builder, prefix, 1L);
            ThreadFactory factory = (ThreadFactory) builderType.getMethod("factory").invoke(builder);
            return Optional.of((ExecutorService) Executors.class
                    .getMethod("newThreadPerTaskExecutor", ThreadFactory.class).invoke(null, factory));
        } catch (ReflectiveOperationException e) {
            return Optional.empty();
        }
    }
}
