package com.checkoutroutes.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import com.checkoutroutes.testsupport.DemoCredentials;
import com.checkoutroutes.testsupport.FlowTestSupport;
import org.springframework.jdbc.core.JdbcTemplate;

class ApplicationStartsHealthyTest extends FlowTestSupport {

    @Autowired
    CamelContext camel;
    @Autowired
    DataSource dataSource;
    @Value("${camel.component.kafka.brokers}")
    String kafkaBrokers;

    @Test
    void comesUpHealthyOnPostgresWithMigrationsApplied() throws Exception {
        assertThat(camel.getStatus()).isEqualTo(ServiceStatus.Started);
        assertThat(kafkaBrokers).as("in-JVM broker").isNotEqualTo("localhost:9092").contains(":");
        String product = dataSource.getConnection().getMetaData().getDatabaseProductName();
        assertThat(product).isEqualTo("PostgreSQL");
        Integer migrations = new JdbcTemplate(dataSource)
                .queryForObject("select count(*) from flyway_schema_history where success", Integer.class);
        assertThat(migrations).isPositive();

        HttpResponse<String> health = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/actuator/health"))
                        .header("Authorization", DemoCredentials.basic(DemoCredentials.OPERATOR)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"").contains("camel").contains("db");
    }
}
