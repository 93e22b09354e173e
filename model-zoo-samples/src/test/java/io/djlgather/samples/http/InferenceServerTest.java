package io.djlgather.samples.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.ZooModel;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.djlgather.samples.keypoints.KeypointFeatures;
import io.djlgather.samples.keypoints.KeypointModels;
import io.djlgather.samples.keypoints.KeypointQuery;
import io.djlgather.samples.keypoints.TestImages;
import io.djlgather.samples.ner.BioSpans;
import io.djlgather.samples.ner.NerConfig;
import io.djlgather.samples.ner.NerModels;
import io.djlgather.samples.ner.NerTrainer;
import io.djlgather.samples.ner.Sentence;
import io.djlgather.samples.ner.SyntheticCorpus;
import io.djlgather.samples.ner.TaggedSentence;
import io.djlgather.samples.serve.ProcessMemory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import io.djlgather.samples.ner.NerTaggerBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The server over real HTTP on 127.0.0.1 with small saved models (a tagger trained one epoch on 60
 * generated sentences, an untrained keypoint backbone): every endpoint against the in-process
 * {@link Predictor}; the table of {@link BadRequests}, each followed by a good request; an engine
 * failure (500 with an id); 8 concurrent clients x 2,000 requests; a graceful drain.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InferenceServerTest {

    /** Smaller limits than the defaults, so that the over-limit cases stay small. */
    static final InferenceServer.Limits LIMITS = new InferenceServer.Limits(8 * 1024, 64 * 1024, 40, 96, 32, 20_000, 16, 256, 5_000);
    static final String EXPLODE = "__explode__";
    static final String STALL = "__stall__";
    static final String NAN = "__nan__";

    Path dir;
    ZooModel<String, TaggedSentence> ner;
    ZooModel<KeypointQuery, KeypointFeatures> keypoints;
    ModelBackend models;
    InferenceServer server;
    HttpClient client;
    List<String> sentences;
    Predictor<String, TaggedSentence> nerReference;
    Predictor<KeypointQuery, KeypointFeatures> keypointReference;

    /** The real models, plus two sentences that make the "engine" fail or stall on purpose. */
    static final class Rigged implements Backend {
        final Backend real;

        Rigged(Backend real) {
            this.real = real;
        }

        @Override
        public CompletableFuture<TaggedSentence> tag(String sentence) {
            if (sentence.contains(EXPLODE)) {
                return CompletableFuture.failedFuture(new IllegalStateException("simulated engine failure"));
            }
            if (sentence.contains(NAN)) {
                return real.tag(sentence).thenApply(t -> {
                    float[] c = t.confidence().clone();
                    c[0] = Float.NaN;
                    return new TaggedSentence(t.tokens(), t.tags(), c, t.score());
                });
            }
            if (sentence.contains(STALL)) {
                return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(400, TimeUnit.MILLISECONDS))
                        .thenCompose(x -> real.tag(sentence));
            }
            return real.tag(sentence);
        }

        @Override
        public CompletableFuture<KeypointFeatures> features(KeypointQuery query) {
            return real.features(query);
        }

        @Override
        public CompletableFuture<List<io.djlgather.samples.ner.NerTagging.ScoredTags>> tagTopK(String sentence, int k) {
            return real.tagTopK(sentence, k);
        }

        @Override
        public JsonObject stats() {
            return real.stats();
        }
    }

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("inference-server-test");
        SyntheticCorpus.Splits splits = SyntheticCorpus.generate(60, 60, 5);
        NerTrainer.Options options = new NerTrainer.Options(1, 16, 0.01f, 0.1f, new NerConfig(8, 4, 8, 0.1f, true, 4, 6, 3), 5);
        NerTrainer.Result trained = NerTrainer.train(splits.train(), splits.dev(), options,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try (ai.djl.Model model = trained.model()) {
            NerModels.save(model, trained.vocab(), dir.resolve("ner"));
        }
        try (ai.djl.Model model = KeypointModels.create(40, 3)) {
            KeypointModels.save(model, dir.resolve("keypoints"));
        }
        ner = NerModels.load(dir.resolve("ner"));
        keypoints = KeypointModels.load(dir.resolve("keypoints"));
        models = new ModelBackend(ner, keypoints, 16, 2000);
        server = InferenceServer.start(new Rigged(models), 0, LIMITS);
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        sentences = new ArrayList<>();
        for (Sentence s : splits.dev()) {
            sentences.add(String.join(" ", s.tokens().subList(0, Math.min(s.size(), LIMITS.maxTokens()))));
        }
        nerReference = ner.newPredictor();
        keypointReference = keypoints.newPredictor();
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (models != null) {
            models.close();
        }
        if (nerReference != null) {
            nerReference.close();
            keypointReference.close();
        }
        if (ner != null) {
            ner.close();
            keypoints.close();
        }
    }

    HttpResponse<String> send(InferenceServer to, String method, String path, String contentType, byte[] body) throws Exception {
        return LoadTest.send(client, to.uri(), method, path, contentType, body);
    }

    HttpResponse<String> postJson(String path, JsonObject body) throws Exception {
        return send(server, "POST", path, "application/json", Json.GSON.toJson(body).getBytes(StandardCharsets.UTF_8));
    }

    static JsonObject json(HttpResponse<String> r) {
        return JsonParser.parseString(r.body()).getAsJsonObject();
    }

    static JsonObject text(String text) {
        JsonObject o = new JsonObject();
        o.addProperty("text", text);
        return o;
    }

    static JsonObject tokens(List<String> tokens) {
        JsonObject o = new JsonObject();
        o.add("tokens", Json.GSON.toJsonTree(tokens));
        return o;
    }

    static List<String> strings(JsonArray a) {
        List<String> out = new ArrayList<>();
        for (JsonElement e : a) {
            out.add(e.getAsString());
        }
        return out;
    }

    static float[] floats(JsonArray a) {
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsFloat();
        }
        return out;
    }

    /** Checks a /ner answer against the in-process tagger's output for the same sentence. */
    static void assertSameTagging(TaggedSentence expected, JsonObject answer, String what) {
        assertEquals(expected.tokens(), strings(answer.getAsJsonArray("tokens")), what);
        assertEquals(expected.tags(), strings(answer.getAsJsonArray("tags")), what);
        float[] confidence = floats(answer.getAsJsonArray("confidence"));
        assertEquals(expected.confidence().length, confidence.length, what);
        for (int i = 0; i < confidence.length; i++) {
            assertEquals(expected.confidence()[i], confidence[i], 1e-6, what + " confidence " + i);
        }
        assertEquals(expected.score(), answer.get("score").getAsFloat(), 1e-4, what + " score");
        List<BioSpans.Span> spans = BioSpans.spans(expected.tags());
        JsonArray entities = answer.getAsJsonArray("entities");
        assertEquals(spans.size(), entities.size(), what);
        for (int i = 0; i < spans.size(); i++) {
            JsonObject e = entities.get(i).getAsJsonObject();
            assertEquals(spans.get(i).type(), e.get("type").getAsString(), what);
            assertEquals(spans.get(i).start(), e.get("start").getAsInt(), what);
            assertEquals(spans.get(i).end(), e.get("end").getAsInt(), what);
        }
    }

    static double maxAbsDiff(float[][] expected, JsonArray keypoints, String field) {
        double max = 0;
        for (int i = 0; i < expected.length; i++) {
            float[] got = floats(keypoints.get(i).getAsJsonObject().getAsJsonArray(field));
            if (got.length != expected[i].length) {
                return Double.POSITIVE_INFINITY;
            }
            for (int c = 0; c < got.length; c++) {
                max = Math.max(max, Math.abs(got[c] - expected[i][c]));
            }
        }
        return max;
    }

    /** A good keypoint request: PNG bytes and a query, with its in-process answer. */
    record ImageCase(byte[] png, String query, KeypointFeatures expected, int points) {}

    ImageCase imageCase(int w, int h, long seed, String query) throws Exception {
        byte[] png = BadRequests.encode(TestImages.scene(w, h, seed), "png");
        KeypointRequest request = KeypointRequest.parse(png, query.isEmpty() ? null : query.substring(1), LIMITS.maxImageSide(),
                LIMITS.maxKeypoints());
        return new ImageCase(png, query, keypointReference.predict(request.query()), request.points().length);
    }

    void assertSameFeatures(ImageCase c, HttpResponse<String> r) {
        assertEquals(200, r.statusCode(), r.body());
        JsonObject o = json(r);
        JsonArray k = o.getAsJsonArray("keypoints");
        assertEquals(c.points(), k.size());
        assertEquals(c.expected().mapHeight(), o.get("mapHeight").getAsInt());
        assertEquals(c.expected().channels(), o.get("channels").getAsInt());
        assertTrue(maxAbsDiff(c.expected().bilinear(), k, "bilinear") <= 1e-6, "bilinear features differ");
        assertTrue(maxAbsDiff(c.expected().nearest(), k, "nearest") <= 1e-6, "nearest features differ");
    }

    @Test
    void everyEndpointAnswersAsTheInProcessPredictor() throws Exception {
        for (int i = 0; i < 20; i++) {
            String sentence = sentences.get(i);
            TaggedSentence expected = nerReference.predict(sentence);
            HttpResponse<String> r = postJson("/ner", text(sentence));
            assertEquals(200, r.statusCode(), r.body());
            assertSameTagging(expected, json(r), "text " + sentence);
            r = postJson("/ner", tokens(List.of(sentence.split(" "))));
            assertEquals(200, r.statusCode(), r.body());
            assertSameTagging(expected, json(r), "tokens " + sentence);
        }
        // character offsets of entities in a text with irregular spacing
        String spaced = "  " + sentences.get(0).replace(" ", " \t ") + "\n";
        JsonObject answer = json(postJson("/ner", text(spaced)));
        for (JsonElement e : answer.getAsJsonArray("entities")) {
            JsonObject entity = e.getAsJsonObject();
            String slice = spaced.substring(entity.get("charStart").getAsInt(), entity.get("charEnd").getAsInt());
            assertEquals(entity.get("text").getAsString(), slice.replaceAll("\\s+", " "));
        }

        ImageCase given = imageCase(48, 40, 11, "?points=0,0;10.5,7.25;47,39;23,20");
        assertSameFeatures(given, send(server, "POST", "/keypoints" + given.query(), "image/png", given.png()));
        ImageCase detected = imageCase(64, 64, 12, "?count=6");
        assertSameFeatures(detected, send(server, "POST", "/keypoints" + detected.query(), "image/png", detected.png()));
        ImageCase defaults = imageCase(40, 56, 13, "");
        assertSameFeatures(defaults, send(server, "POST", "/keypoints", null, defaults.png()));
        HttpResponse<String> jpeg = send(server, "POST", "/keypoints?count=4", "image/jpeg",
                BadRequests.encode(TestImages.scene(48, 48, 14), "jpeg"));
        assertEquals(200, jpeg.statusCode(), jpeg.body());

        HttpResponse<String> health = send(server, "GET", "/health", null, new byte[0]);
        assertEquals(200, health.statusCode());
        assertEquals("ok", json(health).get("status").getAsString());
        JsonObject metrics = json(send(server, "GET", "/metrics", null, new byte[0]));
        assertTrue(metrics.getAsJsonObject("requests").get("ner").getAsLong() >= 41, metrics.toString());
        assertTrue(metrics.getAsJsonObject("responses").get("200").getAsLong() >= 45, metrics.toString());
        assertTrue(metrics.getAsJsonObject("latencyMs").getAsJsonObject("ner").get("p99").getAsDouble() > 0, metrics.toString());
        assertTrue(metrics.getAsJsonObject("batches").getAsJsonObject("ner").get("count").getAsLong() > 0, metrics.toString());
        assertTrue(metrics.getAsJsonObject("modelManagerArrays").get(NerModels.NAME).getAsInt() > 0, metrics.toString());
        assertTrue(metrics.get("rssBytes").getAsLong() != 0, metrics.toString());
    }

    @Test
    void everyBadRequestGetsItsStatusAndMessageAndCostsNoOtherRequest() throws Exception {
        String good = sentences.get(1);
        TaggedSentence expected = nerReference.predict(good);
        List<BadRequests.Case> cases = BadRequests.cases(LIMITS);
        for (BadRequests.Case c : cases) {
            HttpResponse<String> r = send(server, c.method(), c.path(), c.contentType(), c.body());
            assertEquals(c.status(), r.statusCode(), c.name() + ": " + r.body());
            JsonObject error = json(r);
            assertTrue(error.get("message").getAsString().contains(c.message()),
                    c.name() + ": message '" + error.get("message").getAsString() + "' lacks '" + c.message() + "'");
            assertEquals(c.status(), error.get("status").getAsInt(), c.name());
            assertFalse(error.get("error").getAsString().isBlank(), c.name());
            if (c.status() == 405) {
                assertTrue(r.headers().firstValue("Allow").isPresent(), c.name() + ": no Allow header");
            }
            HttpResponse<String> after = postJson("/ner", text(good));
            assertEquals(200, after.statusCode(), "good request after " + c.name() + ": " + after.body());
            assertSameTagging(expected, json(after), "good request after " + c.name());
        }
        // HEAD: the status without a body
        HttpResponse<String> head = send(server, "HEAD", "/health", null, new byte[0]);
        assertEquals(405, head.statusCode());
        assertEquals("GET", head.headers().firstValue("Allow").orElse(""));
        assertEquals(200, postJson("/ner", text(good)).statusCode());
        // a failure inside the engine: 500 with an id, and the server keeps serving
        HttpResponse<String> failed = postJson("/ner", text("Alma " + EXPLODE));
        assertEquals(500, failed.statusCode(), failed.body());
        JsonObject error = json(failed);
        String id = error.get("id").getAsString();
        assertTrue(error.get("message").getAsString().contains(id), failed.body());
        HttpResponse<String> after = postJson("/ner", text(good));
        assertEquals(200, after.statusCode(), after.body());
        // an answer JSON cannot hold (a NaN confidence from a broken model): 500 with an id, not a cut connection
        HttpResponse<String> nan = postJson("/ner", text(NAN + " Alma"));
        assertEquals(500, nan.statusCode(), nan.body());
        assertTrue(json(nan).has("id"), nan.body());
        assertEquals(200, postJson("/ner", text(good)).statusCode());
        JsonObject errors = json(send(server, "GET", "/metrics", null, new byte[0])).getAsJsonObject("errors");
        assertTrue(errors.get("internal").getAsLong() >= 2, errors.toString());
        assertTrue(errors.get("malformed_json").getAsLong() >= 3, errors.toString());
        System.out.printf("http: %d bad requests, each answered with its status and message and followed by a good one%n", cases.size());
    }

    @Test
    void aFailedBatchCostsOnlyTheInputThatBrokeIt() throws Exception {
        // a blank sentence fails inside the translator; run with good ones in one batch, only it fails
        List<CompletableFuture<TaggedSentence>> results = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            results.add(models.tag(i == 3 ? " " : sentences.get(i)));
        }
        for (int i = 0; i < 6; i++) {
            if (i == 3) {
                assertTrue(results.get(i).handle((v, e) -> e != null).get(), "the blank sentence must fail");
            } else {
                assertEquals(nerReference.predict(sentences.get(i)).tags(), results.get(i).get().tags());
            }
        }
    }

    @Test
    void eightClientsTimesTwoThousandRequests() throws Exception {
        int clients = 8;
        int requests = 2_000;
        List<BadRequests.Case> bad = BadRequests.cases(LIMITS);
        List<TaggedSentence> expected = new ArrayList<>();
        for (String s : sentences) {
            expected.add(nerReference.predict(s));
        }
        List<ImageCase> images = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            images.add(imageCase(24 + 8 * i, 32, 40 + i, "?points=3,4;" + (10 + i) + ".5,20;12,31"));
        }
        // warm-up: both routes and a few batch sizes, so that lazily made arrays exist before counting
        for (int i = 0; i < 40; i++) {
            postJson("/ner", text(sentences.get(i % sentences.size())));
        }
        send(server, "POST", "/keypoints" + images.get(0).query(), "image/png", images.get(0).png());
        int arraysAtStart = models.arrays();
        AtomicInteger wrong = new AtomicInteger();
        AtomicInteger serverErrors = new AtomicInteger();
        AtomicInteger unexpected = new AtomicInteger();
        AtomicInteger valid = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long t0 = System.nanoTime();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                done.add(pool.submit(() -> {
                    for (int r = 0; r < requests; r++) {
                        int k = client * requests + r;
                        if (k % 10 == 7) {
                            BadRequests.Case b = bad.get(k / 10 % bad.size());
                            HttpResponse<String> resp = send(server, b.method(), b.path(), b.contentType(), b.body());
                            if (resp.statusCode() != b.status()) {
                                unexpected.incrementAndGet();
                            }
                            continue;
                        }
                        valid.incrementAndGet();
                        if (k % 25 == 3) {
                            ImageCase img = images.get(k % images.size());
                            HttpResponse<String> resp = send(server, "POST", "/keypoints" + img.query(), "image/png", img.png());
                            if (resp.statusCode() >= 500) {
                                serverErrors.incrementAndGet();
                            }
                            JsonArray kp = resp.statusCode() == 200 ? json(resp).getAsJsonArray("keypoints") : null;
                            if (kp == null || maxAbsDiff(img.expected().bilinear(), kp, "bilinear") > 1e-6
                                    || maxAbsDiff(img.expected().nearest(), kp, "nearest") > 1e-6) {
                                wrong.incrementAndGet();
                            }
                            continue;
                        }
                        int i = k % sentences.size();
                        String s = sentences.get(i);
                        HttpResponse<String> resp = postJson("/ner", k % 2 == 0 ? text(s) : tokens(List.of(s.split(" "))));
                        if (resp.statusCode() >= 500) {
                            serverErrors.incrementAndGet();
                        }
                        if (resp.statusCode() != 200
                                || !expected.get(i).tags().equals(strings(json(resp).getAsJsonArray("tags")))) {
                            wrong.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        int arraysAtEnd = models.arrays();
        JsonObject metrics = server.metrics();
        System.out.printf("http: %d clients x %d requests (%d valid) in %.1f s (%.0f req/s): %d wrong answers, %d 5xx on valid input,"
                        + " %d unexpected statuses on invalid input; model managers' arrays %d at start, %d at end; NER batches %s%n",
                clients, requests, valid.get(), seconds, clients * requests / seconds, wrong.get(), serverErrors.get(), unexpected.get(),
                arraysAtStart, arraysAtEnd, metrics.getAsJsonObject("batches").get("ner"));
        assertEquals(0, wrong.get(), "wrong answers");
        assertEquals(0, serverErrors.get(), "5xx on valid input");
        assertEquals(0, unexpected.get(), "invalid requests answered with another status than expected");
        assertEquals(arraysAtStart, arraysAtEnd, "model managers' arrays at start and end");
    }

    @Test
    void closeDrainsRequestsInFlightAndRefusesNewOnes() throws Exception {
        InferenceServer second = InferenceServer.start(new Rigged(models), 0, LIMITS);
        URI uri = second.uri();
        String stalled = sentences.get(2) + " " + STALL;
        CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return send(second, "POST", "/ner", "application/json", Json.GSON.toJson(text(stalled)).getBytes(StandardCharsets.UTF_8));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long waitUntil = System.nanoTime() + 5_000_000_000L;
        while (second.inFlight() == 0 && System.nanoTime() < waitUntil) {
            Thread.sleep(5);
        }
        assertEquals(1, second.inFlight(), "the stalled request is in flight");
        second.close();
        HttpResponse<String> r = inFlight.get(10, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(nerReference.predict(stalled).tags(), strings(json(r).getAsJsonArray("tags")));
        assertEquals(0, second.inFlight());
        boolean refused;
        try {
            HttpResponse<String> after = LoadTest.send(client, uri, "GET", "/health", null, new byte[0]);
            refused = after.statusCode() == 503;
        } catch (java.io.IOException e) {
            refused = true;
        }
        assertTrue(refused, "a request after close must be refused");
    }

    @Test
    void aClientThatNeverFinishesItsRequestCostsNoOtherRequest() throws Exception {
        try (java.net.Socket slow = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), server.port())) {
            // headers promise a body that never comes
            slow.getOutputStream().write(("POST /ner HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100\r\n\r\n{\"text\": ").getBytes(StandardCharsets.US_ASCII));
            slow.getOutputStream().flush();
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> r = postJson("/ner", text(sentences.get(i)));
                assertEquals(200, r.statusCode(), r.body());
            }
        }
    }

    @Test
    void loadTestMixesValidAndInvalidRequestsAndGetsTheExpectedStatuses() throws Exception {
        LoadTest.Result r = LoadTest.run(new LoadTest.Options(server.uri(), 2, 1.5, 0.3, 0.2, 7),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertTrue(r.requests() > 20, r.toString());
        assertTrue(r.valid() > 0 && r.valid() < r.requests(), r.toString());
        assertEquals(0, r.unexpected(), r.toString());
        assertEquals(0, r.badAnswers(), r.toString());
        assertTrue(r.byStatus().containsKey("200") && r.byStatus().containsKey("400"), r.toString());
    }

    @Test
    void loadTestRefusesAnythingButLoopback() {
        for (String url : new String[] {"http://example.com:80", "https://127.0.0.1:8080", "http://10.0.0.1:8080", "http://127.0.0.1.example.com"}) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> new LoadTest.Options(URI.create(url), 1, 1, 0, 0, 1));
            assertTrue(e.getMessage().contains("--url must be http on loopback"), e.getMessage());
        }
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new LoadTest.Options(URI.create("http://127.0.0.1:1"), 65, 1, 0, 0, 1));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new LoadTest.Options(URI.create("http://127.0.0.1:1"), 1, 601, 0, 0, 1));
    }

    @Test
    void requestsThatFindTheQueueFullGet503AtOnceAndTheRestAreServed() throws Exception {
        InferenceServer.Limits tight = new InferenceServer.Limits(8 * 1024, 64 * 1024, 40, 96, 32, 20_000, 1, 1, 5_000);
        ExecutorService clients = Executors.newFixedThreadPool(5);
        try (InferenceServer small = InferenceServer.start(new Rigged(models), 0, tight)) {
            byte[] stalled = Json.GSON.toJson(text(sentences.get(3) + " " + STALL)).getBytes(StandardCharsets.UTF_8);
            List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                sent.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return send(small, "POST", "/ner", "application/json", stalled);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, clients));
            }
            int ok = 0;
            int overloaded = 0;
            for (CompletableFuture<HttpResponse<String>> f : sent) {
                HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
                if (r.statusCode() == 200) {
                    ok++;
                } else {
                    assertEquals(503, r.statusCode(), r.body());
                    assertTrue(json(r).get("message").getAsString().contains("requests waiting (at most 1); retry later"), r.body());
                    assertEquals("1", r.headers().firstValue("Retry-After").orElse(""));
                    overloaded++;
                }
            }
            assertTrue(ok >= 2 && overloaded >= 1, ok + " served, " + overloaded + " refused");
            assertEquals(200, send(small, "POST", "/ner", "application/json",
                    Json.GSON.toJson(text(sentences.get(4))).getBytes(StandardCharsets.UTF_8)).statusCode());
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void topKAnswersTheBestPathsFirst() throws Exception {
        String sentence = sentences.get(1);
        JsonObject body = text(sentence);
        body.addProperty("topK", 4);
        HttpResponse<String> r = postJson("/ner", body);
        assertEquals(200, r.statusCode(), r.body());
        JsonObject o = json(r);
        com.google.gson.JsonArray alternatives = o.getAsJsonArray("alternatives");
        assertEquals(4, alternatives.size(), r.body());
        JsonObject first = alternatives.get(0).getAsJsonObject();
        assertEquals(o.get("tags"), first.get("tags"), "the best path is the answer's own tags");
        assertEquals(o.get("score").getAsFloat(), first.get("score").getAsFloat(), 1e-3);
        java.util.Set<String> distinct = new java.util.HashSet<>();
        float previous = Float.POSITIVE_INFINITY;
        for (int i = 0; i < alternatives.size(); i++) {
            JsonObject a = alternatives.get(i).getAsJsonObject();
            assertTrue(a.get("score").getAsFloat() <= previous, r.body());
            previous = a.get("score").getAsFloat();
            assertEquals(o.getAsJsonArray("tokens").size(), a.getAsJsonArray("tags").size());
            distinct.add(a.get("tags").toString());
        }
        assertEquals(4, distinct.size(), "four different paths: " + r.body());
        // the same paths as the tagger decoded directly
        NerTaggerBlock block = (NerTaggerBlock) ner.getBlock();
        List<io.djlgather.samples.ner.NerTagging.ScoredTags> direct = io.djlgather.samples.ner.NerTagging.topK(
                block, ((io.djlgather.samples.ner.NerTranslator) ner.getTranslator()).vocab(),
                List.of(sentence.split(" ")), 4, ner.getNDManager());
        for (int i = 0; i < 4; i++) {
            assertEquals(Json.GSON.toJsonTree(direct.get(i).tags()), alternatives.get(i).getAsJsonObject().get("tags"));
        }
        // no topK: no alternatives
        assertTrue(!json(postJson("/ner", text(sentence))).has("alternatives"));
        String[][] bad = {
            {"0", "bad_top_k", "'topK' must be an integer in [1, 20]; got 0"},
            {"21", "bad_top_k", "'topK' must be an integer in [1, 20]; got 21"},
            {"1.5", "bad_top_k", "'topK' must be an integer in [1, 20]; got 1.5"},
            {"\"3\"", "wrong_type", "'topK' must be an integer in [1, 20]; got string"},
        };
        for (String[] b : bad) {
            byte[] raw = ("{\"text\": \"Anna went home\", \"topK\": " + b[0] + "}").getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> e = send(server, "POST", "/ner", "application/json", raw);
            assertEquals(400, e.statusCode(), b[0] + ": " + e.body());
            assertEquals(b[1], json(e).get("error").getAsString(), e.body());
            assertEquals(b[2], json(e).get("message").getAsString(), e.body());
        }
        // a good request still succeeds after them
        assertEquals(200, postJson("/ner", text(sentence)).statusCode());
    }
}
