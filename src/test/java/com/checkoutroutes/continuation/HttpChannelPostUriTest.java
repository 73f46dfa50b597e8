package com.checkoutroutes.continuation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The POST never keeps the receiver's answer: camel-http's ignoreResponseBody, beside the channel's own query. */
class HttpChannelPostUriTest {

    @Test
    void theAnswersBodyIsNeverKept() {
        assertThat(HttpChannels.postUri(" https://bff.example/continuations "))
                .isEqualTo("https://bff.example/continuations?ignoreResponseBody=true");
        assertThat(HttpChannels.postUri("https://hooks.example/in?sv=1.0&sig=abc"))
                .isEqualTo("https://hooks.example/in?sv=1.0&sig=abc&ignoreResponseBody=true");
    }
}
