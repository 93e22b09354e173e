package io.djlgather.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Spark's JVM flags for Java 17: the list in {@code spark-java17.flags} (which {@code run.sh}
 * passes to java) is the one this test JVM got from surefire's argLine, and Spark's launcher
 * (which spark-submit uses) adds no flag the list lacks.
 */
class JavaFlagsTest {

    private static List<String> flags() throws Exception {
        return Files.readAllLines(Path.of("spark-java17.flags")).stream()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();
    }

    @Test
    void surefireRunsTheTestsWithTheListedFlags() throws Exception {
        List<String> jvm = ManagementFactory.getRuntimeMXBean().getInputArguments();
        List<String> listed = flags();
        assertTrue(listed.size() >= 15, listed.toString());
        for (String flag : listed) {
            assertTrue(jvm.contains(flag), "missing from this JVM's arguments: " + flag + " (have " + jvm + ")");
        }
    }

    @Test
    void theListIsSparksOwn() throws Exception {
        Class<?> options = Class.forName("org.apache.spark.launcher.JavaModuleOptions");
        String[] sparks = (String[]) options.getMethod("defaultModuleOptionArray").invoke(null);
        assertEquals(List.of(sparks), flags());
    }
}
