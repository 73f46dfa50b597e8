package com.checkoutroutes.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.checkoutroutes.doors.DoorSettings;
import com.checkoutroutes.testsupport.FlowTestSupport;
import com.checkoutroutes.testsupport.ServiceHttp;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.context.TestPropertySource;

/**
 * A door whose route is stuck (here the HTTP shipment check, on a table another transaction locked) past the
 * servlet's async timeout (1 s here; Tomcat's 30 s as shipped): each caller hears 503 at its timeout, but its route
 * keeps the place until it ends, so the next caller is told BUSY at once instead of starting one more stuck route.
 * The places come back when the routes end; the gauge checkout.doors.in.use shows them taken meanwhile.
 */
// the locker and the eight stuck routes hold nine connections: room for the janitor and the gauges meanwhile
@TestPropertySource(properties = {"spring.mvc.async.request-timeout=1s",
    "spring.datasource.hikari.maximum-pool-size=16"})
class StalledDoorTest extends FlowTestSupport {

    @Autowired
    DataSource dataSource;
    @Autowired
    DoorSettings doors;
    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;
    @Autowired
    @org.springframework.beans.factory.annotation.Qualifier("applicationTaskExecutor")
    org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor routesExecutor;

    /** The executor platform-http runs the routes on gives a refused route's place back (DoorsConfiguration). */
    @Test
    void theRoutesExecutorGivesARefusedRoutesPlaceBack() {
        assertThat(routesExecutor.getThreadPoolExecutor().getRejectedExecutionHandler())
                .isSameAs(com.checkoutroutes.doors.DoorWork.releasingOnRejection());
    }
    @Value("${checkout.http.shipment-checks-path}")
    String shipmentChecksPath;

    @Test
    void callersAnsweredAtTheAsyncTimeoutLeaveTheirPlacesToTheirRoutes() throws Exception {
        ServiceHttp http = new ServiceHttp(port, managementPort);
        String check = shipmentChecksPath + "/" + newOrderId();
        assertThat(http.get(check).status()).isEqualTo(200);
        // its place comes back when the container completes it, which may be just after its caller has the answer
        await().atMost(Duration.ofSeconds(10)).until(() -> placesTaken() == 0);
        int places = doors.operator().maxConcurrent();
        ExecutorService callers = Executors.newFixedThreadPool(places);
        try (Connection locker = dataSource.getConnection()) {
            locker.setAutoCommit(false);
            try (Statement lock = locker.createStatement()) {
                lock.execute("LOCK TABLE payment_attempt IN ACCESS EXCLUSIVE MODE");
            }
            try {
                List<Future<ServiceHttp.Answer>> stuck = new ArrayList<>();
                for (int i = 0; i < places; i++) {
                    stuck.add(callers.submit(() -> http.get(check)));
                }
                for (Future<ServiceHttp.Answer> answer : stuck) {
                    ServiceHttp.Answer timedOut = answer.get(20, TimeUnit.SECONDS);
                    assertThat(timedOut.status()).as("answered at the async timeout").isEqualTo(503);
                    assertThat(timedOut.body()).as("each was let in").doesNotContain("BUSY");
                }
                assertThat(placesTaken()).as("the gauge: the stuck routes hold every place").isEqualTo(places);

                ServiceHttp.Answer next = http.get(check);
                assertThat(next.status()).isEqualTo(503);
                assertThat(next.body()).as("the stuck routes still hold the door's places").contains("BUSY");
            } finally {
                locker.rollback();
            }
        } finally {
            callers.shutdownNow();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> placesTaken() == 0);
        assertThat(http.get(check).status()).isEqualTo(200);
    }

    /** The operator door's places taken now, as the gauge says. */
    private double placesTaken() {
        return meters.get("checkout.doors.in.use").tag("door", "operator").gauge().value();
    }
}
