package com.checkoutroutes.continuation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which answers refuse the message itself (kept REFUSED) and which speak of the receiver (the message is parked). */
class HttpChannelRefusalsTest {

    @ParameterizedTest(name = "HTTP {0}: refused for good {1}")
    @CsvSource({"400, true", "409, true", "413, true", "415, true", "422, true",
        "401, false", "403, false", "404, false", "301, false", "308, false", "408, false", "429, false", "503, false"})
    void onlyAnswersAboutTheMessageRefuseItForGood(int status, boolean refused) {
        HttpOperationFailedException answer = new HttpOperationFailedException("https://bff.example/continuations",
                status, "status " + status, null, Map.of(), "");

        assertThat(HttpChannels.refusedForGood(new RuntimeException("wrapped", answer))).isEqualTo(refused);
    }
}
