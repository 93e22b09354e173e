package io.djlgather.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import io.djlgather.samples.http.LoadTest;
import io.djlgather.samples.keypoints.KeypointModels;
import io.djlgather.samples.ner.NerConfig;
import io.djlgather.samples.ner.NerModels;
import io.djlgather.samples.ner.NerTrainer;
import io.djlgather.samples.ner.SyntheticCorpus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code serve} with small models already in the zoo, driven by {@code load-test}, then stopped. */
class ServeCommandTest {

    @Test
    void serveLoadsTheZoosModelsAnswersALoadTestAndStopsCleanly(@TempDir Path dir) throws Exception {
        String zoo = System.getProperty(SamplesHome.ZOO_PROPERTY);
        try {
            serveAndLoad(dir);
        } finally {
            if (zoo == null) {
                System.clearProperty(SamplesHome.ZOO_PROPERTY);
            } else {
                System.setProperty(SamplesHome.ZOO_PROPERTY, zoo);
            }
        }
    }

    private static void serveAndLoad(Path dir) throws Exception {
        SyntheticCorpus.Splits splits = SyntheticCorpus.generate(40, 10, 9);
        NerTrainer.Result trained = NerTrainer.train(splits.train(), splits.dev(),
                new NerTrainer.Options(1, 16, 0.01f, 0.1f, new NerConfig(8, 4, 8, 0.1f, true, 4, 6, 3), 9),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try (Model model = trained.model()) {
            NerModels.save(model, trained.vocab(), dir.resolve("zoo").resolve(NerModels.NAME));
        }
        try (Model model = KeypointModels.create(40, 9)) {
            KeypointModels.save(model, dir.resolve("zoo").resolve(KeypointModels.NAME));
        }
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs("--out", dir.toString(), "--port", Integer.toString(port), "--threads", "4");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        CountDownLatch stop = new CountDownLatch(1);
        CompletableFuture<Void> serving = CompletableFuture.runAsync(() -> {
            try {
                serve.run(out, stop);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        URI uri = URI.create("http://127.0.0.1:" + port);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        boolean up = false;
        for (int i = 0; i < 300 && !up && !serving.isDone(); i++) {
            try {
                up = LoadTest.send(client, uri, "GET", "/health", null, new byte[0]).statusCode() == 200;
            } catch (java.io.IOException e) {
                Thread.sleep(100);
            }
        }
        assertTrue(up, "serve did not come up: " + printed.toString(StandardCharsets.UTF_8));

        LoadTestCommand load = new LoadTestCommand();
        new CommandLine(load).parseArgs("--url", uri.toString(), "--clients", "2", "--seconds", "1.5", "--invalid", "0.3");
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        LoadTest.Result r = load.run(new PrintStream(report, true, StandardCharsets.UTF_8));
        String text = report.toString(StandardCharsets.UTF_8);
        assertEquals(0, r.unexpected(), text);
        assertEquals(0, r.badAnswers(), text);
        assertTrue(text.contains("req/s; latency p50"), text);

        HttpResponse<String> metrics = LoadTest.send(client, uri, "GET", "/metrics", null, new byte[0]);
        assertTrue(metrics.body().contains("\"modelManagerArrays\""), metrics.body());
        stop.countDown();
        serving.get(30, TimeUnit.SECONDS);
        String log = printed.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("on http://127.0.0.1:" + port), log);
        assertTrue(log.contains("== serve: stopped"), log);
    }

    @Test
    void helpDocumentsEveryOptionOfServeAndLoadTest() {
        CommandLine cli = new CommandLine(new Main());
        for (String name : new String[] {"serve", "load-test"}) {
            CommandLine sub = cli.getSubcommands().get(name);
            String usage = sub.getUsageMessage();
            for (CommandLine.Model.OptionSpec option : sub.getCommandSpec().options()) {
                assertTrue(usage.contains(option.longestName()), name + " usage lacks " + option.longestName());
                assertTrue(option.description().length > 0 && !option.description()[0].isBlank(),
                        name + " " + option.longestName() + " has no description");
            }
        }
        assertEquals(2, Main.execute("load-test", "--url", "http://127.0.0.1:1", "--clients", "many"));
        assertEquals(1, Main.execute("load-test", "--url", "http://example.com:8080", "--seconds", "1"));
    }
}
