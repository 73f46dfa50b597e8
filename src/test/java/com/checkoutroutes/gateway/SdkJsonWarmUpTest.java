package com.checkoutroutes.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.alibaba.fastjson.parser.ParserConfig;
import com.alibaba.fastjson.serializer.SerializeConfig;
import com.alipay.global.api.model.ams.Amount;
import com.alipay.global.api.model.ams.Env;
import com.alipay.global.api.model.ams.Order;
import com.alipay.global.api.model.ams.PaymentMethod;
import com.alipay.global.api.request.ams.pay.AlipayPayQueryRequest;
import com.alipay.global.api.request.ams.pay.AlipayPayRequest;
import com.alipay.global.api.response.ams.pay.AlipayPayQueryResponse;
import com.alipay.global.api.response.ams.pay.AlipayPayResponse;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The start-up warm-up reaches the requests, their answers and the models they hold, lists included. */
class SdkJsonWarmUpTest {

    @Test
    void theRequestsTheirAnswersAndTheModelsTheyHoldAreBuiltOnce() {
        Set<Class<?>> warmed = SdkJsonWarmUp.warmUp(List.of(new AlipayPayRequest(), new AlipayPayQueryRequest()));

        assertThat(warmed).contains(AlipayPayRequest.class, AlipayPayResponse.class, AlipayPayQueryRequest.class,
                AlipayPayQueryResponse.class, Amount.class, Order.class, Env.class, PaymentMethod.class,
                // an inquiry's answer holds a List<Transaction>
                com.alipay.global.api.model.ams.Transaction.class);
        assertThat(warmed).allSatisfy(type -> {
            assertThat(SerializeConfig.getGlobalInstance().get(type)).as("serializer of " + type).isNotNull();
            assertThat(ParserConfig.getGlobalInstance().get(type)).as("deserializer of " + type).isNotNull();
        });
    }
}
