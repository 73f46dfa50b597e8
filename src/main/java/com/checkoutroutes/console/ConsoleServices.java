package com.checkoutroutes.console;

import com.checkoutroutes.continuation.HttpChannelQueue;
import com.checkoutroutes.deadletter.DeadLetterArchive;
import com.checkoutroutes.ledger.OrderConsults;
import com.checkoutroutes.ledger.PaymentLedger;
import com.checkoutroutes.operations.GuardedRouteReload;
import com.checkoutroutes.scheduling.JobRuns;
import java.time.Clock;
import org.springframework.stereotype.Component;

/** What the pages read and do, in one place for the management context's page handlers to take from the application. */
@Component
public record ConsoleServices(ConsoleSettings settings, Clock clock, PaymentLedger ledger,
        OrderConsults consults, Timeline timeline, Attention attention, DeadLetterArchive deadLetters,
        Reconciliations reconciliations, JobRuns jobRuns, GuardedRouteReload routeFiles,
        RouteStatistics routeStatistics, ConsoleActions actions, ActionLog actionLog,
        HttpChannelQueue channelMessages) {
}
