package com.checkoutroutes.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

class JsonBufferPoolTest {

    @Test
    void theApplicationsMapperSharesOneBufferPoolAcrossThreads() throws Exception {
        Jackson2ObjectMapperBuilder builder = new Jackson2ObjectMapperBuilder();
        new JsonBufferPool().sharedJsonBuffers().customize(builder);
        ObjectMapper mapper = builder.build();

        assertThat(mapper.getFactory()._getRecyclerPool()).isSameAs(JsonBufferPool.SHARED);
        assertThat(mapper.readTree("{\"orderId\":\"o-1\"}").path("orderId").asText()).isEqualTo("o-1");
    }
}
