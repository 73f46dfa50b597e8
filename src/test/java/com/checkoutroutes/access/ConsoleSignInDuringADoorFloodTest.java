package com.checkoutroutes.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.checkoutroutes.testsupport.DemoCredentials;
import com.checkoutroutes.testsupport.FlowTestSupport;
import com.checkoutroutes.testsupport.ServiceHttp;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Made-up credentials flooding a public door fill the doors' password checks (one at a time, 16 waiting, the rest
 * refused): an operator signing in to the console on the management port meanwhile is checked by the console's own.
 */
class ConsoleSignInDuringADoorFloodTest extends FlowTestSupport {

    @Autowired
    PasswordEncoder doorsPasswordChecks;

    @Test
    void anOperatorSignsInToTheConsoleWhileTheDoorsChecksAreFull() throws Exception {
        RememberingPasswordEncoder doors = (RememberingPasswordEncoder) doorsPasswordChecks;
        AtomicBoolean flooding = new AtomicBoolean(true);
        ExecutorService flood = Executors.newFixedThreadPool(32);
        try {
            for (int i = 0; i < 32; i++) {
                flood.submit(() -> {
                    while (flooding.get()) {
                        doors.matches("made-up-" + UUID.randomUUID(), DemoCredentials.OPERATOR_HASH);
                    }
                });
            }
            await().atMost(Duration.ofSeconds(10)).until(doors::full);

            HttpRequest signIn = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort
                    + "/console/attention")).header("Authorization", DemoCredentials.basic(DemoCredentials.OPERATOR))
                    .timeout(Duration.ofSeconds(30)).GET().build();
            ServiceHttp.Answer answer = new ServiceHttp(port, managementPort).send(signIn);

            assertThat(doors.full()).as("still flooded").isTrue();
            assertThat(answer.status()).isEqualTo(200);
        } finally {
            flooding.set(false);
            flood.shutdown();
            assertThat(flood.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
    }
}
