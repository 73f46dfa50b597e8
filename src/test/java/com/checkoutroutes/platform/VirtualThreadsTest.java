package com.checkoutroutes.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class VirtualThreadsTest {

    @Test
    void onJava21AndLaterTasksRunOnNamedVirtualThreadsAndOnJava17ThereAreNone() throws Exception {
        var executor = VirtualThreads.perTaskExecutor("vt-test-");
        if (Runtime.version().feature() < 21) {
            assertThat(executor).isEmpty();
            return;
        }
        assertThat(executor).isPresent();
        ExecutorService threads = executor.get();
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        threads.submit(() -> ranOn.set(Thread.currentThread())).get(10, TimeUnit.SECONDS);
        threads.shutdown();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ranOn.get().getName()).startsWith("vt-test-");
        assertThat((Boolean) Thread.class.getMethod("isVirtual").invoke(ranOn.get())).isTrue();
    }
}
