package com.checkoutroutes.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CpuByOwnerTest {

    @Test
    void threadsAreCountedForWhoeverRunsThem() {
        assertThat(CpuByOwner.owner("data-plane-kafka-request-handler-3")).isEqualTo("broker");
        assertThat(CpuByOwner.owner("kafka-1-raft-io-thread")).isEqualTo("broker");
        assertThat(CpuByOwner.owner("ExpirationReaper-1-Fetch")).isEqualTo("broker");
        assertThat(CpuByOwner.owner("sandbox-http")).isEqualTo("sandbox");
        assertThat(CpuByOwner.owner("HTTP-Dispatcher")).isEqualTo("sandbox");
        assertThat(CpuByOwner.owner("arrivals-checkout.continuations.web")).isEqualTo("driver");
        assertThat(CpuByOwner.owner("kafka-producer-network-thread | load-driver-orders")).isEqualTo("driver");
        assertThat(CpuByOwner.owner("kafka-coordinator-heartbeat-thread | load-driver-1f2e")).isEqualTo("driver");
        // a Kafka client's threads are its owner's: these are the application's
        assertThat(CpuByOwner.owner("kafka-producer-network-thread | producer-2")).isEqualTo("service");
        assertThat(CpuByOwner.owner("kafka-coordinator-heartbeat-thread | checkout-routes")).isEqualTo("service");
        // the carriers of the order lanes' virtual threads
        assertThat(CpuByOwner.owner("ForkJoinPool-1-worker-2")).isEqualTo("service");
        assertThat(CpuByOwner.owner("ledger-group-commit-1")).isEqualTo("service");
    }
}
