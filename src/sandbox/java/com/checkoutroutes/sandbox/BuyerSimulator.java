package com.checkoutroutes.sandbox;

import com.checkoutroutes.sandbox.OutcomeScript.Outcome;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Plays the buyer: either on demand (the checkout page's buttons / the buyer endpoints) or by script and magic
 * amount, so payments finish without anyone clicking.
 */
public final class BuyerSimulator implements AutoCloseable {

    /** Magic APM amounts (value suffix): the buyer pays / fails / pays via PENDING, 100 ms after pay. */
    static final String AUTO_PAY_SUFFIX = "0061";
    static final String AUTO_FAIL_SUFFIX = "0062";
    static final String AUTO_PENDING_THEN_PAY_SUFFIX = "0063";
    private static final long MAGIC_DELAY_MS = 100;

    private final SandboxPayments payments;
    private final PaymentLifecycle lifecycle;
    private final List<OutcomeScript> scripts = new ArrayList<>();
    private final List<int[]> counters = new ArrayList<>();
    /** Scripted buyer actions not yet played; reset cancels them so they cannot leak into the next test. */
    private final java.util.Set<java.util.concurrent.ScheduledFuture<?>> pending =
            java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "sandbox-buyer");
        thread.setDaemon(true);
        return thread;
    });

    public BuyerSimulator(SandboxPayments payments, PaymentLifecycle lifecycle) {
        this.payments = payments;
        this.lifecycle = lifecycle;
    }

    public synchronized void addScript(OutcomeScript script) {
        scripts.add(0, script); // newest first, so a later script overrides an older, broader one
        counters.add(0, new int[] {script.times()});
    }

    public synchronized void clearScripts() {
        scripts.clear();
        counters.clear();
    }

    public synchronized List<OutcomeScript> scripts() {
        return List.copyOf(scripts);
    }

    /** The script (or magic amount) deciding this new payment's fate, consuming one use of it. */
    synchronized Optional<OutcomeScript> takeScript(SandboxPayment payment) {
        Iterator<OutcomeScript> it = scripts.iterator();
        Iterator<int[]> counter = counters.iterator();
        while (it.hasNext()) {
            OutcomeScript script = it.next();
            int[] left = counter.next();
            if (script.matches(payment.method.type(), payment.value, payment.paymentRequestId)) {
                if (left[0] > 0 && --left[0] == 0) {
                    it.remove();
                    counter.remove();
                }
                return Optional.of(script);
            }
        }
        return magicAmount(payment);
    }

    /** The buyer a magic amount stands for (wallets and banks only). */
    private static Optional<OutcomeScript> magicAmount(SandboxPayment payment) {
        if (payment.isCard()) {
            return Optional.empty();
        }
        Outcome magic = payment.value.endsWith(AUTO_PAY_SUFFIX) ? Outcome.PAY
                : payment.value.endsWith(AUTO_FAIL_SUFFIX) ? Outcome.FAIL
                : payment.value.endsWith(AUTO_PENDING_THEN_PAY_SUFFIX) ? Outcome.PENDING_THEN_PAY : null;
        return Optional.ofNullable(magic).map(m -> new OutcomeScript(null, null, null, m, MAGIC_DELAY_MS, 1));
    }

    /**
     * After a restart: an open payment with a magic amount still gets its buyer (scripts are test controls and
     * are not kept, so scripted payments wait for a buyer action or expiry).
     */
    void resume(SandboxPayment payment) {
        if (payment.status.isOpen()) {
            magicAmount(payment).ifPresent(script -> playLater(payment, script));
        }
    }

    /** Runs a script's outcome later, as a real buyer would finish on their phone. */
    void playLater(SandboxPayment payment, OutcomeScript script) {
        if (script.outcome() == Outcome.ABANDON) {
            return; // the buyer never comes back; expiry closes the payment
        }
        later(() -> {
            if (script.outcome() == Outcome.PENDING_THEN_PAY) {
                act(payment, Outcome.PENDING_THEN_PAY, null);
                later(() -> act(payment, Outcome.PAY, null), Math.max(script.afterMs(), 1));
            } else {
                act(payment, script.outcome(), null);
            }
        }, script.afterMs());
    }

    private void later(Runnable action, long afterMs) {
        java.util.concurrent.ScheduledFuture<?>[] self = new java.util.concurrent.ScheduledFuture<?>[1];
        self[0] = scheduler.schedule(() -> {
            try {
                action.run();
            } finally {
                pending.remove(self[0]);
            }
        }, afterMs, TimeUnit.MILLISECONDS);
        pending.add(self[0]);
    }

    /** Forgets scripts and cancels scripted actions still waiting to be played. */
    public void reset() {
        clearScripts();
        pending.forEach(future -> future.cancel(false));
        pending.clear();
    }

    /**
     * Applies the buyer's action; returns whether it changed anything. PENDING_THEN_PAY here only moves the
     * payment to PENDING (the confirmation comes separately).
     */
    public boolean act(SandboxPayment payment, Outcome outcome, String failCode) {
        synchronized (payments) {
            return switch (outcome) {
                case PAY -> lifecycle.paid(payment);
                case FAIL -> lifecycle.failed(payment, failureFor(payment, failCode), true);
                case PENDING_THEN_PAY -> lifecycle.pending(payment);
                case ABANDON -> false;
            };
        }
    }

    private static ApiResult failureFor(SandboxPayment payment, String failCode) {
        if (failCode != null) {
            return ApiResult.f(failCode, "payment failed (" + failCode + ")");
        }
        return payment.isCard()
                ? ApiResult.f("THREE_D_SECURE_AUTHENTICATION_FAILED", "The 3D Secure authentication failed.")
                : ApiResult.f("USER_BALANCE_NOT_ENOUGH", "The payment failed because the user balance is not enough.");
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
