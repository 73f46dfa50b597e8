package com.checkoutroutes.operations;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Dockerfile read the way the builder reads it, enough for {@link DockerComposeTest}: comment lines dropped,
 * continuation lines joined, instructions grouped by the stage ({@code FROM ... AS name}) they belong to.
 */
final class DockerfileStages {

    record Instruction(String keyword, String arguments) {

        List<String> tokens() {
            return List.of(arguments.trim().split("\\s+"));
        }
    }

    record Stage(String name, String from, List<Instruction> instructions) {
    }

    private final Map<String, Stage> stages = new LinkedHashMap<>();

    private DockerfileStages() {
    }

    static DockerfileStages read(Path file) throws IOException {
        DockerfileStages dockerfile = new DockerfileStages();
        List<String> logical = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(file)) {
            String trimmed = line.trim();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
            } else {
                current.append(trimmed);
                logical.add(current.toString());
                current.setLength(0);
            }
        }
        Stage stage = null;
        int unnamed = 0;
        for (String line : logical) {
            String[] parts = line.split("\\s+", 2);
            Instruction instruction = new Instruction(parts[0].toUpperCase(Locale.ROOT), parts.length > 1 ? parts[1] : "");
            if (instruction.keyword().equals("FROM")) {
                List<String> tokens = instruction.tokens();
                String name = tokens.size() >= 3 && tokens.get(1).equalsIgnoreCase("AS") ? tokens.get(2)
                        : String.valueOf(unnamed++);
                stage = new Stage(name, tokens.get(0), new ArrayList<>());
                dockerfile.stages.put(name, stage);
            } else if (stage != null) {
                stage.instructions().add(instruction);
            }
        }
        return dockerfile;
    }

    Map<String, Stage> stages() {
        return stages;
    }

    /** The stage {@code docker build} builds without --target. */
    Stage last() {
        return List.copyOf(stages.values()).get(stages.size() - 1);
    }

    /** The images each stage starts from that are not stages of this file (what the build pulls). */
    List<String> baseImages() {
        return stages.values().stream().map(Stage::from).filter(from -> !stages.containsKey(from)).toList();
    }

    /** A stage's instructions preceded by those of the stages it is built on, in the order they apply. */
    List<Instruction> chain(String name) {
        Stage stage = stages.get(name);
        if (stage == null) {
            throw new IllegalArgumentException("no stage " + name);
        }
        List<Instruction> instructions = new ArrayList<>();
        if (stages.containsKey(stage.from())) {
            instructions.addAll(chain(stage.from()));
        }
        instructions.addAll(stage.instructions());
        return instructions;
    }

    List<Instruction> chain(String name, String keyword) {
        return chain(name).stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    /** The last value of an instruction such as USER or WORKDIR in effect for a stage, or null. */
    String effective(String name, String keyword) {
        List<Instruction> found = chain(name, keyword);
        return found.isEmpty() ? null : found.get(found.size() - 1).arguments().trim();
    }
}
