package com.checkoutroutes.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** A jar the build produced in target/, read as an operator would receive it. */
record PackagedJar(Path path) {

    static PackagedJar named(String fileName) {
        Path jar = Path.of("target", fileName);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the package phase first (./mvnw verify does)");
        }
        return new PackagedJar(jar.toAbsolutePath());
    }

    List<String> entries() {
        try (ZipFile zip = new ZipFile(path.toFile())) {
            return Collections.list(zip.entries()).stream().map(ZipEntry::getName).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long megabytes() {
        try {
            return Files.size(path) / (1024 * 1024);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code java -jar} with exactly {@code environment} (nothing inherited), in {@code workingDirectory}. */
    ProcessBuilder launch(Path workingDirectory, java.util.Map<String, String> environment, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar",
                path.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile())
                .redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(environment);
        return builder;
    }
}
