package com.checkoutroutes.platform;

import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.core.util.RecyclerPool;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The application's ObjectMapper lends its read and write buffers from one pool that all threads share. Jackson's
 * default keeps them per thread, and each order runs on a virtual thread of its own: every order's JSON (the order,
 * its channel message, its events) allocated fresh buffers, as the RSA {@code Signature}s did before they were
 * pooled.
 */
@Configuration(proxyBeanMethods = false)
public class JsonBufferPool {

    static final RecyclerPool<BufferRecycler> SHARED = JsonRecyclerPools.sharedConcurrentDequePool();

    @Bean
    Jackson2ObjectMapperBuilderCustomizer sharedJsonBuffers() {
        return builder -> builder.postConfigurer(mapper -> mapper.getFactory().setRecyclerPool(SHARED));
    }
}
