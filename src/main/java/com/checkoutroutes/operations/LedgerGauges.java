package com.checkoutroutes.operations;

import com.checkoutroutes.ledger.CommittedTransitions;
import com.checkoutroutes.ledger.NotificationInbox;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.ledger.RefundState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import com.checkoutroutes.platform.PeriodicRefresh;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Business gauges read from the ledger: attempts per state, open authorisations by age, flagged attempts and refunds
 * per state. A scrape (or a storm of them) never queries the database: the counts are cached. Each state change this
 * instance commits moves its counts at once (one attempt out of its old state, into its new one), so they are right
 * within moments; a recount on a timer corrects for the changes of other instances: the states of payments in flight
 * every ledger-refresh, the settled ones (SUCCEEDED, CAPTURED, FAILED, EXPIRED, CANCELLED: the ledger's whole history)
 * every ledger-history-refresh. Refunds are recounted only: the open ones (REQUESTED, UNKNOWN, ACCEPTED) every
 * ledger-refresh, the final ones (REFUNDED, FAILED) every ledger-history-refresh.
 */
@Component
public class LedgerGauges extends PeriodicRefresh {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerGauges.class);

    private final JdbcTemplate jdbc;
    private final NotificationInbox inbox;
    private final Clock clock;
    /** Payments still moving: counted on every refresh. */
    private static final Set<PaymentState> IN_FLIGHT = PaymentState.where(PaymentState::isInFlight);

    private final Duration refreshEvery;
    private final Duration historyRefreshEvery;
    private java.time.Instant lastHistoryCount;
    private final Map<PaymentState, Long> byState = new EnumMap<>(PaymentState.class);
    private final Map<AuthorisationAge, Long> authorisedByAge = new EnumMap<>(AuthorisationAge.class);
    private final Map<RefundState, Long> refundsByState = new EnumMap<>(RefundState.class);
    private volatile double unmatchedNotifications;
    private volatile double flaggedPayments;
    /**
     * The state changes committed while a recount runs (null when none does): a count read before one of them
     * committed does not hold it, so the settled states it touches are moved again after the swap.
     */
    private List<PaymentState[]> movedDuringCount;

    public LedgerGauges(JdbcTemplate jdbc, Clock clock, MeterRegistry meters, MetricsSettings settings,
            CommittedTransitions transitions, NotificationInbox inbox) {
        super("ledger-gauges", settings.ledgerRefresh());
        this.jdbc = jdbc;
        this.inbox = inbox;
        this.clock = clock;
        this.refreshEvery = settings.ledgerRefresh();
        this.historyRefreshEvery = settings.ledgerHistoryRefresh();
        for (PaymentState state : PaymentState.values()) {
            Gauge.builder("checkout.payments", this, g -> g.count(g.byState, state))
                    .description("payment attempts in each state (this instance's changes at once, recounted every "
                            + refreshEvery + " / " + historyRefreshEvery + " for settled states)")
                    .tag("state", state.name()).register(meters);
        }
        transitions.subscribe(this::moved);
        for (AuthorisationAge age : AuthorisationAge.values()) {
            Gauge.builder("checkout.payments.authorised.open", this, g -> g.count(g.authorisedByAge, age))
                    .description("AUTHORISED attempts not yet captured or cancelled, by time since authorisation")
                    .tag("age", age.label).register(meters);
        }
        Gauge.builder("checkout.notifications.unmatched", this, g -> g.unmatchedNotifications)
                .description("payment and capture notifications of the last week kept UNMATCHED: for payments this "
                        + "service does not have, or waiting for their payment's result (recounted every "
                        + refreshEvery + ")")
                .register(meters);
        Gauge.builder("checkout.payments.flagged", this, g -> g.flaggedPayments)
                .description("payment attempts flagged for an operator (console: Needs attention), each a payment "
                        + "whose money waits on a person (recounted every " + refreshEvery + ")")
                .register(meters);
        for (RefundState state : RefundState.values()) {
            Gauge.builder("checkout.refunds", this, g -> g.count(g.refundsByState, state))
                    .description("refunds in each state (recounted every " + refreshEvery + " / "
                            + historyRefreshEvery + " for final states)")
                    .tag("state", state.name()).register(meters);
        }
    }

    /** Time since authorisation (paid_at of an AUTHORISED attempt): uncaptured ones past 5 days need a look. */
    enum AuthorisationAge {
        UNDER_1_DAY("lt_1d"), ONE_TO_5_DAYS("1d_5d"), OVER_5_DAYS("gt_5d");

        final String label;

        AuthorisationAge(String label) {
            this.label = label;
        }
    }

    @Override
    protected void refresh() {
        try {
            // attempts in flight are few and found through ix_attempt_state; the settled ones are the whole history
            // of the ledger (a full scan that took seconds of database CPU at a load test's size), so they are
            // counted only every history-refresh
            boolean history = lastHistoryCount == null
                    || !clock.instant().isBefore(lastHistoryCount.plus(historyRefreshEvery));
            synchronized (this) {
                movedDuringCount = new ArrayList<>();
            }
            Map<PaymentState, Long> states = countByState("payment_attempt", PaymentState.class,
                    PaymentState.sqlList(history ? state -> true : PaymentState::isInFlight));
            OffsetDateTime now = OffsetDateTime.now(clock);
            Map<AuthorisationAge, Long> ages = new EnumMap<>(AuthorisationAge.class);
            // since authorisation (paid_at), as the guard and the console count it: a flag set later moves
            // updated_at, and used to move an old authorisation back to the youngest bucket
            String authorised = "COALESCE(paid_at, updated_at)";
            jdbc.query("SELECT COALESCE(SUM(CASE WHEN " + authorised + " >= ? THEN 1 ELSE 0 END), 0), "
                            + "COALESCE(SUM(CASE WHEN " + authorised + " < ? AND " + authorised
                            + " >= ? THEN 1 ELSE 0 END), 0), "
                            + "COALESCE(SUM(CASE WHEN " + authorised + " < ? THEN 1 ELSE 0 END), 0) "
                            + "FROM payment_attempt WHERE state = ?",
                    rs -> {
                        ages.put(AuthorisationAge.UNDER_1_DAY, rs.getLong(1));
                        ages.put(AuthorisationAge.ONE_TO_5_DAYS, rs.getLong(2));
                        ages.put(AuthorisationAge.OVER_5_DAYS, rs.getLong(3));
                    },
                    now.minusDays(1), now.minusDays(1), now.minusDays(5), now.minusDays(5),
                    PaymentState.AUTHORISED.name());
            long unmatched = inbox.unplacedSince(now.minus(NotificationInbox.COUNTED_FOR));
            // few, and found through ix_attempt_flagged
            Long flagged = jdbc.queryForObject("SELECT COUNT(*) FROM payment_attempt WHERE flagged = TRUE", Long.class);
            Map<RefundState, Long> refunds = countByState("refund", RefundState.class,
                    RefundState.sqlList(history ? state -> true : state -> !state.isFinal()));
            synchronized (this) {
                swap(byState, states, history, state -> !IN_FLIGHT.contains(state));
                if (history) {
                    // the settled states are this round's counts: the changes into or out of them since it began
                    // count again (the states in flight are recounted at every refresh and need not)
                    for (PaymentState[] move : movedDuringCount) {
                        moveSettled(move[0], move[1]);
                    }
                }
                authorisedByAge.clear();
                authorisedByAge.putAll(ages);
                swap(refundsByState, refunds, history, RefundState::isFinal);
                unmatchedNotifications = unmatched;
                flaggedPayments = flagged == null ? 0 : flagged;
            }
            if (history) {
                // only once every count of it succeeded: a failed one is tried again at the next refresh
                lastHistoryCount = clock.instant();
            }
        } catch (RuntimeException e) {
            // the database being down shows in /actuator/health; the gauges keep their last values meanwhile
            LOG.warn("ledger gauges not refreshed: {}", e.toString());
        } finally {
            synchronized (this) {
                movedDuringCount = null;
            }
        }
    }

    /**
     * Puts a recount in place: on a history round all of it; otherwise the moving states' counts, the settled ones
     * keeping their current counts (which this instance's changes have kept moving meanwhile).
     */
    private static <S extends Enum<S>> void swap(Map<S, Long> current, Map<S, Long> counted, boolean history,
            Predicate<S> settled) {
        if (!history) {
            current.forEach((state, count) -> {
                if (settled.test(state)) {
                    counted.putIfAbsent(state, count);
                }
            });
        }
        current.clear();
        current.putAll(counted);
    }

    private void moveSettled(PaymentState from, PaymentState to) {
        if (from != null && !IN_FLIGHT.contains(from)) {
            byState.computeIfPresent(from, (state, count) -> Math.max(0, count - 1));
        }
        if (!IN_FLIGHT.contains(to)) {
            byState.merge(to, 1L, Long::sum);
        }
    }

    /** The rows of {@code table} per state, for the states {@code sqlList} names (a state without rows: none). */
    private <S extends Enum<S>> Map<S, Long> countByState(String table, Class<S> type, String sqlList) {
        Map<S, Long> counts = new EnumMap<>(type);
        jdbc.query("SELECT state, COUNT(*) FROM " + table + " WHERE state IN (" + sqlList + ") GROUP BY state",
                rs -> { counts.put(Enum.valueOf(type, rs.getString(1)), rs.getLong(2)); });
        return counts;
    }

    /** A committed state change: one attempt leaves {@code from} (null for a new one) and enters {@code to}. */
    synchronized void moved(PaymentState from, PaymentState to) {
        if (from != null) {
            byState.computeIfPresent(from, (state, count) -> Math.max(0, count - 1));
        }
        byState.merge(to, 1L, Long::sum);
        if (movedDuringCount != null) {
            movedDuringCount.add(new PaymentState[] {from, to});
        }
    }

    private synchronized <K> double count(Map<K, Long> counts, K key) {
        return counts.getOrDefault(key, 0L);
    }
}
