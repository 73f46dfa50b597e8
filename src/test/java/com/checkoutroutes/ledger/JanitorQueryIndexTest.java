package com.checkoutroutes.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.checkoutroutes.testsupport.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.yaml.snakeyaml.Yaml;

/**
 * The janitor's query (routes/schedules.yaml, as shipped) reads the partial index of the attempts it may pick, not
 * the history of every paid APM: PostgreSQL uses a partial index only when the query's condition implies the
 * index's, so the migration's copy of {@link PaymentState#dueForCheckSql()} must stay the same as it.
 */
@Tag("flow") // the local PostgreSQL
class JanitorQueryIndexTest {

    @Test
    void theMigrationsConditionIsTheJanitorsAndPostgresqlCanUseIt() throws Exception {
        String migration = Files.readString(
                Path.of("src/main/resources/db/vendor/postgresql/V23__attempt_due_for_check_index.sql"));
        assertThat(migration).contains("WHERE " + PaymentState.dueForCheckSql() + ";");

        String url = TestPostgres.freshDatabase("janitorindex");
        // as the service migrates
        TestPostgres.migrate(new DriverManagerDataSource(url, TestPostgres.user(), ""), "postgresql");
        SingleConnectionDataSource db = new SingleConnectionDataSource(url, TestPostgres.user(), "", true);
        try {
            JdbcTemplate jdbc = new JdbcTemplate(db);
            String query = janitorsSelect().replace("{{ledger:due-for-check}}", PaymentState.dueForCheckSql())
                    .replace(":#now", "now()").replace("{{checkout.janitor.batch-size}}", "100");
            // an empty table: the planner is told that reading it whole is not an option, as at a million rows
            jdbc.execute("SET enable_seqscan = off");
            jdbc.execute("SET enable_bitmapscan = off");
            List<String> plan = jdbc.queryForList("EXPLAIN " + query, String.class);

            assertThat(String.join("\n", plan)).contains("ix_attempt_due_for_check");
        } finally {
            db.destroy();
        }
    }

    /** The janitor's select as routes/schedules.yaml has it. */
    @SuppressWarnings("unchecked")
    private static String janitorsSelect() throws Exception {
        List<Map<String, Object>> file = new Yaml().load(Files.readString(Path.of("routes/schedules.yaml")));
        return file.stream().map(item -> (Map<String, Object>) item.get("templatedRoute"))
                .filter(route -> route != null && "janitor".equals(route.get("routeId")))
                .flatMap(route -> ((List<Map<String, Object>>) route.get("parameters")).stream())
                .filter(parameter -> "select".equals(parameter.get("name")))
                .map(parameter -> String.valueOf(parameter.get("value"))).findFirst().orElseThrow();
    }
}
