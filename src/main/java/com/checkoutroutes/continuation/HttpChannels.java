package com.checkoutroutes.continuation;

import com.checkoutroutes.continuation.HttpChannelQueue.Delivery;
import com.checkoutroutes.continuation.HttpChannelQueue.State;
import com.checkoutroutes.platform.LogIds;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Body;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * HTTP(S) channels. A continuation for such a channel is queued ({@link #enqueue}) in the transaction in which the
 * outbox relay publishes its event, so it is queued exactly when the event counts as published and once per event.
 * Senders (threads of this instance) then POST the queue through the route {@value #POST_ROUTE} (signed, retried),
 * one message at a time per order, oldest first; the relay never waits for a receiver. One receiver gets all senders
 * but one at most, so a receiver that is slow (but answers in time, and so is never parked) leaves a sender to the
 * others.
 * <p>
 * A message whose POST still fails after the route's retries is parked: kept, counted in the
 * {@code checkout.channel.queue{state=PARKED}} gauge, logged without body or secret, and tried again after
 * {@code checkout.channels.http.parked-retry}. Meanwhile the receiver counts as down: its other messages are parked
 * without a call, and the later messages of a parked one's order wait behind it. The first message the receiver
 * accepts again releases all of its parked messages at once. A message the receiver refuses as such (400, 409, 413,
 * 415, 422) is REFUSED: kept and counted, not sent again, and neither marks the receiver down nor holds its order's
 * later messages. Delivery is at least once: a crash between the
 * receiver's answer and the mark sends the message again, with the same {@code X-Checkout-Event-Id}.
 */
@Component
public class HttpChannels implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(HttpChannels.class);
    /** The route that signs and POSTs one message (routes/continuations.yaml). */
    public static final String POST_ROUTE = "direct:channel-http-post";
    /** The exchange property naming the channel's endpoint, in the routes. */
    public static final String ENDPOINT = "channel";
    /** The Camel endpoint the POST goes to: the channel's, its answer's body never read ({@link #postUri}). */
    public static final String POST_URI = "channelPost";

    private final HttpChannelQueue queue;
    private final TransactionTemplate tx;
    private final CamelContext camel;
    private final ProducerTemplate producer;
    private final Clock clock;
    private final Duration parkedRetry;
    private final int senders;
    /** POSTs at once to one receiver: all senders but one, so a slow receiver leaves one to the others. */
    private final int perReceiver;
    /** POSTs on their way from this instance, by receiver. */
    private final Map<String, AtomicInteger> posting = new ConcurrentHashMap<>();
    private final ExecutorService executor;
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicBoolean again = new AtomicBoolean();
    /** Receivers that failed, and until when their messages are parked without a call. */
    private final Map<String, Instant> downUntil = new ConcurrentHashMap<>();
    private final AtomicLong pendingGauge = new AtomicLong();
    private final AtomicLong parkedGauge = new AtomicLong();
    private final AtomicLong refusedGauge = new AtomicLong();
    private final MeterRegistry meters;

    public HttpChannels(HttpChannelQueue queue, TransactionTemplate tx, CamelContext camel, Clock clock,
            MeterRegistry meters, ChannelSettings settings) {
        this.queue = queue;
        this.tx = tx;
        this.camel = camel;
        this.producer = camel.createProducerTemplate();
        this.clock = clock;
        this.meters = meters;
        this.parkedRetry = settings.http().parkedRetry();
        this.senders = queue.concurrentSenders() ? settings.http().senders() : 1;
        this.perReceiver = Math.max(1, senders - 1);
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(senders, runnable -> {
            Thread thread = new Thread(runnable, "channel-http-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        Gauge.builder("checkout.channel.queue", pendingGauge, AtomicLong::get).tag("state", State.PENDING.name())
                .description("messages to HTTP channels waiting to be POSTed").register(meters);
        Gauge.builder("checkout.channel.queue", parkedGauge, AtomicLong::get).tag("state", State.PARKED.name())
                .description("messages to HTTP channels parked after their receiver kept failing").register(meters);
        Gauge.builder("checkout.channel.queue", refusedGauge, AtomicLong::get).tag("state", State.REFUSED.name())
                .description("messages to HTTP channels their receiver refused (4xx): not sent again").register(meters);
    }

    /**
     * The route's step for an HTTP(S) channel: queues the message (body) of outbox event {@code checkoutEventId} for
     * {@code endpoint}, and wakes the senders once the caller's transaction has committed.
     */
    public void enqueue(@Header("checkoutEventId") String eventId, @Header(KafkaConstants.KEY) String orderId,
            @ExchangeProperty(ENDPOINT) String endpoint, @Body String payload) {
        if (eventId == null || !eventId.chars().allMatch(Character::isDigit) || eventId.isEmpty()) {
            throw new IllegalArgumentException("a message for an HTTP channel comes from the outbox (checkoutEventId "
                    + "header), got " + eventId);
        }
        if (orderId == null || orderId.isBlank()) {
            throw new IllegalArgumentException("a message for an HTTP channel needs its order's key");
        }
        queue.add(Long.parseLong(eventId), endpoint.strip(), orderId, payload, OffsetDateTime.now(clock));
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    wake();
                }
            });
        } else {
            wake();
        }
    }

    /** Has the queue drained soon (the timer in routes/continuations.yaml, and each queued message). */
    public void wake() {
        again.set(true);
        int running = active.get();
        if (running < senders && active.compareAndSet(running, running + 1)) {
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException shuttingDown) {
                active.decrementAndGet();
            }
        }
    }

    private void drain() {
        try {
            do {
                again.set(false);
                while (deliverNext()) {
                    // one message per transaction, until none is due
                }
            } while (again.get());
        } catch (RuntimeException e) {
            LOG.warn("HTTP channels: delivery stopped, the next sweep goes on: {}", e.toString());
        } finally {
            active.decrementAndGet();
            refreshGauges();
        }
    }

    private enum Outcome { DELIVERED, FAILED, REFUSED, NOT_TRIED, LEFT, RECEIVER_BUSY }

    private record Result(Delivery delivery, Outcome outcome) {
    }

    /** Claims, POSTs and marks the next due message; false when there was none (or it must wait for a sweep). */
    private boolean deliverNext() {
        Result result = tx.execute(status -> {
            OffsetDateTime now = OffsetDateTime.now(clock);
            Optional<Delivery> next = queue.claimNext(now, receiversAtTheirShare());
            if (next.isEmpty()) {
                return null;
            }
            Delivery delivery = next.get();
            AtomicInteger toReceiver = posting.computeIfAbsent(delivery.endpoint(), e -> new AtomicInteger());
            if (toReceiver.incrementAndGet() > perReceiver) {
                // another sender took this receiver's last place since the claim: the message stays for later
                toReceiver.decrementAndGet();
                status.setRollbackOnly();
                return new Result(delivery, Outcome.RECEIVER_BUSY);
            }
            try (LogIds ids = LogIds.of(delivery.orderId(), null, null)) {
                Outcome outcome = post(delivery, now);
                if (outcome == Outcome.LEFT) {
                    status.setRollbackOnly();
                }
                return new Result(delivery, outcome);
            } finally {
                toReceiver.decrementAndGet();
            }
        });
        if (result == null || result.outcome() == Outcome.LEFT) {
            return false;
        }
        if (result.outcome() == Outcome.RECEIVER_BUSY) {
            return true; // look again, past that receiver
        }
        if (result.outcome() == Outcome.DELIVERED) {
            meters.counter("checkout.channel.deliveries", "outcome", "delivered").increment();
            boolean wasDown = downUntil.remove(result.delivery().endpoint()) != null;
            // parked messages of this receiver (also those parked before a restart) need not wait for their time
            if (wasDown || result.delivery().state() == State.PARKED || parkedGauge.get() > 0) {
                releaseParked(result.delivery().endpoint());
            }
        } else {
            // held: parked without a POST while its receiver is failing
            String counted = switch (result.outcome()) {
                case REFUSED -> "refused";
                case NOT_TRIED -> "held";
                default -> "parked";
            };
            meters.counter("checkout.channel.deliveries", "outcome", counted).increment();
        }
        return true;
    }

    /** The receivers this instance POSTs to as often at once as one receiver may: their messages wait. */
    private Set<String> receiversAtTheirShare() {
        Set<String> busy = new HashSet<>();
        posting.forEach((endpoint, count) -> {
            if (count.get() >= perReceiver) {
                busy.add(endpoint);
            }
        });
        return busy;
    }

    /** POSTs one message through the route and records the outcome on its (locked) row. */
    private Outcome post(Delivery delivery, OffsetDateTime now) {
        String endpoint = delivery.endpoint();
        Instant down = downUntil.get(endpoint);
        if (down != null && down.isAfter(now.toInstant())) {
            queue.park(delivery.eventId(), false, down.atOffset(now.getOffset()), "not tried: " + display(endpoint)
                    + " is failing");
            return Outcome.NOT_TRIED;
        }
        Exchange sent = producer.send(POST_ROUTE, exchange -> {
            exchange.setProperty(ENDPOINT, endpoint);
            exchange.setProperty(POST_URI, postUri(endpoint));
            exchange.getIn().setHeader(ChannelSignature.EVENT_ID, String.valueOf(delivery.eventId()));
            exchange.getIn().setHeader(Exchange.HTTP_METHOD, "POST");
            exchange.getIn().setHeader(Exchange.CONTENT_TYPE, "application/json; charset=UTF-8");
            exchange.getIn().setBody(delivery.payload());
        });
        OffsetDateTime after = OffsetDateTime.now(clock);
        Throwable failure = sent.getException();
        if (failure == null) {
            queue.delivered(delivery.eventId(), after);
            if (delivery.attempts() > 0) {
                LOG.info("channel message {} of order {} delivered to {} after {} earlier attempt(s)",
                        delivery.eventId(), delivery.orderId(), display(endpoint), delivery.attempts());
            }
            return Outcome.DELIVERED;
        }
        String reason = reasonOf(failure);
        if (reason == null && !camel.getStatus().isStarted()) {
            // Camel is stopping: the message stays as it was, for the next start
            LOG.warn("channel message {} of order {} not sent to {}: {}", delivery.eventId(), delivery.orderId(),
                    display(endpoint), failure.toString());
            return Outcome.LEFT;
        }
        if (reason == null) {
            // not an answer of the receiver but no better for its being sent again at once (an endpoint Camel cannot
            // resolve, a bug): parked like a receiver that fails, so that it holds up no other receiver's messages
            reason = "not sent: " + failure.getClass().getSimpleName();
            LOG.warn("channel message {} of order {} could not be sent to {}: {}", delivery.eventId(),
                    delivery.orderId(), display(endpoint), failure.toString());
        } else if (refusedForGood(failure)) {
            // this message, not the receiver: sending it again would be refused again, and it must not mark the
            // receiver down for every other order nor hold its own order's later messages
            queue.refuse(delivery.eventId(), after, reason);
            LOG.warn("channel message {} of order {} refused by {}: {}; not sent again (channel_delivery state "
                    + "REFUSED)", delivery.eventId(), delivery.orderId(), display(endpoint), reason);
            return Outcome.REFUSED;
        }
        OffsetDateTime retryAt = after.plus(parkedRetry);
        queue.park(delivery.eventId(), true, retryAt, reason);
        if (downUntil.put(endpoint, retryAt.toInstant()) == null) {
            LOG.warn("channel receiver {} is failing ({}): its messages are parked and tried again from {}",
                    display(endpoint), reason, retryAt);
        }
        LOG.warn("channel message {} of order {} parked after {} attempt(s) to {}: {}; tried again at {}",
                delivery.eventId(), delivery.orderId(), delivery.attempts() + 1, display(endpoint), reason, retryAt);
        return Outcome.FAILED;
    }

    private void releaseParked(String endpoint) {
        Integer released = tx.execute(status -> queue.release(endpoint, OffsetDateTime.now(clock)));
        if (released != null && released > 0) {
            LOG.info("channel receiver {} answers again: {} parked message(s) released", display(endpoint), released);
            wake();
        }
    }

    /**
     * Answers that speak of this message, not of the receiver: it is malformed for the receiver (400, 422), of a type
     * it does not take (415), too large (413) or in conflict with what it has (409). Sent again it would be refused
     * again. The receiver's other refusals (401 and 403 while a key is rotated, 404 during a deploy, a redirect) say
     * nothing about the message: those park it, and the first message the receiver takes again releases it.
     */
    static final Set<Integer> REFUSALS_OF_THE_MESSAGE = Set.of(400, 409, 413, 415, 422);

    static boolean refusedForGood(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpOperationFailedException http) {
                return REFUSALS_OF_THE_MESSAGE.contains(http.getStatusCode());
            }
        }
        return false;
    }

    /** Why the receiver did not take the message (no body, no secret), or null when the receiver is not to blame. */
    static String reasonOf(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpOperationFailedException http) {
                return "HTTP " + http.getStatusCode();
            }
            if (cause instanceof IOException io) {
                return io.getClass().getSimpleName() + (io.getMessage() == null ? "" : ": " + io.getMessage());
            }
        }
        return null;
    }

    /**
     * The channel's endpoint with camel-http's {@code ignoreResponseBody}: only the receiver's status counts, and a
     * body kept whole (an answer's in the exchange, an error's in its exception) took any size a receiver sent into
     * the heap. The client still reads it to its end, discarding it (to use the connection again): a body that
     * trickles in within the read timeout holds the sender meanwhile.
     */
    static String postUri(String endpoint) {
        String uri = endpoint.strip();
        return uri + (uri.contains("?") ? "&" : "?") + "ignoreResponseBody=true";
    }

    /** An endpoint as logged: scheme, host, port and path, never user info or query (which may carry tokens). */
    static String display(String endpoint) {
        try {
            URI uri = URI.create(endpoint.strip());
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                    + (uri.getRawPath() == null ? "" : uri.getRawPath());
        } catch (IllegalArgumentException e) {
            return "(an endpoint that is not a URI)";
        }
    }

    private void refreshGauges() {
        try {
            Map<State, Long> counts = queue.undelivered();
            pendingGauge.set(counts.get(State.PENDING));
            parkedGauge.set(counts.get(State.PARKED));
            refusedGauge.set(counts.get(State.REFUSED));
        } catch (RuntimeException e) {
            LOG.debug("channel queue not counted", e);
        }
    }

    @Override
    public void destroy() throws Exception {
        executor.shutdown();
        if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
            executor.shutdownNow();
        }
        producer.stop();
    }
}
