package com.checkoutroutes.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

/**
 * An edit is checked against the other route files as they run: Camel runs one id from one file (the last loaded) and
 * ignores a routeConfigurationId that names nothing, so a copy of a route file or a mistyped configuration name would
 * run silently wrong. The shipped routes folder itself declares every id once and every configuration its routes name.
 */
class RouteEditGuardAgainstOtherFilesTest {

    private final RouteEditGuard guard = new RouteEditGuard(null, () -> null);

    @Test
    void theShippedRouteFilesDeclareEachIdOnceAndEveryConfigurationTheirRoutesName() throws IOException {
        Map<String, String> shipped = shipped();
        Map<String, String> declaredBy = new HashMap<>();
        shipped.forEach((location, yaml) -> RouteFileIds.of(yaml).declared().forEach(id ->
                assertThat(declaredBy.putIfAbsent(id, location)).as(id).isNull()));
        assertThat(declaredBy).containsKeys("route order-intake", "routeTemplate scheduled-job", "routeConfiguration job-errors");
        shipped.forEach((location, yaml) -> {
            Map<String, String> others = new TreeMap<>(shipped);
            others.remove(location);
            guard.checkAgainst(file(location, yaml), yaml, others, Set.of());
        });
    }

    @Test
    void aCopyOfARouteFileIsRefusedNamingTheFileThatDeclaresItsIds() throws IOException {
        Map<String, String> shipped = shipped();
        String orders = shipped.get("file:routes/orders.yaml");

        assertThatThrownBy(() -> guard.checkAgainst(file("file:routes/orders-backup.yaml", orders), "", shipped,
                Set.of()))
                .isInstanceOf(RouteEditGuard.RefusedRouteEditException.class)
                .hasMessageStartingWith("file:routes/orders-backup.yaml declares route ")
                .hasMessageContaining("which file:routes/orders.yaml declares too");
    }

    @Test
    void aRouteConfigurationNoFileDeclaresIsRefused() throws IOException {
        Map<String, String> others = shipped();
        String orders = others.remove("file:routes/orders.yaml");
        String typo = orders.replace("routeConfigurationId: order-errors", "routeConfigurationId: order-error");
        assertThat(typo).isNotEqualTo(orders);

        assertThatThrownBy(() -> guard.checkAgainst(file("file:routes/orders.yaml", typo), orders, others, Set.of()))
                .hasMessage("file:routes/orders.yaml names routeConfigurationId order-error, which no route file"
                        + " declares");
    }

    /** Camel matches a routeConfigurationId as a pattern too: one that matches a declared configuration names it. */
    @Test
    void aPatternNamingADeclaredConfigurationPasses() throws IOException {
        Map<String, String> others = shipped();
        String orders = others.remove("file:routes/orders.yaml");
        String pattern = orders.replace("routeConfigurationId: order-errors", "routeConfigurationId: order-err*");

        guard.checkAgainst(file("file:routes/orders.yaml", pattern), orders, others, Set.of());
        String nothing = orders.replace("routeConfigurationId: order-errors", "routeConfigurationId: nothing-*");
        assertThatThrownBy(() -> guard.checkAgainst(file("file:routes/orders.yaml", nothing), orders, others, Set.of()))
                .hasMessageContaining("names routeConfigurationId nothing-*, which no route file declares");
    }

    /**
     * Names Camel reads literally: one with a space after the comma (Camel does not trim it), a {{setting}} in a plain
     * route (Camel resolves one only in a route made from a template). Each names no configuration.
     */
    @Test
    void namesCamelReadsLiterallyAreRefused() throws IOException {
        Map<String, String> others = shipped();
        String orders = others.remove("file:routes/orders.yaml");
        String padded = orders.replace("routeConfigurationId: order-errors",
                "routeConfigurationId: \"order-errors, job-errors\"");
        String setting = orders.replace("routeConfigurationId: order-errors",
                "routeConfigurationId: \"{{checkout.topics.orders}}\"");

        assertThatThrownBy(() -> guard.checkAgainst(file("file:routes/orders.yaml", padded), orders, others, Set.of()))
                .hasMessageContaining("names routeConfigurationId ' job-errors' (Camel does not trim");
        assertThatThrownBy(() -> guard.checkAgainst(file("file:routes/orders.yaml", setting), orders, others, Set.of()))
                .hasMessageContaining("names routeConfigurationId {{checkout.topics.orders}}, which no route file");
    }

    @Test
    void aRouteConfigurationOtherFilesUseCannotBeRemovedOrRenamed() throws IOException {
        Map<String, String> others = shipped();
        String handling = others.remove("file:routes/error-handling.yaml");
        String renamed = handling.replace("id: job-errors", "id: scheduled-job-errors");
        assertThat(renamed).isNotEqualTo(handling);

        assertThatThrownBy(() -> guard.checkAgainst(file("file:routes/error-handling.yaml", renamed), handling, others,
                Set.of()))
                .hasMessage("file:routes/error-handling.yaml no longer declares the routeConfiguration job-errors,"
                        + " which the routes of file:routes/schedules.yaml use");
    }

    @Test
    void aFileOfCommentsOnlyIsRefusedAndAnEmptyOneIsHalfSaved() {
        String commentedOut = "# - route:\n#     id: order-intake\n#     from:\n";

        assertThatThrownBy(() -> guard.check(file("file:routes/orders.yaml", commentedOut)))
                .isInstanceOfSatisfying(RouteEditGuard.RefusedRouteEditException.class,
                        e -> assertThat(e.empty()).isFalse())
                .hasMessage("file:routes/orders.yaml declares nothing (every line is a comment); to stop its routes,"
                        + " delete the file or leave [] in it");
        assertThatThrownBy(() -> guard.check(file("file:routes/orders.yaml", "\n")))
                .isInstanceOfSatisfying(RouteEditGuard.RefusedRouteEditException.class,
                        e -> assertThat(e.empty()).isTrue());
    }

    /** The shipped route files by the location the shipped pattern gives them. */
    private static Map<String, String> shipped() throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> listed = Files.list(Path.of("routes"))) {
            for (Path path : listed.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                files.put("file:routes/" + path.getFileName(), Files.readString(path));
            }
        }
        return files;
    }

    private static Resource file(String location, String yaml) {
        return new CheckedRouteFile(ResourceHelper.fromString(location, yaml), yaml.getBytes(StandardCharsets.UTF_8));
    }
}
