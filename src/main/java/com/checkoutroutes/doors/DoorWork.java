package com.checkoutroutes.doors;

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
        if (release == null) {
            return task;
        }
        return () -> {
            try {
                task.run();
            } finally {
                release.run();
            }
        };
    }
}
