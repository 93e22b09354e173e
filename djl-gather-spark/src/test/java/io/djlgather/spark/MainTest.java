package io.djlgather.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: exit codes and messages of the driver's checks, before Spark starts. */
class MainTest {

    private static int run(ByteArrayOutputStream err, String... args) {
        PrintStream saved = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return Main.execute(args);
        } finally {
            System.setErr(saved);
        }
    }

    @Test
    void aMissingModelExitsWithOneAndSaysWhichFolder(@TempDir Path tmp) throws Exception {
        Path input = Files.writeString(tmp.resolve("in.txt"), "Alma Okafor visited Lisbon\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = run(err, "tag", "--input", input.toString(), "--model", tmp.resolve("none").toString(),
                "--output", tmp.resolve("out").toString());
        assertEquals(1, code);
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("error: tag: --model: no ner-bilstm-crf model in " + tmp.resolve("none")), text);
        assertTrue(Files.notExists(tmp.resolve("out")));
    }

    @Test
    void aMissingInputFolderExitsWithOne(@TempDir Path tmp) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = run(err, "keypoints", "--input", tmp.resolve("no-images").toString(),
                "--model", Fixtures.models().resolve("keypoints").toString(), "--output", tmp.resolve("out").toString());
        assertEquals(1, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains(
                "error: keypoints: --input " + tmp.resolve("no-images") + " is not a folder; expected a folder of images"));
    }

    @Test
    void aMissingRequiredOptionIsAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, run(err, "tag", "--input", "x.txt"));
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("Missing required option") && text.contains("--model") && text.contains("--output"), text);
        assertEquals(2, run(new ByteArrayOutputStream(), "tag", "--input", "x.txt", "--model", "m", "--output", "o",
                "--format", "csv"));
    }
}
