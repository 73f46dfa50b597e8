package com.checkoutroutes.orderintake;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The order rules' settings as config/application.yml ships them, for the tests that build OrderRules by hand. */
final class TestOrderRules {

    static final OrderRulesSettings SETTINGS = new OrderRulesSettings(List.of("https"),
            Map.of("default", 100_000_000L, "JPY", 100_000_000L, "KRW", 1_000_000_000L), Duration.ofDays(30),
            Map.of("GCASH", Duration.ofMinutes(14), "DANA", Duration.ofMinutes(14)));

    private TestOrderRules() {
    }
}
