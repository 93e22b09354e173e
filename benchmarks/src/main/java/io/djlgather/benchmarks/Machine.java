package io.djlgather.benchmarks;

import ai.djl.engine.Engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** The machine line of the report: cores, CPU model, JVM, engine, load. */
final class Machine {

    private Machine() {}

    static String describe() {
        String engine;
        try {
            Engine e = Engine.getEngine("PyTorch");
            engine = "PyTorch " + e.getVersion() + " via DJL " + Engine.getDjlVersion();
        } catch (RuntimeException e) {
            engine = "PyTorch engine not loaded (" + e.getMessage() + ")";
        }
        return Runtime.getRuntime().availableProcessors() + " cores (nproc), " + cpuModel()
                + ", " + memory() + ", Java " + System.getProperty("java.version") + ", "
                + engine + ", CPU only";
    }

    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return "CPU model \"" + line.substring(line.indexOf(':') + 1).trim() + "\"";
                }
            }
        } catch (IOException e) {
            // not Linux: fall through
        }
        return "CPU model unknown (" + System.getProperty("os.arch") + ")";
    }

    static String memory() {
        Path meminfo = Paths.get("/proc/meminfo");
        try {
            for (String line : Files.readAllLines(meminfo)) {
                if (line.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return (kb >> 20) + " GiB RAM";
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through
        }
        return "RAM unknown";
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Paths.get("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " / " + parts[1] + " / " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
