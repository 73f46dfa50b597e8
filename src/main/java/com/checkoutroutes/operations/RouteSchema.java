package com.checkoutroutes.operations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;

/**
 * Camel's YAML DSL JSON schema (camelYamlDsl.json, shipped in camel-yaml-dsl, so always the running Camel's version):
 * the schema Kaoto and the VS Code Camel extension check route files against. One instance is enough; it is
 * immutable and thread-safe.
 */
public final class RouteSchema {

    /** Where camel-yaml-dsl keeps its schema on the classpath. */
    static final String LOCATION = "schema/camelYamlDsl.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonSchema schema;

    private RouteSchema(JsonSchema schema) {
        this.schema = schema;
    }

    public static RouteSchema load() {
        try (InputStream in = RouteSchema.class.getClassLoader().getResourceAsStream(LOCATION)) {
            if (in == null) {
                throw new IllegalStateException(LOCATION + " is not on the classpath (camel-yaml-dsl missing?)");
            }
            return new RouteSchema(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The schema's messages for a route file already parsed from YAML (maps, lists, scalars), each naming the path
     * inside the file; empty when the file is valid.
     */
    public List<String> violations(Object routeFile) {
        JsonNode node = JSON.valueToTree(routeFile);
        Set<ValidationMessage> messages = schema.validate(node);
        return messages.stream().map(ValidationMessage::getMessage).sorted().toList();
    }
}
