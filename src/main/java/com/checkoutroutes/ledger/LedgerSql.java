package com.checkoutroutes.ledger;

import java.util.Map;
import java.util.function.Supplier;
import org.apache.camel.spi.PropertiesFunction;

/**
 * The Camel properties function {@code {{ledger:<name>}}}: SQL conditions on {@code payment_attempt} whose state
 * lists come from {@link PaymentState}, so the routes' {@code sql:} endpoints (routes/schedules.yaml) never type a
 * state name by hand and the state machine stays the one home of which states a job looks at. Camel finds it by
 * its name (META-INF/services/org/apache/camel/properties-function/ledger).
 */
public class LedgerSql implements PropertiesFunction {

    /**
     * Name -> condition; {@code {{ledger:due-for-check}}} is {@link PaymentState#dueForCheckSql()}, {@code
     * {{ledger:open}}} and {@code {{ledger:paid}}} the states {@link PaymentState#isOpen()} and
     * {@link PaymentState#isPaid()} name.
     */
    static final Map<String, Supplier<String>> CONDITIONS = Map.of(
            "due-for-check", PaymentState::dueForCheckSql,
            "open", () -> PaymentState.stateSql(PaymentState::isOpen),
            "paid", () -> PaymentState.stateSql(PaymentState::isPaid));

    @Override
    public String getName() {
        return "ledger";
    }

    @Override
    public String apply(String remainder) {
        Supplier<String> condition = CONDITIONS.get(remainder.strip());
        if (condition == null) {
            throw new IllegalArgumentException("{{ledger:" + remainder + "}} is not a ledger condition; known: "
                    + String.join(", ", new java.util.TreeSet<>(CONDITIONS.keySet())));
        }
        return condition.get();
    }
}
