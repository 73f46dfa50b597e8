package com.checkoutroutes.platform;

import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.bind.validation.ValidationErrors;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.origin.Origin;
import org.springframework.core.Ordered;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;

/**
 * A typed settings record (a {@code @Validated @ConfigurationProperties} record) rejected a value: names each setting
 * as an operator writes it ({@code checkout.orders.max-poll-records}, not the record's field path
 * {@code orders.maxPollRecords}), with the reason and where the value came from. Ahead of Spring Boot's own analyzer.
 */
public class InvalidSettingsFailureAnalyzer extends AbstractFailureAnalyzer<BindValidationException> implements Ordered {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, BindValidationException cause) {
        ValidationErrors errors = cause.getValidationErrors();
        StringBuilder description = new StringBuilder("Checkout Routes has settings with invalid values:");
        for (ObjectError error : errors.getAllErrors()) {
            String setting = settingName(errors, error);
            description.append("\n  - ").append(setting);
            if (error instanceof FieldError field) {
                description.append(" = \"").append(field.getRejectedValue() == null ? "" : field.getRejectedValue())
                        .append('"');
            }
            description.append(": ").append(error.getDefaultMessage());
            Origin origin = origin(errors, setting, error);
            if (origin != null) {
                description.append(" (").append(origin).append(')');
            }
        }
        return new FailureAnalysis(description.toString(),
                "Correct each setting named above: in config/application.yml, or the environment variable or"
                        + " argument that overrides it (README.md, \"Configuration reference\").",
                cause);
    }

    /** {@code checkout} + {@code orders.maxPollRecords} -> {@code checkout.orders.max-poll-records}. */
    static String settingName(ValidationErrors errors, ObjectError error) {
        if (!(error instanceof FieldError field)) {
            return errors.getName().toString();
        }
        return errors.getName() + "." + Arrays.stream(field.getField().split("\\."))
                .map(DataObjectPropertyName::toDashedForm).collect(Collectors.joining("."));
    }

    /** Where the value came from (a file and line, an environment variable, an argument), when known. */
    private static Origin origin(ValidationErrors errors, String setting, ObjectError error) {
        Origin origin = Origin.from(error);
        if (origin != null || !ConfigurationPropertyName.isValid(setting)) {
            return origin;
        }
        ConfigurationPropertyName name = ConfigurationPropertyName.of(setting);
        return errors.getBoundProperties().stream().filter(bound -> bound.getName().equals(name))
                .map(ConfigurationProperty::getOrigin).filter(Objects::nonNull).findFirst().orElse(null);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
