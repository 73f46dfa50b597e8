package com.checkoutroutes.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CpuByOwnerTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ';', value = {
            "data-plane-kafka-request-handler-3; broker",
            "kafka-1-raft-io-thread; broker",
            "ExpirationReaper-1-Fetch; broker",
            "sandbox-http; sandbox",
            "HTTP-Dispatcher; sandbox",
            "arrivals-checkout.continuations.web; driver",
            "kafka-producer-network-thread | load-driver-orders; driver",
            "kafka-coordinator-heartbeat-thread | load-driver-1f2e; driver",
            // a Kafka client's threads are its owner's: these are the application's
            "kafka-producer-network-thread | producer-2; service",
            "kafka-coordinator-heartbeat-thread | checkout-routes; service",
            // the carriers of the order lanes' virtual threads
            "ForkJoinPool-1-worker-2; service",
            "ledger-group-commit-1; service"})
    void threadsAreCountedForWhoeverRunsThem(String thread, String owner) {
        assertThat(CpuByOwner.owner(thread)).isEqualTo(owner);
    }
}
