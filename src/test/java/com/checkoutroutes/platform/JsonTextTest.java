package com.checkoutroutes.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** An order event's id is a string or a number as written; any other JSON value is no id. */
class JsonTextTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aStringOrANumberIsText() throws Exception {
        JsonNode event = json.readTree("{\"a\":\"ORD-1\",\"b\":1001,\"c\":null}");
        assertThat(JsonText.of(event, "a")).hasValue("ORD-1");
        assertThat(JsonText.of(event, "b")).hasValue("1001");
        assertThat(JsonText.of(event, "c")).isEmpty();
        assertThat(JsonText.of(event, "d")).isEmpty();
    }

    @Test
    void anObjectAnArrayOrABooleanIsRefused() throws Exception {
        JsonNode event = json.readTree("{\"a\":{},\"b\":[1],\"c\":true}");
        for (String field : new String[] {"a", "b", "c"}) {
            assertThatThrownBy(() -> JsonText.of(event, field)).isInstanceOf(JsonText.NotText.class)
                    .hasMessage("$." + field + " is a string (or a number)");
        }
    }
}
