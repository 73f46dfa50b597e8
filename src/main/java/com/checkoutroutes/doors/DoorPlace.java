package com.checkoutroutes.doors;

import jakarta.servlet.ServletException;
import java.io.IOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A request's place at its door, given back only when the container is done with the request and so is all the work
 * the request handed to the task executor ({@link DoorWork}). Platform-http runs a route there and the servlet's
 * async timeout answers the caller without stopping it: a place given back at that answer let new requests in while
 * the old ones' routes still ran, and the executor's queue grew without a bound.
 */
final class DoorPlace {

    /** The place of the request this thread is passing to the application, while it does. */
    private static final ThreadLocal<DoorPlace> CURRENT = new ThreadLocal<>();

    private final Semaphore permits;
    /** The request itself, plus each task it handed on that has not ended. */
    private final AtomicInteger holders = new AtomicInteger(1);

    DoorPlace(Semaphore permits) {
        this.permits = permits;
    }

    /** Marks this place as the current thread's while {@code work} runs. */
    void whileCurrent(Work work) throws IOException, ServletException {
        CURRENT.set(this);
        try {
            work.run();
        } finally {
            CURRENT.remove();
        }
    }

    /** The request's own hold: given back once, however many of the container's events say it ended. */
    Runnable requestHold() {
        return once();
    }

    /**
     * A hold for a task the current thread's request hands on, or null outside a door's request. Taken on that
     * thread while the request still holds the place, so never after the place was given back.
     */
    static Runnable holdCurrent() {
        DoorPlace place = CURRENT.get();
        if (place == null) {
            return null;
        }
        place.holders.incrementAndGet();
        return place.once();
    }

    private Runnable once() {
        AtomicBoolean done = new AtomicBoolean();
        return () -> {
            if (done.compareAndSet(false, true) && holders.decrementAndGet() == 0) {
                permits.release();
            }
        };
    }

    /** The request's way on through the filter chain. */
    @FunctionalInterface
    interface Work {
        void run() throws IOException, ServletException;
    }
}
