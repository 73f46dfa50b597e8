package com.checkoutroutes.gateway;

import com.alipay.global.api.model.Result;
import com.alipay.global.api.model.ResultStatusType;
import com.alipay.global.api.request.AlipayRequest;
import com.alipay.global.api.response.AlipayResponse;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls Antom through {@link AntomClient} and applies the docs' retry rule: a timed-out, 5xx, unverifiable or U
 * answer is sent again with the same request id and identical parameters (bounded, with backoff); F is final.
 */
public class AntomGateway {

    private static final Logger LOG = LoggerFactory.getLogger(AntomGateway.class);
    /** U codes that are answers, not failures: the payment waits for the buyer. */
    private static final Set<String> U_ANSWERS = Set.of("PAYMENT_IN_PROCESS");

    private final AntomClient client;
    private final AntomSettings.Retry retry;
    private final MeterRegistry meters;
    private final Sleeper sleeper;

    public AntomGateway(AntomClient client, AntomSettings.Retry retry, MeterRegistry meters, Sleeper sleeper) {
        this.client = client;
        this.retry = retry;
        this.meters = meters;
        this.sleeper = sleeper;
    }

    public <T extends AlipayResponse> CallOutcome<T> call(String api, String requestId, AlipayRequest<T> request) {
        Duration backoff = retry.initialBackoff();
        String lastReason = "not called";
        int maxAttempts = Math.max(1, retry.maxAttempts());
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            try {
                T response = client.execute(request);
                Result result = response.getResult();
                count(api, result.getResultStatus().name(), result.getResultCode());
                if (result.getResultStatus() != ResultStatusType.U || U_ANSWERS.contains(result.getResultCode())) {
                    return new CallOutcome.Answered<>(response, attempt);
                }
                lastReason = "U " + result.getResultCode();
            } catch (AntomCallException e) {
                count(api, "ERROR", e.kind().name());
                lastReason = e.getMessage();
            } catch (Exception e) {
                count(api, "ERROR", e.getClass().getSimpleName());
                lastReason = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            if (attempt < maxAttempts) {
                // the last attempt's line says how many there were: one WARN per call, not one per attempt
                LOG.debug("Antom {} for {} attempt {}/{}: {}", api, requestId, attempt, maxAttempts, lastReason);
                sleeper.sleep(backoff);
                backoff = Duration.ofMillis(Math.min(retry.maxBackoff().toMillis(),
                        (long) (backoff.toMillis() * retry.multiplier())));
            }
        }
        LOG.warn("Antom {} for {}: no answer after {} attempts: {}", api, requestId, maxAttempts, lastReason);
        return new CallOutcome.Unknown<>(lastReason, maxAttempts);
    }

    private void count(String api, String status, String code) {
        meters.counter("checkout.antom.calls", "api", api, "status", status, "code", code == null ? "" : code)
                .increment();
    }

    /** Backoff between retries; a seam so the waiting stays visible and interruptible. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration);

        static Sleeper real() {
            return d -> {
                try {
                    Thread.sleep(d.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while backing off", e);
                }
            };
        }
    }
}
