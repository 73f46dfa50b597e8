package com.checkoutroutes.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link RefundState}'s machine, every pair written out as a table (never derived from {@link RefundState#next()}). */
class RefundStateMachineTest {

    /** Row: the refund's state; column: the state it would move to; {@code x} allowed, {@code .} refused. */
    private static final String[] TRANSITIONS = {
        "             REQ UNK ACC REF FAI",
        "REQUESTED     .   x   x   x   x ",
        "UNKNOWN       .   .   x   x   x ",
        "ACCEPTED      .   .   .   x   x ",
        "REFUNDED      .   .   .   .   . ",
        "FAILED        .   .   .   x   . ",
    };

    static Stream<Arguments> everyPair() {
        List<Arguments> pairs = new ArrayList<>();
        RefundState[] columns = RefundState.values();
        for (int row = 1; row < TRANSITIONS.length; row++) {
            String[] cells = TRANSITIONS[row].trim().split("\\s+");
            RefundState from = RefundState.valueOf(cells[0]);
            for (int column = 0; column < columns.length; column++) {
                pairs.add(Arguments.of(from, columns[column], cells[column + 1].equals("x")));
            }
        }
        return pairs.stream();
    }

    @Test
    void theTableHasEveryStateOnce() {
        assertThat(Arrays.stream(TRANSITIONS).skip(1).map(line -> line.trim().split("\\s+")[0]))
                .containsExactly(Arrays.stream(RefundState.values()).map(Enum::name).toArray(String[]::new));
        assertThat(everyPair()).hasSize(RefundState.values().length * RefundState.values().length);
    }

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @MethodSource("everyPair")
    void movesOnlyAsTheTableSays(RefundState from, RefundState to, boolean allowed) {
        assertThat(from.canMoveTo(to)).isEqualTo(allowed);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # state   | final | holdsAmount | dueForCheck
            REQUESTED | false | true        | true
            UNKNOWN   | false | true        | true
            ACCEPTED  | false | true        | true
            REFUNDED  | true  | true        | false
            FAILED    | true  | false       | false
            """)
    void whatEachStateMeans(RefundState state, boolean isFinal, boolean holdsAmount, boolean due) {
        assertThat(state.isFinal()).isEqualTo(isFinal);
        assertThat(state.holdsAmount()).isEqualTo(holdsAmount);
        assertThat(state.isDueForCheck()).isEqualTo(due);
    }

    @Test
    void aFinalResultEndsARefundAndAnAnswerMayOnlyAcceptIt() {
        assertThat(RefundState.onResult(true)).isEqualTo(RefundState.REFUNDED);
        assertThat(RefundState.onResult(false)).isEqualTo(RefundState.FAILED);
        assertThat(RefundState.onAnswer(true)).as("Antom's S only accepts a refund").isEqualTo(RefundState.ACCEPTED);
        assertThat(RefundState.onAnswer(false)).isEqualTo(RefundState.FAILED);
        assertThat(RefundState.sqlList(RefundState::isDueForCheck)).isEqualTo("'REQUESTED', 'UNKNOWN', 'ACCEPTED'");
        assertThat(RefundState.sqlList(RefundState::isTakenByAntom)).as("what a settlement file lists")
                .isEqualTo("'ACCEPTED', 'REFUNDED'");
    }
}
