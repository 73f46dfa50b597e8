package com.checkoutroutes.orderintake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.checkoutroutes.deadletter.RejectedOrderException;
import com.checkoutroutes.orderintake.OrderCorpus.Case;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The bad-order corpus through the order route's reader, without Kafka: each case refused with its reason. */
class OrderCorpusTest {

    private static final OrderReader reader = new OrderReader(JsonMapper.builder().findAndAddModules().build(),
            new OrderRules(Clock.systemUTC(), TestOrderRules.SETTINGS), OrderReaderTest.limits(65536));

    static Stream<Arguments> corpus() {
        return OrderCorpus.cases().stream().map(c -> arguments(named(c.name(), c)));
    }

    @Test
    void theCorpusTemplateIsAValidOrder() {
        assertThat(reader.read(OrderCorpus.valid("ORD-1").getBytes(StandardCharsets.UTF_8)).orderId()).isEqualTo("ORD-1");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void eachBadOrderIsRefusedWithItsReason(Case c) {
        RejectedOrderException e = catchThrowableOfType(RejectedOrderException.class,
                () -> reader.read(c.body().apply("ORD-CORPUS-1")));

        assertThat(e).as(c.name() + ": refused").isNotNull();
        assertThat(e.reason().code()).as(c.name()).isEqualTo(c.code());
        assertThat(e.reason().field()).as(c.name()).isEqualTo(c.field());
    }
}
