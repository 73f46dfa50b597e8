package com.checkoutroutes.operations;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The settings a route edit names are those Camel resolves, in the file's keys and values: a comment that mentions a
 * placeholder (an old name, a note) does not refuse the edit; defaults and functions need no setting.
 */
class RouteEditGuardPlaceholdersTest {

    @Test
    void aPlaceholderInACommentIsNoSettingTheEditNames() {
        Object document = new Yaml().load("""
                # was {{checkout.orders.max-pol-records}} until the rename
                - route:
                    id: r
                    from:
                      uri: "kafka:{{checkout.topics.orders}}"   # {{checkout.in-a-trailing-comment}}
                      parameters:
                        maxPollRecords: "{{checkout.orders.max-poll-records}}"
                        groupId: "{{checkout.group:fallback}} and {{env:HOME}}"
                      steps:
                        - log: "{{ checkout.spaced }}"
                """);

        assertThat(RouteEditGuard.placeholders(document)).containsExactly("checkout.topics.orders",
                "checkout.orders.max-poll-records", "checkout.spaced");
    }
}
