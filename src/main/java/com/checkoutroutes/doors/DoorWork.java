package com.checkoutroutes.doors;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RejectedExecutionHandler;
import org.springframework.core.task.TaskDecorator;

/**
 * The task executor's decorator (Spring Boot applies the one bean to {@code applicationTaskExecutor}, where
 * platform-http runs the routes behind the doors): a task handed on while a door's request passes holds that
 * request's place until the task ends, whether or not the caller still waits for its answer.
 */
public class DoorWork implements TaskDecorator {

    @Override
    public Runnable decorate(Runnable task) {
        Runnable release = DoorPlace.holdCurrent();
        return release == null ? task : new Held(task, release);
    }

    /**
     * The executor's handler of a task it refuses (a bounded queue full): the place it held is given back, and the
     * task refused as the default policy refuses it. A refused task never runs, so it would never give it back.
     */
    public static RejectedExecutionHandler releasingOnRejection() {
        return RELEASING_ON_REJECTION;
    }

    private static final RejectedExecutionHandler RELEASING_ON_REJECTION = (task, executor) -> {
        if (task instanceof Held held) {
            held.release.run();
        }
        throw new RejectedExecutionException("task " + task + " refused by " + executor);
    };

    /** A task holding its request's place until it ends. */
    private record Held(Runnable task, Runnable release) implements Runnable {

        @Override
        public void run() {
            try {
                task.run();
            } finally {
                release.run();
            }
        }
    }
}
