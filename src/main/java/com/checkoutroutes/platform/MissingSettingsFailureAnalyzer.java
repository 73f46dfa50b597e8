package com.checkoutroutes.platform;

import com.checkoutroutes.platform.RequiredSettings.MissingSettingsException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a start-up without its required settings into one readable message instead of a stack trace. */
public class MissingSettingsFailureAnalyzer extends AbstractFailureAnalyzer<MissingSettingsException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, MissingSettingsException cause) {
        return new FailureAnalysis(
                "Checkout Routes needs these settings and has no value for them:\n  - "
                        + String.join("\n  - ", cause.missing())
                        + (cause.hint() == null ? "" : "\nLikely why: " + cause.hint()),
                "Set each environment variable (README.md, \"Running in production\"). The production service has no"
                        + " embedded fallback; for a local run on embedded parts use ./mvnw spring-boot:test-run.",
                cause);
    }
}
