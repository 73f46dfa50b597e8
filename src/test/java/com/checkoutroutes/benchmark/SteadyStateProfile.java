package com.checkoutroutes.benchmark;

import java.nio.file.Path;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * A JFR recording of the sustained phase only ({@code -Dload.jfr=target/benchmarks/sustained.jfr}): after the
 * warm-up, so the profile shows where a running service spends its time, not the JIT compiling it.
 */
final class SteadyStateProfile implements AutoCloseable {

    private final Recording recording;
    private final Path file;

    private SteadyStateProfile(Recording recording, Path file) {
        this.recording = recording;
        this.file = file;
    }

    static SteadyStateProfile fromSystemProperties() throws Exception {
        String path = System.getProperty("load.jfr");
        if (path == null || path.isBlank()) {
            return new SteadyStateProfile(null, null);
        }
        Recording recording = new Recording(Configuration.getConfiguration("profile"));
        recording.start();
        return new SteadyStateProfile(recording, Path.of(path));
    }

    @Override
    public void close() throws Exception {
        if (recording != null) {
            recording.stop();
            recording.dump(file);
            recording.close();
            System.out.println("sustained phase profile: " + file);
        }
    }
}
