package com.checkoutroutes.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.checkoutroutes.scheduling.JobRuns.Report;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a run of held-order-events does with each selected letter: re-drives it; one another re-drive took meanwhile
 * (an operator's, another instance's run) is left, and the run goes on with the rest.
 */
class HeldOrderEventsTest {

    private final DeadLetterRedrives redrives = mock(DeadLetterRedrives.class);
    private final HeldOrderEvents held = new HeldOrderEvents(redrives);

    @Test
    void eachLetterIsReDrivenAndOneReDrivenMeanwhileIsLeft() {
        when(redrives.redrive(2L, HeldOrderEvents.BY)).thenThrow(new RedriveRefusedException("ALREADY_REDRIVEN",
                "dead letter 2 was re-driven just now"));

        Report report = held.run(List.of(Map.of("id", 1L), Map.of("id", 2), Map.of("id", 3L)));

        verify(redrives).redrive(1L, HeldOrderEvents.BY);
        verify(redrives).redrive(3L, HeldOrderEvents.BY);
        assertThat(report.lookedAt()).isEqualTo(3);
        assertThat(report.changed()).isEqualTo(2);
        assertThat(report.detail()).isEqualTo("re-driven 1, 3");
    }
}
