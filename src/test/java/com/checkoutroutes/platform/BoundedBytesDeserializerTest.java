package com.checkoutroutes.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Map;
import org.apache.commons.codec.digest.DigestUtils;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class BoundedBytesDeserializerTest {

    @Test
    void upToTheLimitTheBytesPassAsTheyAre() {
        BoundedBytesDeserializer deserializer = configured("8");
        byte[] eight = "12345678".getBytes();

        assertThat(deserializer.deserialize("t", eight)).isSameAs(eight);
        assertThat(deserializer.deserialize("t", new byte[0])).isEqualTo(new byte[0]);
        assertThat(deserializer.deserialize("t", null)).as("a tombstone stays null").isNull();
    }

    @Test
    void pastTheLimitOnlyTheSizeAndDigestRemain() {
        byte[] nine = "123456789".getBytes();

        Object value = configured(" 8 ").deserialize("t", nine);

        assertThat(value).isEqualTo(new OversizedRecord(9, 8, DigestUtils.sha256Hex(nine)));
        assertThat(((OversizedRecord) value).problem()).isEqualTo("9 bytes is more than the limit of 8");
    }

    @Test
    void withoutASettingTheLimitIsTheBrokersDefaultLargestRecord() {
        BoundedBytesDeserializer deserializer = new BoundedBytesDeserializer();
        deserializer.configure(Map.of(), false);
        byte[] mebibyte = new byte[1024 * 1024];
        byte[] over = Arrays.copyOf(mebibyte, mebibyte.length + 1);

        assertThat(deserializer.deserialize("t", mebibyte)).isSameAs(mebibyte);
        assertThat(deserializer.deserialize("t", over)).isInstanceOf(OversizedRecord.class);
    }

    @Test
    void aLimitThatIsNotAPositiveNumberStopsTheConsumer() {
        assertThatThrownBy(() -> configured("64KB")).isInstanceOf(ConfigException.class)
                .hasMessageContaining(BoundedBytesDeserializer.MAX_RECORD_BYTES);
        assertThatThrownBy(() -> configured("0")).isInstanceOf(ConfigException.class);
    }

    private static BoundedBytesDeserializer configured(String limit) {
        BoundedBytesDeserializer deserializer = new BoundedBytesDeserializer();
        deserializer.configure(Map.of(BoundedBytesDeserializer.MAX_RECORD_BYTES, limit), false);
        return deserializer;
    }
}
