package io.djlgather.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MainTest {

    @Test
    void splitsOneArgumentFromExecAtSpacesHonouringQuotes() {
        assertArrayEquals(new String[] {"ner", "--epochs", "3"}, Main.splitArgs(new String[] {"ner --epochs 3"}));
        assertArrayEquals(new String[] {"ner", "--train", "my data/a.txt", ""},
                Main.splitArgs(new String[] {"ner --train 'my data/a.txt' \"\""}));
        assertArrayEquals(new String[] {"all"}, Main.splitArgs(new String[] {"all"}));
        assertArrayEquals(new String[] {"a b", "c"}, Main.splitArgs(new String[] {"a b", "c"}));
    }

    @Test
    void helpDocumentsEveryOptionOfEverySubcommand() {
        CommandLine cli = new CommandLine(new Main());
        for (String name : new String[] {"ner", "keypoints", "serve-demo", "all"}) {
            CommandLine sub = cli.getSubcommands().get(name);
            String usage = sub.getUsageMessage();
            for (CommandLine.Model.OptionSpec option : sub.getCommandSpec().options()) {
                assertTrue(usage.contains(option.longestName()), name + " usage lacks " + option.longestName());
                assertTrue(option.description().length > 0 && !option.description()[0].isBlank(),
                        name + " " + option.longestName() + " has no description");
            }
        }
    }

    @Test
    void helpOfEveryCommandRendersWithoutPicocliWarnings() {
        // picocli formats descriptions with String.format and reports a bare '%' on System.err.
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        StringBuilder usages = new StringBuilder();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            CommandLine cli = new CommandLine(new Main());
            usages.append(cli.getUsageMessage());
            for (CommandLine sub : cli.getSubcommands().values()) {
                usages.append(sub.getUsageMessage());
            }
        } finally {
            System.setErr(err);
        }
        assertEquals("", captured.toString(StandardCharsets.UTF_8));
        String text = usages.toString().replaceAll("\\s+", " ");
        assertTrue(text.contains("the last 10% of --train"), text);
    }

    @Test
    void badUsageExitsWith2AndFailuresWith1(@TempDir Path dir) throws Exception {
        assertEquals(2, Main.execute("ner", "--epochs", "many"));
        Path bad = dir.resolve("bad.txt");
        Files.writeString(bad, "lonely\n");
        assertEquals(1, Main.execute("ner", "--out", dir.toString(), "--train", bad.toString()));
    }

    @Test
    void defaultOutIsTheModuleBuildFolderFromRootOrModule(@TempDir Path dir) throws Exception {
        Path module = Files.createDirectories(dir.resolve("model-zoo-samples"));
        Files.writeString(module.resolve("pom.xml"), "<project/>");
        assertEquals(module.resolve("build"), SamplesHome.defaultOut(dir));
        assertEquals(module.resolve("build"), SamplesHome.defaultOut(module));
    }
}
