package com.checkoutroutes.benchmark;

import java.nio.file.Path;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * A JFR recording of the sustained phase only ({@code -Dload.jfr=target/benchmarks/sustained.jfr}; the sustained
 * phase with Antom slow goes to {@code sustained-at300ms.jfr} beside it): after the
 * warm-up, so the profile shows where a running service spends its time, not the JIT compiling it.
 */
final class SteadyStateProfile implements AutoCloseable {

    private final Recording recording;
    private final Path file;
    private java.util.Map<String, Object> split;

    private SteadyStateProfile(Recording recording, Path file) {
        this.recording = recording;
        this.file = file;
    }

    /** The recording of another phase: {@code -Dload.jfr}'s file name with {@code suffix} before ".jfr". */
    static SteadyStateProfile fromSystemProperties(String suffix) throws Exception {
        String path = System.getProperty("load.jfr");
        if (path == null || path.isBlank()) {
            return new SteadyStateProfile(null, null);
        }
        path = path.endsWith(".jfr") ? path.substring(0, path.length() - 4) + suffix + ".jfr" : path + suffix;
        Recording recording = new Recording(Configuration.getConfiguration("profile"));
        recording.start();
        return new SteadyStateProfile(recording, Path.of(path));
    }

    /** After close: the recording's split by owner and area ({@link ProfileSplit}); null without a recording. */
    java.util.Map<String, Object> split() {
        return split;
    }

    @Override
    public void close() throws Exception {
        if (recording != null) {
            recording.stop();
            recording.dump(file);
            recording.close();
            System.out.println("sustained phase profile: " + file);
            split = ProfileSplit.of(file);
            System.out.println("sustained phase CPU samples by owner and area: " + split);
        }
    }
}
