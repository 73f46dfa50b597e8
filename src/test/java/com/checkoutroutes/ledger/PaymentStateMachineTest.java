package com.checkoutroutes.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.checkoutroutes.ledger.PaymentState.FirstCheck;
import com.checkoutroutes.ledger.PaymentState.Reported;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The state machine of {@link PaymentState}, every answer written out as a table (never derived from
 * {@link PaymentState#next()}): a change to a rule has to change a line here too.
 */
class PaymentStateMachineTest {

    /**
     * Every ordered pair: the row is the state an attempt is in, the column the state it would move to; {@code x}
     * allowed, {@code .} refused. Columns in declaration order.
     */
    private static final String[] TRANSITIONS = {
        "                   CRE REQ PEN UNK SUC AUT CRQ CAP CFL FAI EXP CAN",
        "CREATED             .   x   .   .   .   .   .   .   .   x   .   . ",
        "REQUESTED           .   .   x   x   x   x   .   .   .   x   x   x ",
        "PENDING             .   .   .   x   x   x   .   .   .   x   x   x ",
        "UNKNOWN             .   x   x   .   x   x   .   .   .   x   x   x ",
        "SUCCEEDED           .   .   .   .   .   .   .   x   .   .   .   x ",
        "AUTHORISED          .   .   .   .   .   .   x   x   .   .   .   x ",
        "CAPTURE_REQUESTED   .   .   .   .   .   .   .   x   x   .   .   x ",
        "CAPTURED            .   .   .   .   .   .   .   .   .   .   .   . ",
        "CAPTURE_FAILED      .   .   .   .   .   .   x   x   .   .   .   x ",
        "FAILED              .   .   .   .   .   .   .   .   .   .   .   . ",
        "EXPIRED             .   .   .   .   .   .   .   .   .   .   .   . ",
        "CANCELLED           .   .   .   .   .   .   .   .   .   .   .   . ",
    };

    static Stream<Arguments> everyPair() {
        List<Arguments> pairs = new ArrayList<>();
        PaymentState[] columns = PaymentState.values();
        for (int row = 1; row < TRANSITIONS.length; row++) {
            String[] cells = TRANSITIONS[row].trim().split("\\s+");
            PaymentState from = PaymentState.valueOf(cells[0]);
            for (int column = 0; column < columns.length; column++) {
                pairs.add(Arguments.of(from, columns[column], cells[column + 1].equals("x")));
            }
        }
        return pairs.stream();
    }

    @Test
    void theTableHasEveryStateOnceAsARowAndACell() {
        assertThat(Arrays.stream(TRANSITIONS).skip(1).map(line -> line.trim().split("\\s+")[0]))
                .containsExactly(Arrays.stream(PaymentState.values()).map(Enum::name).toArray(String[]::new));
        assertThat(Arrays.stream(TRANSITIONS).skip(1).map(line -> line.trim().split("\\s+")))
                .allSatisfy(cells -> assertThat(cells).hasSize(PaymentState.values().length + 1)
                        .satisfies(c -> assertThat(Arrays.copyOfRange(c, 1, c.length)).isSubsetOf("x", ".")));
        assertThat(everyPair()).hasSize(PaymentState.values().length * PaymentState.values().length);
    }

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @MethodSource("everyPair")
    void movesOnlyAsTheTableSays(PaymentState from, PaymentState to, boolean allowed) {
        assertThat(from.canMoveTo(to)).isEqualTo(allowed);
        assertThat(from.next().contains(to)).isEqualTo(allowed);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # state           | final | paid  | open  | inFlight | resultUnknown | due   | dueIfAutomatic | firstCheck
            CREATED           | false | false | true  | true     | false         | false | false          | REQUESTED
            REQUESTED         | false | false | true  | true     | true          | true  | false          | REQUESTED
            PENDING           | false | false | true  | true     | false         | true  | false          | PENDING
            UNKNOWN           | false | false | true  | true     | true          | true  | false          | UNKNOWN
            SUCCEEDED         | false | true  | false | false    | false         | false | true           | REQUESTED
            AUTHORISED        | false | true  | false | true     | false         | false | false          | REQUESTED
            CAPTURE_REQUESTED | false | true  | false | true     | false         | true  | false          | CAPTURE_REQUESTED
            CAPTURED          | true  | true  | false | false    | false         | false | false          | REQUESTED
            CAPTURE_FAILED    | false | true  | false | true     | false         | false | false          | REQUESTED
            FAILED            | true  | false | false | false    | false         | false | false          | REQUESTED
            EXPIRED           | true  | false | false | false    | false         | false | false          | REQUESTED
            CANCELLED         | true  | false | false | false    | false         | false | false          | REQUESTED
            """)
    void answersPerState(PaymentState state, boolean isFinal, boolean paid, boolean open, boolean inFlight,
            boolean resultUnknown, boolean due, boolean dueIfAutomatic, FirstCheck firstCheck) {
        assertThat(state.isFinal()).as("final").isEqualTo(isFinal);
        assertThat(state.isPaid()).as("paid").isEqualTo(paid);
        assertThat(state.isOpen()).as("open").isEqualTo(open);
        assertThat(state.isInFlight()).as("in flight").isEqualTo(inFlight);
        assertThat(state.isResultUnknown()).as("result unknown").isEqualTo(resultUnknown);
        assertThat(state.isDueForCheck()).as("due for check").isEqualTo(due);
        assertThat(state.isDueForCheckIfAutomaticCapture()).as("due if automatic").isEqualTo(dueIfAutomatic);
        assertThat(state.isDueForCheck("AUTOMATIC")).as("due, automatic capture").isEqualTo(due || dueIfAutomatic);
        assertThat(state.isDueForCheck("MANUAL")).as("due, manual capture").isEqualTo(due);
        assertThat(state.firstCheck()).as("first check").isEqualTo(firstCheck);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # state           | AUTOMATIC | MANUAL | no capture mode
            CREATED           | false     | false  | false
            REQUESTED         | true      | true   | true
            PENDING           | true      | true   | true
            UNKNOWN           | true      | true   | true
            SUCCEEDED         | true      | false  | false
            AUTHORISED        | false     | false  | false
            CAPTURE_REQUESTED | true      | true   | true
            CAPTURED          | false     | false  | false
            CAPTURE_FAILED    | false     | false  | false
            FAILED            | false     | false  | false
            EXPIRED           | false     | false  | false
            CANCELLED         | false     | false  | false
            """)
    void dueForCheckByCaptureMode(PaymentState state, boolean automatic, boolean manual, boolean none) {
        assertThat(state.isDueForCheck("AUTOMATIC")).as("AUTOMATIC").isEqualTo(automatic);
        assertThat(state.isDueForCheck("MANUAL")).as("MANUAL").isEqualTo(manual);
        assertThat(state.isDueForCheck(null)).as("no capture mode").isEqualTo(none);
    }

    @ParameterizedTest(name = "{0} + {1} succeeded={2} {3} {4} -> {5}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # from            | reported        | succeeded | resultCode      | captureMode | expected
            CAPTURE_REQUESTED | CAPTURE_RESULT  | true      | SUCCESS         | MANUAL      | CAPTURED
            CAPTURE_REQUESTED | CAPTURE_RESULT  | false     | PROCESS_FAIL    | MANUAL      | CAPTURE_FAILED
            SUCCEEDED         | CAPTURE_RESULT  | true      | SUCCESS         | AUTOMATIC   | CAPTURED
            SUCCEEDED         | CAPTURE_RESULT  | false     | PROCESS_FAIL    | AUTOMATIC   | CAPTURE_FAILED
            REQUESTED         | PAYMENT_PENDING | true      | -               | -           | PENDING
            UNKNOWN           | PAYMENT_PENDING | false     | -               | MANUAL      | FAILED
            PENDING           | PAYMENT_PENDING | false     | PROCESS_FAIL    | AUTOMATIC   | FAILED
            PENDING           | PAYMENT_PENDING | false     | ORDER_IS_CLOSED | AUTOMATIC   | EXPIRED
            SUCCEEDED         | PAYMENT_PENDING | true      | -               | AUTOMATIC   | PENDING
            REQUESTED         | PAYMENT_RESULT  | true      | SUCCESS         | MANUAL      | AUTHORISED
            REQUESTED         | PAYMENT_RESULT  | true      | SUCCESS         | AUTOMATIC   | SUCCEEDED
            REQUESTED         | PAYMENT_RESULT  | true      | SUCCESS         | -           | SUCCEEDED
            PENDING           | PAYMENT_RESULT  | true      | SUCCESS         | MANUAL      | AUTHORISED
            UNKNOWN           | PAYMENT_RESULT  | true      | SUCCESS         | AUTOMATIC   | SUCCEEDED
            EXPIRED           | PAYMENT_RESULT  | true      | SUCCESS         | AUTOMATIC   | SUCCEEDED
            SUCCEEDED         | PAYMENT_RESULT  | true      | SUCCESS         | MANUAL      | SUCCEEDED
            AUTHORISED        | PAYMENT_RESULT  | true      | SUCCESS         | AUTOMATIC   | AUTHORISED
            CAPTURE_REQUESTED | PAYMENT_RESULT  | true      | SUCCESS         | MANUAL      | CAPTURE_REQUESTED
            CAPTURED          | PAYMENT_RESULT  | true      | SUCCESS         | AUTOMATIC   | CAPTURED
            CAPTURE_FAILED    | PAYMENT_RESULT  | true      | SUCCESS         | MANUAL      | CAPTURE_FAILED
            PENDING           | PAYMENT_RESULT  | false     | ORDER_IS_CLOSED | AUTOMATIC   | EXPIRED
            SUCCEEDED         | PAYMENT_RESULT  | false     | ORDER_IS_CLOSED | AUTOMATIC   | EXPIRED
            PENDING           | PAYMENT_RESULT  | false     | PROCESS_FAIL    | AUTOMATIC   | FAILED
            REQUESTED         | PAYMENT_RESULT  | false     | USER_BALANCE_NOT_ENOUGH | MANUAL | FAILED
            UNKNOWN           | PAYMENT_RESULT  | false     | -               | -           | FAILED
            """)
    void onResult(PaymentState from, Reported reported, boolean succeeded, String resultCode, String captureMode,
            PaymentState expected) {
        assertThat(from.onResult(reported, succeeded, resultCode, captureMode)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "-", value = {"MANUAL, AUTHORISED", "AUTOMATIC, SUCCEEDED", "-, SUCCEEDED"})
    void aSuccessfulPaymentLandsByCaptureMode(String captureMode, PaymentState expected) {
        assertThat(PaymentState.paid(captureMode)).isEqualTo(expected);
    }

    @Test
    void sqlListsNameExactlyTheStatesThatAnswerYes() {
        assertThat(PaymentState.sqlList(PaymentState::isPaid))
                .isEqualTo("'SUCCEEDED', 'AUTHORISED', 'CAPTURE_REQUESTED', 'CAPTURED', 'CAPTURE_FAILED'");
        assertThat(PaymentState.sqlList(PaymentState::isInFlight)).isEqualTo(
                "'CREATED', 'REQUESTED', 'PENDING', 'UNKNOWN', 'AUTHORISED', 'CAPTURE_REQUESTED', 'CAPTURE_FAILED'");
        assertThat(PaymentState.sqlList(PaymentState::isDueForCheck))
                .isEqualTo("'REQUESTED', 'PENDING', 'UNKNOWN', 'CAPTURE_REQUESTED'");
        assertThat(PaymentState.sqlList(state -> true)).isEqualTo("'CREATED', 'REQUESTED', 'PENDING', 'UNKNOWN', "
                + "'SUCCEEDED', 'AUTHORISED', 'CAPTURE_REQUESTED', 'CAPTURED', 'CAPTURE_FAILED', 'FAILED', 'EXPIRED', "
                + "'CANCELLED'");
        assertThatThrownBy(() -> PaymentState.sqlList(state -> false)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theJanitorsConditionIsTheDueStatesPlusAutomaticCapturesNotYetCaptured() {
        assertThat(PaymentState.dueForCheckSql()).isEqualTo("(state IN ('REQUESTED', 'PENDING', 'UNKNOWN', "
                + "'CAPTURE_REQUESTED') OR (state IN ('SUCCEEDED') AND capture_mode = 'AUTOMATIC'))");
    }

    @Test
    void whereIsTheSetOfStatesThatAnswerYes() {
        assertThat(PaymentState.where(PaymentState::isInFlight)).containsExactly(PaymentState.CREATED,
                PaymentState.REQUESTED, PaymentState.PENDING, PaymentState.UNKNOWN, PaymentState.AUTHORISED,
                PaymentState.CAPTURE_REQUESTED, PaymentState.CAPTURE_FAILED);
    }
}
