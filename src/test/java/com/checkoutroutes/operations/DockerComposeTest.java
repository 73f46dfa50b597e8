package com.checkoutroutes.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.checkoutroutes.sandbox.SandboxServer;
import com.checkoutroutes.sandbox.SandboxSettings;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.FileSystemUtils;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml and the Dockerfile, checked without a Docker engine: the four services, pinned images, the
 * Dockerfile targets and the jars they copy, ports, volumes (declared, used, where each program writes), the
 * environment against what the application and the sandbox read, and the health checks, which are run here under
 * dash (the /bin/sh of the Temurin and PostgreSQL images) against stand-ins answering like the real services.
 * The checks that run dash, curl or pg_isready (the last against the local PostgreSQL) are in the flow tier; the
 * file checks are in the fast tier.
 */
class DockerComposeTest {

    private static final List<String> SERVICES = List.of("kafka", "postgres", "antom-sandbox", "checkout-routes");
    private static final Path DASH = Path.of("/usr/bin/dash");

    /**
     * The commands each service's health check may run, i.e. what its image is known to have. apache/kafka: Kafka
     * in /opt/kafka (apache/kafka docker/jvm/Dockerfile), /bin/sh is busybox. postgres: pg_isready on the PATH,
     * /bin/sh is dash (Debian). The two images built here: Ubuntu 22.04 (dash, grep) plus the curl the Dockerfile's
     * runtime stage installs (checked below; the Temurin base has it too, but only "for historical reasons").
     */
    private static final Map<String, Set<String>> IMAGE_COMMANDS = Map.of(
            "kafka", Set.of("/opt/kafka/bin/kafka-broker-api-versions.sh"),
            "postgres", Set.of("pg_isready"),
            "antom-sandbox", Set.of("curl", "grep"),
            "checkout-routes", Set.of("curl", "grep"));

    /** config/application.yml variables whose empty default is a valid setting. */
    private static final Map<String, String> OPTIONAL = Map.of(
            "CHECKOUT_DB_PASSWORD", "a database user without a password",
            "CHECKOUT_LOG_FORMAT", "empty means plain text log lines",
            "CHECKOUT_SERVER_ADDRESS", "empty means every interface",
            "CHECKOUT_JWT_ISSUER_URI", "empty means no bearer JWTs",
            "CHECKOUT_JWT_JWK_SET_URI", "empty means no bearer JWTs",
            "CHECKOUT_JWT_AUDIENCE", "needed only once bearer JWTs are on",
            "CHECKOUT_CHANNEL_HMAC_SECRET", "needed only once a channel is an HTTP(S) endpoint (compose's are topics)",
            "CHECKOUT_ANTOM_PREVIOUS_PUBLIC_KEY", "needed only while Antom's keys are being replaced");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::([^}]*))?}");

    private static Map<String, Object> compose;
    private static Map<String, Map<String, Object>> services;
    private static DockerfileStages dockerfile;
    private static String settings;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void parse() throws IOException {
        compose = new Yaml().load(Files.readString(Path.of("docker-compose.yml")));
        services = (Map<String, Map<String, Object>>) compose.get("services");
        dockerfile = DockerfileStages.read(Path.of("Dockerfile"));
        settings = Files.readString(Path.of("config/application.yml"));
    }

    // ---- services, images, Dockerfile targets

    @Test
    void theFourServicesWithKafkaFromApache() {
        assertThat(services).containsOnlyKeys(SERVICES);
        assertThat((String) services.get("kafka").get("image")).startsWith("apache/kafka:");
        assertThat((String) services.get("postgres").get("image")).startsWith("postgres:");
    }

    @Test
    void onlyTopLevelKeysEveryComposeReads() {
        // docker-compose 1.29 (Debian's) rejects the top-level "name:"; "version:" is obsolete in docker compose v2
        assertThat(compose).containsOnlyKeys("services", "volumes");
    }

    @Test
    void everyImageIsPinned() {
        for (String name : SERVICES) {
            Map<String, Object> service = services.get(name);
            String image = (String) service.get("image");
            assertThat(image).as(name + " image").contains(":").doesNotEndWith(":latest");
            if (!service.containsKey("build")) {
                // pulled images carry a version
                assertThat(image.substring(image.lastIndexOf(':') + 1)).as(name + " tag").matches(".*\\d.*");
            }
        }
        // the images the build pulls, too
        assertThat(dockerfile.baseImages()).isNotEmpty()
                .allSatisfy(from -> assertThat(from).as("Dockerfile FROM").matches("[^:]+:.*\\d.*")
                        .doesNotEndWith(":latest"));
    }

    @Test
    void theBuiltServicesAreTargetsOfTheDockerfile() {
        Map<String, String> targets = Map.of("antom-sandbox", "sandbox", "checkout-routes", "app");
        Set<String> images = new HashSet<>();
        for (String name : SERVICES) {
            Map<String, Object> service = services.get(name);
            assertThat(service.containsKey("image") || service.containsKey("build")).as(name + " image or build")
                    .isTrue();
            if (!service.containsKey("build")) {
                assertThat(targets).as(name + " is pulled").doesNotContainKey(name);
                continue;
            }
            assertThat(service.get("build")).as(name + " build").isInstanceOf(Map.class);
            Map<?, ?> build = (Map<?, ?>) service.get("build");
            assertThat(build.get("context")).as(name + " build context").isEqualTo(".");
            assertThat(build.get("target")).as(name + " build target").isEqualTo(targets.get(name));
            assertThat(dockerfile.stages()).as("Dockerfile stages").containsKey(targets.get(name));
            // two targets tagged alike would overwrite each other
            assertThat(images.add((String) service.get("image"))).as(name + " image name is its own").isTrue();
            // the image's ENTRYPOINT starts the right jar
            assertThat(service).as(name + " keeps its image's entrypoint").doesNotContainKeys("entrypoint", "command");
        }
        // a plain "docker build ." gives the service
        assertThat(dockerfile.last().name()).isEqualTo("app");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theImagesRunTheJarsTheMavenBuildProduces() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        // <build><finalName> and the sandbox's assembly <finalName>
        Set<String> produced = new LinkedHashSet<>();
        Matcher finalName = Pattern.compile("<finalName>([^<]+)</finalName>").matcher(pom);
        while (finalName.find()) {
            produced.add("target/" + finalName.group(1) + ".jar");
        }
        assertThat(produced).contains("target/checkout-routes.jar", "target/antom-sandbox.jar");
        assertThat(Path.of("src/sandbox/assembly.xml")).exists();

        // the build stage: the whole src (src/main, src/test, src/sandbox), tests compiled but not run
        String buildDir = dockerfile.effective("build", "WORKDIR");
        assertThat(dockerfile.chain("build", "COPY")).extracting(DockerfileStages.Instruction::arguments)
                .contains("src src", "mvnw pom.xml ./");
        List<String> runs = dockerfile.chain("build", "RUN").stream().map(DockerfileStages.Instruction::arguments)
                .toList();
        assertThat(runs).anySatisfy(run -> assertThat(run).contains("./mvnw", " package", "-DskipTests"));
        // the sandbox is compiled with the tests: maven.test.skip would leave target/antom-sandbox.jar unbuilt
        assertThat(runs).noneSatisfy(run -> assertThat(run).contains("maven.test.skip"));

        Map<String, String> jars = Map.of("app", "checkout-routes.jar", "sandbox", "antom-sandbox.jar");
        for (Map.Entry<String, String> target : jars.entrySet()) {
            List<List<String>> fromBuild = dockerfile.chain(target.getKey(), "COPY").stream()
                    .map(DockerfileStages.Instruction::tokens).filter(t -> t.get(0).startsWith("--from=")).toList();
            assertThat(fromBuild).as(target.getKey() + " copies its jar from the build").hasSize(1);
            List<String> copy = fromBuild.get(0);
            assertThat(copy.get(0)).isEqualTo("--from=build");
            assertThat(copy.get(1)).as("a jar the Maven build produces").isIn(produced.stream()
                    .map(jar -> buildDir + "/" + jar).toList())
                    .endsWith("/" + target.getValue());
            List<String> entrypoint = (List<String>) new Yaml().load(dockerfile.effective(target.getKey(), "ENTRYPOINT"));
            assertThat(entrypoint).as(target.getKey() + " ENTRYPOINT").startsWith("java")
                    .endsWith("-jar", copy.get(2));
            // a plain Spring Boot jar: no PropertiesLauncher main class any more
            assertThat(String.join(" ", entrypoint)).doesNotContain("loader.main");
        }
    }

    @Test
    void bothImagesRunAsTheNonRootUser() {
        for (String target : List.of("app", "sandbox")) {
            assertThat(dockerfile.effective(target, "USER")).as(target + " USER").isEqualTo("checkout");
            assertThat(dockerfile.chain(target, "RUN")).as(target + " creates the user")
                    .anySatisfy(run -> assertThat(run.arguments()).containsPattern("useradd .*--uid [1-9]\\d* checkout"));
        }
        SERVICES.forEach(name -> assertThat(services.get(name)).as(name).doesNotContainKey("user"));
    }

    // ---- ports, dependencies, volumes

    @Test
    void portsAndHealthChecksOnEveryService() {
        // on the host's loopback only: the compose file holds the demo users' passwords and Kafka is PLAINTEXT
        Map<String, List<String>> published = Map.of("kafka", List.of("127.0.0.1:9092:9092"),
                "postgres", List.of("127.0.0.1:5432:5432"), "antom-sandbox", List.of("127.0.0.1:8089:8089"),
                "checkout-routes", List.of("127.0.0.1:8080:8080", "127.0.0.1:8081:8081"));
        for (String name : SERVICES) {
            assertThat(list(services.get(name), "ports")).as(name + " ports")
                    .containsExactlyElementsOf(published.get(name));
            assertThat(healthCheck(name)).as(name + " healthcheck").isNotNull();
        }
        // the service is healthy only when ready: routes started (readiness), not merely when the port is open
        assertThat(healthCheck("checkout-routes").command()).contains("/actuator/health/readiness");
        // ... asked on the management port, inside the container; it listens beyond the container's loopback so
        // that the console can be published, on the host's loopback (above)
        assertThat(settings).contains("port: ${CHECKOUT_MANAGEMENT_PORT:8081}")
                .contains("address: ${CHECKOUT_MANAGEMENT_ADDRESS:127.0.0.1}");
        assertThat(env("checkout-routes")).containsEntry("CHECKOUT_MANAGEMENT_ADDRESS", "0.0.0.0");
        assertThat(healthCheck("checkout-routes").command()).contains("http://127.0.0.1:8081/");
        assertThat(dependsOn("checkout-routes")).containsOnlyKeys("kafka", "postgres", "antom-sandbox")
                .allSatisfy((service, condition) -> assertThat(condition).isEqualTo("service_healthy"));
    }

    @Test
    void dependenciesWaitForHealthOnlyWhereThereIsAHealthCheck() {
        for (String name : SERVICES) {
            dependsOn(name).forEach((dependency, condition) -> {
                assertThat(services).as(name + " depends on a service of this file").containsKey(dependency);
                assertThat(condition).isIn("service_started", "service_healthy", "service_completed_successfully");
                if (condition.equals("service_healthy")) {
                    assertThat(services.get(dependency)).as(dependency + " has a health check to wait for")
                            .containsKey("healthcheck");
                }
            });
        }
    }

    @Test
    void everyNamedVolumeIsDeclaredAndEveryDeclaredOneIsUsed() {
        Set<String> declared = ((Map<?, ?>) compose.get("volumes")).keySet().stream().map(String::valueOf)
                .collect(java.util.stream.Collectors.toSet());
        Set<String> used = new HashSet<>();
        for (String name : SERVICES) {
            for (Mount mount : mounts(name)) {
                if (mount.named()) {
                    assertThat(declared).as(name + " mounts a declared volume").contains(mount.source());
                    used.add(mount.source());
                } else {
                    assertThat(Path.of(mount.source())).as(name + " bind mount source").exists();
                }
            }
        }
        assertThat(used).isEqualTo(declared);
    }

    @Test
    void eachProgramWritesOnItsVolume() {
        // Kafka writes its topics to log.dirs; without KAFKA_LOG_DIRS that is under /tmp, not on the volume
        assertThat(mountOf("kafka", "kafka-data").target()).isEqualTo(env("kafka").get("KAFKA_LOG_DIRS"));
        // PGDATA of the postgres image
        assertThat(env("postgres")).doesNotContainKey("PGDATA");
        assertThat(mountOf("postgres", "postgres-data").target()).isEqualTo("/var/lib/postgresql/data");

        Map<String, String> sandbox = env("antom-sandbox");
        assertThat(mountOf("antom-sandbox", "sandbox-state").target()).isEqualTo(sandbox.get("SANDBOX_STATE_DIR"));
        assertThat(mountOf("antom-sandbox", "reports").target()).isEqualTo(sandbox.get("SANDBOX_REPORT_DIR"));
        assertThat(mountOf("antom-sandbox", "reports").readOnly()).isFalse();

        // the reports the sandbox writes are where reconciliation reads them (relative paths: from WORKDIR /app)
        String reportDir = env("checkout-routes").get("CHECKOUT_RECONCILIATION_REPORT_DIR");
        String workdir = dockerfile.effective("app", "WORKDIR");
        Mount appReports = mountOf("checkout-routes", "reports");
        assertThat(appReports.target()).isEqualTo(reportDir.startsWith("/") ? reportDir : workdir + "/" + reportDir);
        assertThat(appReports.readOnly()).as("reconciliation only reads the reports").isTrue();
        assertThat(settings).contains("report-dir: ${CHECKOUT_RECONCILIATION_REPORT_DIR:");

        // Docker fills an empty named volume from the image: the folders must exist there, owned by the user
        Map<String, String> targets = Map.of("antom-sandbox", "sandbox", "checkout-routes", "app");
        targets.forEach((service, target) -> {
            List<String> runs = dockerfile.chain(target, "RUN").stream().map(DockerfileStages.Instruction::arguments)
                    .toList();
            for (Mount mount : mounts(service)) {
                if (mount.named()) {
                    assertThat(runs).as(target + " creates " + mount.target() + " for its user")
                            .anyMatch(run -> createdForTheUser(run, mount.target()));
                }
            }
        });
    }

    @Test
    void theOperatorsConfigAndRoutesAreMountedWhereTheApplicationReadsThem() {
        assertThat(list(services.get("checkout-routes"), "volumes")).contains(
                "./config/application.yml:/app/config/application.yml:ro", "./config/schemas:/app/config/schemas:ro",
                "./routes:/app/routes");
        // of the sandbox's keys, only the two the service uses: never Antom's (the sandbox's) private key
        assertThat(mounts("checkout-routes")).extracting(Mount::target).filteredOn(t -> t.contains("sandbox-keys"))
                .containsExactlyInAnyOrder("/app/config/sandbox-keys/merchant-private.pem",
                        "/app/config/sandbox-keys/antom-public.pem");
        // ./config and ./routes are read relative to the working directory of the image
        assertThat(dockerfile.effective("app", "WORKDIR")).isEqualTo("/app");
    }

    @Test
    void theServicesImageHoldsItsConfigurationButNoSandboxKey() throws IOException {
        List<String> copied = dockerfile.chain("app", "COPY").stream().map(DockerfileStages.Instruction::tokens)
                .filter(t -> !t.get(0).startsWith("--from=")).map(t -> t.get(0)).toList();
        assertThat(copied).contains("config/application.yml", "config/schemas", "routes");
        try (var files = Files.walk(Path.of("config"))) {
            List<String> sandboxKeys = files.filter(f -> f.startsWith(Path.of("config", "sandbox-keys")))
                    .map(Path::toString).toList();
            assertThat(sandboxKeys).isNotEmpty();
            for (String source : copied) {
                assertThat(sandboxKeys).as(source).noneMatch(key -> key.equals(source) || key.startsWith(source + "/"));
            }
        }
    }

    @Test
    void bothSidesUseTheMountedSandboxKeys() {
        Map<String, String> keyFiles = new LinkedHashMap<>();
        Map<String, String> sandbox = env("antom-sandbox");
        Map<String, String> app = env("checkout-routes");
        keyFiles.put("antom-sandbox " + sandbox.get("SANDBOX_ANTOM_PRIVATE_KEY"), "antom-private.pem");
        keyFiles.put("antom-sandbox " + sandbox.get("SANDBOX_MERCHANT_PUBLIC_KEY"), "merchant-public.pem");
        keyFiles.put("checkout-routes " + app.get("CHECKOUT_ANTOM_MERCHANT_PRIVATE_KEY"), "merchant-private.pem");
        keyFiles.put("checkout-routes " + app.get("CHECKOUT_ANTOM_PUBLIC_KEY"), "antom-public.pem");
        keyFiles.forEach((where, file) -> {
            String service = where.substring(0, where.indexOf(' '));
            String path = where.substring(where.indexOf(' ') + 1);
            assertThat(path).as(where).endsWith("/" + file);
            // the file, as the container sees it, comes from a bind mount of this repository
            Path onHost = mounts(service).stream().filter(m -> !m.named()
                            && (path.equals(m.target()) || path.startsWith(m.target() + "/")))
                    .map(m -> path.equals(m.target()) ? Path.of(m.source())
                            : Path.of(m.source(), path.substring(m.target().length() + 1))).findFirst()
                    .orElseThrow(() -> new AssertionError(where + " is not under a bind mount"));
            assertThat(onHost).as(where).isEqualTo(Path.of("./config/sandbox-keys", file)).exists();
        });
    }

    /**
     * Docker's default is 10 s. The steps of a stop run one after another (README, Graceful shutdown): the outbox's
     * send on its way (the producers' max-block + delivery timeouts), a reload under way and Camel's stop (each at
     * most camel.main.shutdown-timeout), the web requests (spring.lifecycle.timeout-per-shutdown-phase).
     */
    @Test
    void theServiceGetsTimeToShutDownGracefully() {
        String grace = String.valueOf(services.get("checkout-routes").get("stop_grace_period"));
        assertThat(grace).matches("\\d+s");
        long steps = 2 * setting("shutdown-timeout: (\\d+)") + setting("timeout-per-shutdown-phase: (\\d+)s")
                + (setting("max-block-ms: (\\d+)") + setting("delivery-timeout-ms: (\\d+)")) / 1000;
        assertThat(Long.parseLong(grace.replace("s", ""))).isGreaterThan(steps);
    }

    /** The first number a pattern finds in config/application.yml. */
    private long setting(String pattern) {
        Matcher value = Pattern.compile(pattern).matcher(settings);
        assertThat(value.find()).as(pattern + " in config/application.yml").isTrue();
        return Long.parseLong(value.group(1));
    }

    // ---- environment

    @Test
    void everyEnvironmentNameIsOneTheApplicationReads() {
        Set<String> placeholders = new HashSet<>();
        Matcher placeholder = PLACEHOLDER.matcher(settings);
        while (placeholder.find()) {
            placeholders.add(placeholder.group(1));
        }
        Set<String> relaxed = relaxedNames(new Yaml().load(settings), "");
        assertThat(env("checkout-routes")).isNotEmpty().allSatisfy((variable, value) ->
                assertThat(placeholders.contains(variable) || relaxed.contains(variable))
                        .as(variable + " is read by config/application.yml (a ${" + variable
                                + "} placeholder or the relaxed name of a setting there)")
                        .isTrue());
    }

    @Test
    void everySandboxNameIsOneSandboxMainReads() throws IOException {
        String sandboxMain = Files.readString(Path.of("src/sandbox/java/com/checkoutroutes/sandbox/SandboxMain.java"));
        Set<String> read = new HashSet<>();
        Matcher env = Pattern.compile("\\benv\\(\"([A-Z0-9_]+)\"").matcher(sandboxMain);
        while (env.find()) {
            read.add(env.group(1));
        }
        assertThat(read).contains("SANDBOX_PORT", "SANDBOX_REPORT_DIR", "SANDBOX_STATE_DIR");
        assertThat(env("antom-sandbox")).isNotEmpty().allSatisfy((variable, value) ->
                assertThat(read.contains(variable))
                        .as(variable + " is read by SandboxMain (env(\"" + variable + "\"))").isTrue());
    }

    @Test
    void everySettingWithoutADefaultIsGivenToTheService() throws ReflectiveOperationException {
        Map<String, String> given = env("checkout-routes");
        Set<String> withoutDefault = new LinkedHashSet<>();
        Matcher placeholder = PLACEHOLDER.matcher(settings);
        while (placeholder.find()) {
            if (placeholder.group(2) == null || placeholder.group(2).isEmpty()) {
                withoutDefault.add(placeholder.group(1));
            }
        }
        assertThat(withoutDefault).as("the optional ones are still in config/application.yml")
                .containsAll(OPTIONAL.keySet());
        withoutDefault.removeAll(OPTIONAL.keySet());
        assertThat(withoutDefault).isNotEmpty()
                .allSatisfy(variable -> assertThat(given.get(variable)).as(variable + " is set").isNotBlank());
        // and whatever the start-up check insists on (CHECKOUT_ANTOM_GATEWAY_URL has a default: the real Antom)
        Field required = Class.forName("com.checkoutroutes.platform.RequiredSettings").getDeclaredField("REQUIRED");
        required.setAccessible(true);
        @SuppressWarnings("unchecked")
        Map<String, String> requiredSettings = (Map<String, String>) required.get(null);
        assertThat(requiredSettings.values()).isNotEmpty()
                .allSatisfy(variable -> assertThat(given.get(variable)).as(variable + " is set").isNotBlank());
        // gone with the production jar's split
        assertThat(given).doesNotContainKeys("CHECKOUT_KAFKA_EMBEDDED", "CHECKOUT_SANDBOX_ENABLED");
    }

    @Test
    void theServiceIsPointedAtTheComposeServices() {
        Map<String, String> app = env("checkout-routes");
        Map<String, String> db = env("postgres");
        Map<String, String> sandbox = env("antom-sandbox");
        // the PLAINTEXT listener the other containers reach
        assertThat(app.get("CHECKOUT_KAFKA_BROKERS")).isEqualTo("kafka:19092");
        assertThat(env("kafka").get("KAFKA_ADVERTISED_LISTENERS")).contains("PLAINTEXT://kafka:19092");
        assertThat(app.get("CHECKOUT_DB_URL")).isEqualTo("jdbc:postgresql://postgres:5432/" + db.get("POSTGRES_DB"));
        assertThat(app.get("CHECKOUT_DB_USER")).isEqualTo(db.get("POSTGRES_USER"));
        assertThat(app.get("CHECKOUT_DB_PASSWORD")).isEqualTo(db.get("POSTGRES_PASSWORD"));
        // the sandbox plays Antom: its address inside the network, and the client id it expects
        assertThat(app.get("CHECKOUT_ANTOM_GATEWAY_URL")).isEqualTo("http://antom-sandbox:" + sandbox.get("SANDBOX_PORT"));
        assertThat(app.get("CHECKOUT_ANTOM_CLIENT_ID")).isEqualTo(sandbox.get("SANDBOX_CLIENT_ID")).startsWith("SANDBOX_");
        // the sandbox posts notifications to the service inside the network, on checkout.notifications.path
        assertThat(settings).contains("path: /antom/notifications");
        assertThat(app.get("CHECKOUT_ANTOM_NOTIFY_URL")).isEqualTo("http://checkout-routes:8080/antom/notifications");
    }

    // ---- health checks

    @Test
    void healthChecksRunOnlyWhatTheirImagesHave() {
        for (String name : SERVICES) {
            HealthCheck check = healthCheck(name);
            assertThat(check.form()).as(name).isIn("CMD", "CMD-SHELL");
            if (check.form().equals("CMD")) {
                assertThat(check.argv().get(0)).as(name + " health check binary").isIn(IMAGE_COMMANDS.get(name));
                continue;
            }
            // CMD-SHELL runs /bin/sh -c: dash or busybox, never bash
            assertThat(check.command()).as(name + " uses no bash-only syntax")
                    .doesNotContain("/dev/tcp", "/dev/udp", "[[", "<<<", "&>", "|&", "$'", "pipefail", "source ");
            for (String command : check.command().split("\\|\\|?|&&|;")) {
                String program = command.trim().split("\\s+")[0];
                assertThat(program).as(name + " health check command").isIn(IMAGE_COMMANDS.get(name));
            }
        }
        // curl in the images built here, from the shared runtime stage, without leaving apt's lists behind
        for (String target : List.of("app", "sandbox")) {
            assertThat(dockerfile.chain(target, "RUN")).extracting(DockerfileStages.Instruction::arguments)
                    .anySatisfy(run -> assertThat(run).containsPattern("apt-get install -y .*\\bcurl\\b")
                            .contains("rm -rf /var/lib/apt/lists/*"));
        }
        // Kafka's own client, against the listener on the container's localhost
        HealthCheck kafka = healthCheck("kafka");
        assertThat(kafka.command()).startsWith("/opt/kafka/bin/kafka-broker-api-versions.sh --bootstrap-server localhost:9092");
        assertThat(env("kafka").get("KAFKA_LISTENERS")).contains("://:9092");
    }

    /**
     * The build stage's context is what it copies (no .ci) and its image has no chromedriver, so the pom's
     * install-chromium profile is active there: its package command must not run the install script. Run here on a
     * copy of that context, the profile forced on, through the phase that runs the script (compiling skipped, which
     * the script does not depend on).
     */
    @Test
    @Tag("flow")
    void theBuildStagesPackageCommandInstallsNothing(@TempDir Path context) throws Exception {
        for (DockerfileStages.Instruction copy : dockerfile.chain("build", "COPY")) {
            List<String> tokens = copy.tokens();
            for (String source : tokens.subList(0, tokens.size() - 1)) {
                FileSystemUtils.copyRecursively(Path.of(source), context.resolve(source));
            }
        }
        assertThat(context.resolve(".ci")).doesNotExist();
        String packageRun = dockerfile.chain("build", "RUN").stream().map(DockerfileStages.Instruction::arguments)
                .filter(run -> run.contains(" package")).findFirst().orElseThrow();
        List<String> command = new ArrayList<>(List.of(packageRun.trim().split("\\s+")));
        command.remove("package");
        command.addAll(List.of("-P", "install-chromium", "-Dmaven.main.skip=true", "-Dmaven.test.skip=true",
                "process-test-classes"));
        Path log = context.resolve("maven.log");
        Process maven = new ProcessBuilder(command).directory(context.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!maven.waitFor(5, TimeUnit.MINUTES)) {
            maven.destroyForcibly();
        }
        assertThat(maven.isAlive() ? -1 : maven.exitValue()).as(Files.readString(log)).isZero();
    }

    @Test
    @Tag("flow")
    void everyShellHealthCheckParsesInDash() throws Exception {
        assumeTrue(Files.isExecutable(DASH), "dash is not installed here");
        for (String name : SERVICES) {
            HealthCheck check = healthCheck(name);
            if (check.form().equals("CMD-SHELL")) {
                // -n: read the commands, run none
                assertThat(run(List.of(DASH.toString(), "-n", "-c", check.command()))).as(name).isZero();
            }
        }
    }

    @Test
    @Tag("flow")
    void theSandboxIsHealthyOnlyWhenItAnswersUp() throws Exception {
        assertHttpCheck("antom-sandbox", 8089, "/sandbox/health",
                new Answer(200, "{\"status\":\"UP\"}"), // SandboxServer's answer
                List.of(new Answer(503, "{\"status\":\"DOWN\"}"), new Answer(200, "{\"status\":\"DOWN\"}")));
        // and against the sandbox itself (its classes are on the test classpath), on a free port
        HealthCheck check = healthCheck("antom-sandbox");
        HealthCheck local;
        try (SandboxServer sandbox = new SandboxServer(SandboxSettings.defaults().withPort(0)).start()) {
            local = check.onPort(8089, sandbox.port());
            assertThat(runCheck(local)).as("the sandbox running").isZero();
        }
        assertThat(runCheck(local)).as("the sandbox stopped").isNotZero();
    }

    @Test
    @Tag("flow")
    void theServiceIsHealthyOnlyWhenReady() throws Exception {
        // the management port (management.server.port), on the container's loopback
        assertHttpCheck("checkout-routes", 8081, "/actuator/health/readiness",
                new Answer(200, "{\"status\":\"UP\",\"components\":{\"camelReadinessState\":{\"status\":\"UP\"},"
                        + "\"readinessState\":{\"status\":\"UP\"}}}"),
                // Spring answers 503 while the routes start, or after a consumer lost Kafka
                List.of(new Answer(503, "{\"status\":\"OUT_OF_SERVICE\",\"components\":{\"camelReadinessState\":"
                                + "{\"status\":\"DOWN\"},\"readinessState\":{\"status\":\"UP\"}}}"),
                        new Answer(503, "{\"status\":\"DOWN\"}"),
                        new Answer(200, "{\"status\":\"DOWN\"}")));
    }

    @Test
    @Tag("flow")
    void thePostgresCheckAgainstALocalPostgres() throws Exception {
        HealthCheck check = healthCheck("postgres");
        assertThat(check.command()).startsWith("pg_isready ").contains("-h 127.0.0.1", "-p 5432", "-U checkout",
                "-d checkout");
        assumeTrue(Files.isExecutable(DASH), "dash is not installed here");
        assumeTrue(onPath("pg_isready"), "pg_isready is not installed here");
        assumeTrue(listening(5432), "no PostgreSQL on 127.0.0.1:5432");
        // pg_isready asks whether the server accepts connections; the user and database need not exist
        assertThat(runCheck(check)).as("PostgreSQL up").isZero();
        assertThat(runCheck(check.onPort(5432, freePort()))).as("nothing listening").isNotZero();
    }

    private static void assertHttpCheck(String service, int port, String path, Answer up, List<Answer> notUp)
            throws Exception {
        HealthCheck check = healthCheck(service);
        if (check.form().equals("CMD-SHELL")) {
            assumeTrue(Files.isExecutable(DASH), "dash is not installed here");
            // the image's programs it calls (curl, grep), not the shell's built-ins
            IMAGE_COMMANDS.get(service).stream().filter(p -> check.command().matches("(.*\\W)?" + p + "\\s.*"))
                    .forEach(p -> assumeTrue(onPath(p), p + " is not installed here"));
        } else {
            assumeTrue(onPath(check.argv().get(0)), check.argv().get(0) + " is not installed here");
        }

        AtomicReference<Answer> answer = new AtomicReference<>(up);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            Answer a = exchange.getRequestURI().getPath().equals(path) ? answer.get()
                    : new Answer(404, "{\"error\":\"no such endpoint\"}");
            byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(a.status(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        int stubPort = server.getAddress().getPort();
        HealthCheck local = check.onPort(port, stubPort);
        try {
            assertThat(runCheck(local)).as(service + " answering " + up).isZero();
            for (Answer bad : notUp) {
                answer.set(bad);
                assertThat(runCheck(local)).as(service + " answering " + bad).isNotZero();
            }
        } finally {
            server.stop(0);
        }
        assertThat(runCheck(local)).as(service + " not listening").isNotZero();
        // inside the container, on the port the service listens on (the stand-in above answers UP on this path only)
        assertThat(check.command()).contains("127.0.0.1:" + port + path);
    }

    // ---- helpers

    record Answer(int status, String body) {
    }

    /** A compose health check: ["CMD-SHELL", "command"] or ["CMD", "binary", "arg", ...]. */
    record HealthCheck(String form, List<String> argv) {

        static HealthCheck of(Object test) {
            assertThat(test).as("healthcheck.test is a list").isInstanceOf(List.class);
            List<String> parts = ((List<?>) test).stream().map(String::valueOf).toList();
            if (parts.get(0).equals("CMD-SHELL")) {
                assertThat(parts).hasSize(2);
            }
            return new HealthCheck(parts.get(0), parts.subList(1, parts.size()));
        }

        String command() {
            return String.join(" ", argv);
        }

        /** The same check against another local port (the port must appear exactly once). */
        HealthCheck onPort(int from, int to) {
            Pattern port = Pattern.compile("(?<=[:/\\s])" + from + "\\b");
            assertThat(port.matcher(command()).results().count()).as("port " + from + " in " + command()).isOne();
            return new HealthCheck(form,
                    argv.stream().map(a -> port.matcher(a).replaceAll(String.valueOf(to))).toList());
        }
    }

    record Mount(String source, String target, boolean readOnly) {

        boolean named() {
            return !source.startsWith(".") && !source.startsWith("/") && !source.startsWith("~");
        }
    }

    private static int runCheck(HealthCheck check) throws Exception {
        List<String> command = check.form().equals("CMD-SHELL")
                ? List.of(DASH.toString(), "-c", check.command())
                : check.argv();
        return run(command);
    }

    private static int run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return process.exitValue();
    }

    private static boolean onPath(String program) {
        if (program.contains("/")) {
            return Files.isExecutable(Path.of(program));
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static HealthCheck healthCheck(String service) {
        @SuppressWarnings("unchecked")
        Map<String, Object> health = (Map<String, Object>) services.get(service).get("healthcheck");
        assertThat(health).as(service + " healthcheck").isNotNull().containsKey("test");
        return HealthCheck.of(health.get("test"));
    }

    private static Map<String, String> dependsOn(String service) {
        Object dependsOn = services.get(service).get("depends_on");
        if (dependsOn == null) {
            return Map.of();
        }
        Map<String, String> conditions = new LinkedHashMap<>();
        if (dependsOn instanceof List<?> names) {
            names.forEach(n -> conditions.put(String.valueOf(n), "service_started"));
        } else {
            ((Map<?, ?>) dependsOn).forEach((n, c) -> conditions.put(String.valueOf(n),
                    String.valueOf(((Map<?, ?>) c).get("condition"))));
        }
        return conditions;
    }

    private static Map<String, String> env(String service) {
        Object environment = services.get(service).get("environment");
        Map<String, String> env = new LinkedHashMap<>();
        if (environment != null) {
            assertThat(environment).as(service + " environment is a map").isInstanceOf(Map.class);
            ((Map<?, ?>) environment).forEach((k, v) -> env.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
        }
        return env;
    }

    private static List<Mount> mounts(String service) {
        List<Mount> mounts = new ArrayList<>();
        Object volumes = services.get(service).get("volumes");
        if (volumes != null) {
            for (Object volume : (List<?>) volumes) {
                String[] parts = String.valueOf(volume).split(":");
                assertThat(parts.length).as(service + " volume " + volume + " is source:target[:ro]").isBetween(2, 3);
                mounts.add(new Mount(parts[0], parts[1], parts.length == 3 && parts[2].equals("ro")));
            }
        }
        return mounts;
    }

    private static Mount mountOf(String service, String volume) {
        return mounts(service).stream().filter(m -> m.source().equals(volume)).findFirst()
                .orElseThrow(() -> new AssertionError(service + " does not mount " + volume));
    }

    /** The RUN line makes the folder and gives it, or a folder above it, to the user. */
    private static boolean createdForTheUser(String run, String target) {
        if (!run.matches(".*mkdir -p [^&;]*" + Pattern.quote(target) + "(\\s.*|$)")) {
            return false;
        }
        for (Path p = Path.of(target); p != null; p = p.getParent()) {
            if (run.matches(".*chown -R checkout [^&;]*" + Pattern.quote(p.toString()) + "(\\s.*|$)")) {
                return true;
            }
        }
        return false;
    }

    /** The environment names Spring's relaxed binding maps onto the settings there (a.b-c.d -> A_BC_D). */
    private static Set<String> relaxedNames(Object node, String prefix) {
        Set<String> names = new HashSet<>();
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                String path = prefix.isEmpty() ? String.valueOf(key) : prefix + "." + key;
                if (value instanceof Map<?, ?>) {
                    names.addAll(relaxedNames(value, path));
                } else {
                    names.add(path.replace(".", "_").replace("-", "").toUpperCase(java.util.Locale.ROOT));
                }
            });
        }
        return names;
    }

    private static List<String> list(Map<String, Object> service, String key) {
        return ((List<?>) service.get(key)).stream().map(String::valueOf).toList();
    }
}
