package com.checkoutroutes.benchmark;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a benchmark figure was measured on, written next to every result. */
final class MachineInfo {

    private MachineInfo() {
    }

    static Map<String, Object> describe() {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cpus", Runtime.getRuntime().availableProcessors());
        machine.put("cpuModel", cpuModel());
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        machine.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        machine.put("maxHeapMb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        // which collector: on two cores it moved every figure (docs/benchmarks.md)
        machine.put("garbageCollectors", ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName).toList());
        return machine;
    }

    /** /proc/loadavg: our machines are shared, so a busy neighbour shows here. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** CPU time this JVM has used (all its threads: app, broker, sandbox, driver, JIT and GC). */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * CPU time used so far by the processes named postgres on this machine (utime + stime from /proc), so a phase
     * can say what the database cost it; 0 where /proc is not there. Backends that ended before are not counted.
     */
    static long postgresCpuNanos() {
        try (var dirs = Files.list(Path.of("/proc"))) {
            long ticks = dirs.filter(d -> d.getFileName().toString().chars().allMatch(Character::isDigit))
                    .mapToLong(MachineInfo::postgresTicks).sum();
            return ticks * 10_000_000L; // USER_HZ is 100 on Linux
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * The whole machine's CPU ticks so far from /proc/stat, as {busy, all}: busy is everything but idle and iowait,
     * whichever process used it (this JVM, a second instance, PostgreSQL). {0, 0} where /proc is not there.
     */
    static long[] machineTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long all = 0;
            for (int i = 1; i < f.length && i <= 8; i++) { // user nice system idle iowait irq softirq steal
                all += Long.parseLong(f[i]);
            }
            return new long[] {all - Long.parseLong(f[4]) - Long.parseLong(f[5]), all};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    /** The share of the machine's CPU that was busy between two {@link #machineTicks()} readings, 0 to 1. */
    static double busyShare(long[] before, long[] after) {
        long all = after[1] - before[1];
        return all <= 0 ? 0 : Math.round((after[0] - before[0]) * 100d / all) / 100d;
    }

    private static long postgresTicks(Path proc) {
        try {
            String stat = Files.readString(proc.resolve("stat"));
            int close = stat.lastIndexOf(')');
            if (!stat.substring(stat.indexOf('(') + 1, close).equals("postgres")) {
                return 0;
            }
            String[] fields = stat.substring(close + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
