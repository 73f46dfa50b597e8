package com.checkoutroutes.operations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SchemaValidatorsConfig;
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
            // compiled lazily, branch by branch as files use them: preloading all of the schema's 800 KB of
            // definitions took about 10 s of CPU
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().preloadJsonSchema(false).build();
            // Camel marks some options "deprecated": an annotation, not a rule (unregistered, each would log a WARN)
            JsonMetaSchema draft4 = JsonMetaSchema.builder(JsonMetaSchema.getV4())
                    .keyword(new NonValidationKeyword("deprecated")).build();
            JsonSchemaFactory factory = JsonSchemaFactory.builder(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4))
                    .metaSchema(draft4).build();
            return new RouteSchema(factory.getSchema(in, config));
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
