package io.djlgather.spark;

import ai.djl.Model;
import io.djlgather.samples.keypoints.KeypointModels;
import io.djlgather.samples.ner.NerConfig;
import io.djlgather.samples.ner.NerModels;
import io.djlgather.samples.ner.NerTrainer;
import io.djlgather.samples.ner.SyntheticCorpus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;

/**
 * What the tests share in one JVM: a local[2] session, and small models saved with the samples'
 * own code (a tagger trained one epoch on 60 generated sentences; an untrained backbone).
 */
final class Fixtures {

    private static SparkSession spark;
    private static Path models;

    private Fixtures() {}

    /** Returns the JVM's test session (local[2], no UI, loopback). */
    static synchronized SparkSession spark() {
        if (spark == null) {
            spark = SparkSession.builder().appName("djl-gather-spark tests").master("local[2]")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", "4")
                    .getOrCreate();
        }
        return spark;
    }

    /** Returns the folder holding {@code ner/} and {@code keypoints/}, saved once per JVM. */
    static synchronized Path models() throws Exception {
        if (models == null) {
            Path dir = Files.createTempDirectory("djl-gather-spark-models");
            SyntheticCorpus.Splits splits = SyntheticCorpus.generate(60, 60, 5);
            NerTrainer.Options options = new NerTrainer.Options(1, 16, 0.01f, 0.1f, new NerConfig(8, 4, 8, 0.1f, true), 5);
            NerTrainer.Result trained = NerTrainer.train(splits.train(), splits.dev(), options,
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            try (Model model = trained.model()) {
                NerModels.save(model, trained.vocab(), dir.resolve("ner"));
            }
            try (Model model = KeypointModels.create(40, 3)) {
                KeypointModels.save(model, dir.resolve("keypoints"));
            }
            models = dir;
        }
        return models;
    }

    /** Parses a command line into a command, as Main would; a later option replaces an earlier one. */
    static <T> T parse(T command, String... args) {
        new CommandLine(command).setOverwrittenOptionsAllowed(true).parseArgs(args);
        return command;
    }

    /** Counts jobs and tasks started while it is registered. */
    static final class Starts extends SparkListener {
        final AtomicInteger jobs = new AtomicInteger();
        final AtomicInteger tasks = new AtomicInteger();

        @Override
        public void onJobStart(SparkListenerJobStart start) {
            jobs.incrementAndGet();
        }

        @Override
        public void onTaskStart(SparkListenerTaskStart start) {
            tasks.incrementAndGet();
        }
    }

    /** Waits until Spark's listeners have heard every event posted so far. */
    static void drainListeners(SparkSession spark) throws Exception {
        spark.sparkContext().listenerBus().waitUntilEmpty();
    }
}
