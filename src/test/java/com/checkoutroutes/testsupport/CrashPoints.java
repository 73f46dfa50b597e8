package com.checkoutroutes.testsupport;

import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.orderintake.PaymentOutcomes;
import java.lang.reflect.InvocationTargetException;
import org.mockito.Mockito;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.dao.TransientDataAccessResourceException;

/**
 * Two points of the order flow where a test makes the process fail as a crash would: nothing after the point runs
 * and the Kafka offset is not committed. The failure is a {@link TransientDataAccessResourceException}, which the
 * order route treats as "infrastructure in trouble, read the order again", exactly as after a real crash.
 * Test code only: the production jar carries no seam; the points wrap the {@code PaymentOutcomes} bean.
 */
public class CrashPoints {

    /** Antom answered, nothing recorded yet: a redelivery must send the identical request again. */
    public static final String AFTER_ANTOM_CALL = "after-antom-call";
    /** The outcome is durable, the offset not yet committed: a redelivery must not call Antom again. */
    public static final String AFTER_OUTCOME_RECORDED = "after-outcome-recorded";

    private String armed;
    /** Only this order's passes crash (null: any order's, the janitor's resends included). */
    private String onlyOrder;
    private int remaining;
    private java.util.function.Function<String, RuntimeException> failure;

    /** Fails the next {@code times} passes through {@code point}, as a crash would (infrastructure failure). */
    public synchronized void arm(String point, int times) {
        arm(point, times, TransientDataAccessResourceException::new);
    }

    /** Fails the next {@code times} passes through {@code point} with this exception (e.g. a bug's). */
    public synchronized void arm(String point, int times, java.util.function.Function<String, RuntimeException> failure) {
        this.remaining = times;
        this.armed = point;
        this.onlyOrder = null;
        this.failure = failure;
    }

    /** Fails the next {@code times} passes of {@code orderId}'s attempts through {@code point}, as a crash would. */
    public synchronized void armFor(String orderId, String point, int times) {
        armFor(orderId, point, times, TransientDataAccessResourceException::new);
    }

    /** {@link #armFor(String, String, int)} failing with this exception. */
    public synchronized void armFor(String orderId, String point, int times,
            java.util.function.Function<String, RuntimeException> failure) {
        arm(point, times, failure);
        this.onlyOrder = orderId;
    }

    /** How many armed crashes have not happened yet. */
    public synchronized int pending() {
        return armed == null ? 0 : remaining;
    }

    public synchronized void disarm() {
        this.armed = null;
    }

    synchronized void reached(String point, PaymentAttempt attempt) {
        if (point.equals(armed) && remaining > 0 && (onlyOrder == null || onlyOrder.equals(attempt.orderId()))) {
            remaining--;
            throw failure.apply("simulated crash at " + point);
        }
    }

    /**
     * Registers the crash points and puts them around {@code PaymentOutcomes.record}. Imported by the flow tests
     * (no annotation: the local run's component scan must not pick it up).
     */
    public static class Wiring {

        @Bean
        static CrashPoints crashPoints() {
            return new CrashPoints();
        }

        @Bean
        static BeanPostProcessor crashPointsAroundOutcomes(org.springframework.beans.factory.ObjectProvider<CrashPoints> points) {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String beanName) {
                    if (!(bean instanceof PaymentOutcomes real)) {
                        return bean;
                    }
                    return Mockito.mock(PaymentOutcomes.class, Mockito.withSettings().defaultAnswer(call -> {
                        boolean record = call.getMethod().getName().equals("record");
                        if (record) {
                            points.getObject().reached(AFTER_ANTOM_CALL, (PaymentAttempt) call.getArguments()[0]);
                        }
                        Object result;
                        try {
                            result = call.getMethod().invoke(real, call.getArguments());
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                        if (record) {
                            points.getObject().reached(AFTER_OUTCOME_RECORDED, (PaymentAttempt) call.getArguments()[0]);
                        }
                        return result;
                    }));
                }
            };
        }
    }
}
