package com.checkoutroutes.operations;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The route configurations a route file declares, and whether a route file's routes name one of them. */
final class RouteConfigurationIds {

    /** {@code - routeConfiguration:} followed (on the next lines) by its {@code id:}. */
    private static final Pattern DECLARED = Pattern.compile(
            "^\\s*-\\s*routeConfiguration:\\s*\\R(?:\\s*#.*\\R)*\\s*id:\\s*[\"']?([\\w.-]+)[\"']?", Pattern.MULTILINE);
    private static final Pattern USED = Pattern.compile(
            "^\\s*routeConfigurationId:\\s*[\"']?([\\w.,\\s-]+?)[\"']?\\s*$", Pattern.MULTILINE);

    private RouteConfigurationIds() {
    }

    static List<String> declaredIn(String yaml) {
        List<String> ids = new ArrayList<>();
        Matcher m = DECLARED.matcher(yaml);
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    /** A route's routeConfigurationId may list several, comma-separated. */
    static boolean usesAny(String yaml, List<String> ids) {
        Matcher m = USED.matcher(yaml);
        while (m.find()) {
            for (String used : m.group(1).split(",")) {
                if (ids.contains(used.strip())) {
                    return true;
                }
            }
        }
        return false;
    }
}
