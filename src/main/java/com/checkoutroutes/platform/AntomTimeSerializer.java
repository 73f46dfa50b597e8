package com.checkoutroutes.platform;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.time.OffsetDateTime;

/** Writes a published OffsetDateTime field the way {@link AntomTime#format} does (UTC, seconds, +00:00). */
public final class AntomTimeSerializer extends StdSerializer<OffsetDateTime> {

    public AntomTimeSerializer() {
        super(OffsetDateTime.class);
    }

    @Override
    public void serialize(OffsetDateTime value, JsonGenerator out, SerializerProvider provider) throws IOException {
        out.writeString(AntomTime.format(value));
    }
}
