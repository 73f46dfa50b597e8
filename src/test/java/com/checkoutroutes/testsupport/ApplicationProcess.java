package com.checkoutroutes.testsupport;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;

/**
 * Checkout Routes as a separate operating-system process, so a test can SIGKILL it mid-flow and start it again, as a
 * crash would, or run a second instance beside it: either the production main class on the production classpath
 * (no test code), or the local run ({@code ./mvnw spring-boot:test-run}) in an operator's working directory.
 */
public final class ApplicationProcess {

    private final String mainClass;
    private final String classpath;
    private final Path workingDirectory;
    private final Map<String, String> settings;
    private final int port;
    /** the actuator's port (readiness), fresh per process: two instances on one machine must not share 8081 */
    private final int managementPort = FreePort.find();
    private final Path logDir;
    private Process process;
    private int starts;
    /**
     * The C1 compiler alone and the serial collector: about half the CPU to start (measured 13.5 s against 25 s on 2
     * shared cores), and the suites' runs are short and light (tens of orders a second).
     */
    private List<String> jvmOptions = List.of("-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    /** The production application with these settings (the crash and scale suites, a second load instance). */
    public ApplicationProcess(Map<String, String> settings, int port, Path logDir) {
        this("com.checkoutroutes.CheckoutRoutesApplication", mainClasspath(), Path.of(""), settings, port, logDir);
    }

    private ApplicationProcess(String mainClass, String classpath, Path workingDirectory, Map<String, String> settings,
            int port, Path logDir) {
        this.mainClass = mainClass;
        this.classpath = classpath;
        this.workingDirectory = workingDirectory;
        this.settings = settings;
        this.port = port;
        this.logDir = logDir.toAbsolutePath();
    }

    /** JVM options instead of the suites' quick-start ones (a benchmark's instance runs as production would). */
    public ApplicationProcess withJvmOptions(String... options) {
        this.jvmOptions = List.of(options);
        return this;
    }

    /** The local run, started in {@code workingDirectory} (which holds config/ and routes/; data/ goes there). */
    public static ApplicationProcess localRun(Path workingDirectory, Map<String, String> settings, int port,
            Path logDir) {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return new ApplicationProcess("com.checkoutroutes.localrun.LocalCheckoutRoutes", classpath,
                workingDirectory.toAbsolutePath(), settings, port, logDir);
    }

    public int port() {
        return port;
    }

    public int managementPort() {
        return managementPort;
    }

    /** The log of the latest start (stdout and stderr). */
    public Path log() {
        return log(starts);
    }

    /** The logs of every start so far, the first first. */
    public List<Path> logs() {
        return java.util.stream.IntStream.rangeClosed(1, starts).mapToObj(this::log).toList();
    }

    private Path log(int start) {
        return logDir.resolve("app-" + start + ".log");
    }

    public void start() throws IOException {
        Files.createDirectories(logDir);
        List<String> command = new ArrayList<>(List.of(jdkTool("java")));
        command.addAll(jvmOptions);
        // ACCP loads its native library: allowed, as the jars' manifests allow it (Java 22+ warns, later ones refuse)
        command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp", classpath));
        command.add(mainClass);
        settings.forEach((k, v) -> command.add("--" + k + "=" + v));
        command.add("--server.port=" + port);
        command.add("--management.server.port=" + managementPort);
        File log = log(++starts).toFile();
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log);
        if (!workingDirectory.toString().isEmpty()) {
            builder.directory(workingDirectory.toFile());
        }
        process = builder.start();
        HttpClient http = HttpClient.newHttpClient();
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("the application exited; see " + log);
            }
            try {
                return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort
                        + "/actuator/health/readiness")).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
    }

    /** The operating-system process id of the latest start. */
    public long pid() {
        return process.pid();
    }

    /**
     * Writes the running application's threads beside its log and returns that file: what a test that timed out
     * waiting for the application looks at first. {@code jcmd <pid> Thread.print} (platform threads, with their locks),
     * then {@code Thread.dump_to_file} into {@code -virtual.txt}: the order lanes run on virtual threads, which only
     * that one lists.
     */
    public Path dumpThreads() throws IOException, InterruptedException {
        Path dump = logDir.resolve("app-" + starts + "-threads.txt");
        if (process == null || !process.isAlive()) {
            Files.writeString(dump, "not running\n");
            return dump;
        }
        jcmd(dump, "Thread.print");
        Path virtual = logDir.resolve("app-" + starts + "-threads-virtual.txt");
        Files.deleteIfExists(virtual);
        jcmd(dump.resolveSibling(dump.getFileName() + ".jcmd"), "Thread.dump_to_file", "-format=text",
                virtual.toString());
        return dump;
    }

    private void jcmd(Path output, String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(jdkTool("jcmd"), String.valueOf(process.pid())));
        line.addAll(List.of(command));
        Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!jcmd.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            jcmd.destroyForcibly();
            Files.writeString(output, "\n(jcmd gave no complete answer within 30 s)\n",
                    java.nio.file.StandardOpenOption.APPEND);
        }
    }

    /** SIGKILL: no shutdown hook, no graceful stop, in-flight work simply stops. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    /** A tool of the JDK running the tests ({@code java}, {@code jcmd}): the application runs on the same one. */
    private static String jdkTool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name).toString();
    }

    /** The test JVM's classpath minus the test classes (whose environment post-processor would take over). */
    private static String mainClasspath() {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.stream(classpath.split(File.pathSeparator))
                .filter(entry -> !entry.endsWith("test-classes") && !entry.endsWith("test-classes/"))
                .collect(Collectors.joining(File.pathSeparator));
    }
}
