package com.checkoutroutes.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link SigningBenchmark} and writes JMH's JSON to target/benchmarks/signing.json plus a summary with the
 * machine to target/benchmarks/signing-summary.json. Run with {@code ./mvnw -Pbench verify}; longer runs with
 * {@code -Dbench.iterations=5 -Dbench.seconds=5}, both threads with {@code -Dbench.threads=2}.
 */
public final class SigningBenchmarkMain {

    private SigningBenchmarkMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of("target/benchmarks"));
        int seconds = Integer.getInteger("bench.seconds", 2);
        int threads = Integer.getInteger("bench.threads", 1);
        Options options = new OptionsBuilder()
                .include(SigningBenchmark.class.getName())
                .forks(1)
                .threads(threads)
                .warmupIterations(2)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(Integer.getInteger("bench.iterations", 3))
                .measurementTime(TimeValue.seconds(seconds))
                .result(dir.resolve("signing.json").toString())
                .resultFormat(ResultFormatType.JSON)
                .build();
        Collection<RunResult> results = new Runner(options).run();

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("machine", MachineInfo.describe());
        summary.put("threads", threads);
        Map<String, Object> opsPerSecond = new LinkedHashMap<>();
        for (RunResult result : results) {
            String name = result.getParams().getBenchmark().replaceAll(".*\\.", "") + "." + result.getParams().getParam("impl");
            opsPerSecond.put(name, Math.round(result.getPrimaryResult().getScore()));
        }
        summary.put("opsPerSecond", opsPerSecond);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(dir.resolve("signing-summary.json").toFile(), summary);
        System.out.println("signing benchmark: " + opsPerSecond + " -> " + dir.toAbsolutePath());
    }
}
