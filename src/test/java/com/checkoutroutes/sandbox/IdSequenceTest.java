package com.checkoutroutes.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The ids of the sandboxes one JVM starts never meet: the tests run a sandbox per Spring context on one database. */
class IdSequenceTest {

    @Test
    void twoFreshSandboxesInOneJvmIssueDifferentIds() {
        IdSequence first = new IdSequence(SandboxJournal.inMemory(), 0);
        IdSequence second = new IdSequence(SandboxJournal.inMemory(), 0);
        long a = first.next();
        long b = second.next();
        assertThat(a).isNotEqualTo(b);
        assertThat(Math.abs(a - b)).as("a billion ids apart").isGreaterThanOrEqualTo(1_000_000_000L);
    }

    @Test
    void aRestartedSandboxContinuesAboveItsReservation() {
        IdSequence restarted = new IdSequence(SandboxJournal.inMemory(), 200_000);
        assertThat(restarted.next()).isEqualTo(200_001);
    }
}
