package com.checkoutroutes.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.checkoutroutes.scheduling.JobRuns.Report;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a run of held-order-events does with each selected letter: re-drives it; one another re-drive took meanwhile is
 * left; one that can never be re-driven becomes a refusal, so that it is not picked first at every later run while
 * the letters behind it wait.
 */
class HeldOrderEventsTest {

    private final DeadLetterRedrives redrives = mock(DeadLetterRedrives.class);
    private final DeadLetterArchive archive = mock(DeadLetterArchive.class);
    private final HeldOrderEvents held = new HeldOrderEvents(redrives, archive);

    @Test
    void eachLetterIsReDrivenAndOneThatNeverCanBecomesARefusal() {
        when(redrives.redrive(2L, HeldOrderEvents.BY)).thenThrow(new RedriveRefusedException("ALREADY_REDRIVEN",
                "dead letter 2 was re-driven just now"));
        when(redrives.redrive(3L, HeldOrderEvents.BY)).thenThrow(new RedriveRefusedException("NOT_REDRIVABLE",
                "dead letter 3 came from old.order-events, which no consumer route reads"));

        Report report = held.run(List.of(Map.of("id", 1L), Map.of("id", 2), Map.of("id", 3L)));

        verify(redrives).redrive(1L, HeldOrderEvents.BY);
        verify(archive, never()).refuseHeld(eq(2L), anyString(), anyString());
        verify(archive).refuseHeld(3L, "NOT_REDRIVABLE",
                "dead letter 3 came from old.order-events, which no consumer route reads");
        assertThat(report.lookedAt()).isEqualTo(3);
        assertThat(report.changed()).isEqualTo(2);
        assertThat(report.detail()).isEqualTo("re-driven 1");
    }
}
