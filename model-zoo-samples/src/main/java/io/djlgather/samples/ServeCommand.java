package io.djlgather.samples;

import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import io.djlgather.samples.http.InferenceServer;
import io.djlgather.samples.http.ModelBackend;
import io.djlgather.samples.keypoints.KeypointFeatures;
import io.djlgather.samples.keypoints.KeypointModels;
import io.djlgather.samples.keypoints.KeypointQuery;
import io.djlgather.samples.ner.NerModels;
import io.djlgather.samples.ner.TaggedSentence;
import io.djlgather.samples.serve.ProcessMemory;
import io.djlgather.samples.zoo.SamplesModelZoo;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code serve}: the tagger and the keypoint model behind HTTP on 127.0.0.1. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Serves the NER tagger and the keypoint feature model over HTTP on 127.0.0.1 (the JDK's built-in server): "
                    + "POST /ner ({\"text\": \"...\"} or {\"tokens\": [...]} -> tokens, tags, confidence, score, entities "
                    + "with token spans, character offsets and scores), POST /keypoints (PNG or JPEG bytes; "
                    + "?points=x,y;x,y in pixels, or ?count=N corners to detect -> keypoints with bilinear and "
                    + "nearest-cell features), GET /health, GET /metrics (requests, responses by status, errors by "
                    + "kind, p50/p99 latency, batches, the model managers' array counts, RSS).",
            "Models: loaded once from the samples' model zoo (--out DIR/zoo). A missing one is built first, as serve-demo "
                    + "does: the tagger by the 'ner' sample with 600 generated sentences and 4 epochs (about 6 s here), "
                    + "the keypoint backbone by the 'keypoints' sample (200 training steps, about 25 s here). Requests are "
                    + "micro-batched as in serve-demo.",
            "Bad requests get a 4xx with {\"error\", \"message\", \"status\"}; an engine failure a 500 with an id that "
                    + "is logged. Ctrl-C (or --seconds) drains: requests in flight finish, new ones get 503."
        })
public final class ServeCommand implements Callable<Integer> {

    @Mixin SampleOptions common = new SampleOptions();

    @Option(names = "--port", defaultValue = "0", description = "Port on 127.0.0.1; 0 picks a free one, printed at start (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--seconds", defaultValue = "0", description = "Stop after this many seconds; 0 serves until Ctrl-C (default: ${DEFAULT-VALUE}).")
    long seconds;

    @Option(names = "--max-batch", defaultValue = "16", description = "Most sentences per NER batch (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--max-delay-us", defaultValue = "2000", description = "How long a NER batch waits to fill after its first sentence, in microseconds (default: ${DEFAULT-VALUE}).")
    long maxDelayMicros;

    @Option(names = "--threads", defaultValue = "16", description = "HTTP handler threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--max-tokens", defaultValue = "256", description = "Most tokens of a /ner sentence; more get 413 (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--max-image-side", defaultValue = "1024", description = "Largest /keypoints image width or height; larger get 413 (default: ${DEFAULT-VALUE}).")
    int maxImageSide;

    @Override
    public Integer call() throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                done.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            run(System.out, stop);
        } finally {
            done.countDown();
        }
        return 0;
    }

    /**
     * Loads the models (building missing ones), serves until {@code stop} opens or --seconds pass,
     * then drains and closes.
     *
     * @param out where to print
     * @param stop opened to stop the server
     * @throws Exception if a model cannot be built or loaded, or the port cannot be bound
     */
    void run(PrintStream out, CountDownLatch stop) throws Exception {
        Path outDir = common.out();
        if (!NerModels.exists(outDir.resolve("zoo").resolve(NerModels.NAME))) {
            out.println("== serve: no tagger in the zoo yet; training a small one first");
            new NerCommand().configure(outDir, common.seed(), 600, 100, 4).run(out);
        }
        if (!KeypointModels.exists(outDir.resolve("zoo").resolve(KeypointModels.NAME))) {
            out.println("== serve: no keypoint backbone in the zoo yet; running the keypoints sample first");
            new KeypointsCommand().configure(outDir, common.seed(), 192, 48).run(out);
        }
        InferenceServer.Limits d = InferenceServer.Limits.defaults();
        InferenceServer.Limits limits = new InferenceServer.Limits(d.maxJsonBytes(), d.maxImageBytes(), maxTokens, maxImageSide,
                d.maxKeypoints(), d.timeoutMillis(), threads, d.maxQueued(), d.drainMillis());
        try (ZooModel<String, TaggedSentence> ner = Criteria.builder()
                        .setTypes(String.class, TaggedSentence.class)
                        .optGroupId(SamplesModelZoo.GROUP_ID)
                        .optArtifactId(NerModels.NAME)
                        .build()
                        .loadModel();
                ZooModel<KeypointQuery, KeypointFeatures> keypoints = Criteria.builder()
                        .setTypes(KeypointQuery.class, KeypointFeatures.class)
                        .optGroupId(SamplesModelZoo.GROUP_ID)
                        .optArtifactId(KeypointModels.NAME)
                        .build()
                        .loadModel();
                ModelBackend backend = new ModelBackend(ner, keypoints, maxBatch, maxDelayMicros);
                InferenceServer server = InferenceServer.start(backend, port, limits)) {
            out.printf("== serve: %s and %s on %s (model managers: %d arrays; RSS %s)%n", NerModels.NAME, KeypointModels.NAME,
                    server.uri(), backend.arrays(), ProcessMemory.hasRss() ? ProcessMemory.mb(ProcessMemory.rssBytes()) : "n/a");
            out.printf("   curl -s %s/ner -H 'Content-Type: application/json' -d '{\"text\": \"Alma Okafor visited Lagos\"}'%n", server.uri());
            out.printf("   curl -s '%s/keypoints?count=8' -H 'Content-Type: image/png' --data-binary @model-zoo-samples/build/keypoints.png%n",
                    server.uri());
            out.printf("   curl -s %s/metrics ; load-test --url %s --clients 8 --seconds 20%n", server.uri(), server.uri());
            out.flush();
            boolean stopped = seconds > 0 ? stop.await(seconds, TimeUnit.SECONDS) : awaitForever(stop);
            out.printf("== serve: %s; draining %d request(s) in flight%n", stopped ? "stopping" : "time is up", server.inFlight());
            server.close();
            out.printf("== serve: stopped; metrics at the end: %s%n", server.metrics());
        }
    }

    private static boolean awaitForever(CountDownLatch stop) throws InterruptedException {
        stop.await();
        return true;
    }
}
