package io.djlgather.samples.http;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.djlgather.samples.keypoints.TestImages;
import io.djlgather.samples.ner.Sentence;
import io.djlgather.samples.ner.SyntheticCorpus;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.HdrHistogram.Histogram;

/**
 * Drives a server with N client threads for S seconds, each sending one request after another: a
 * mix of valid {@code /ner} (text and tokens bodies of generated sentences), valid {@code
 * /keypoints} (generated PNG scenes with given points) and the invalid requests of {@link
 * BadRequests} for the default limits. Counts responses by status, answers whose status is not
 * the one expected, and valid answers whose shape is wrong (tags not one per token, features not
 * one per point). Loopback only.
 */
public final class LoadTest {

    /** Most client threads. */
    public static final int MAX_CLIENTS = 64;
    /** Longest run in seconds. */
    public static final double MAX_SECONDS = 600;

    private LoadTest() {}

    /**
     * What to run.
     *
     * @param base the server, e.g. {@code http://127.0.0.1:8080}; loopback only
     * @param clients client threads, 1 to {@value #MAX_CLIENTS}
     * @param seconds how long, (0, {@value #MAX_SECONDS}]
     * @param invalidFraction share of invalid requests, [0, 1]
     * @param keypointFraction share of valid requests that go to /keypoints, [0, 1]
     * @param seed seed of the sentences, images and mix
     */
    public record Options(URI base, int clients, double seconds, double invalidFraction, double keypointFraction, long seed) {

        /**
         * Checks the options.
         *
         * @throws IllegalArgumentException if one is out of range or the host is not loopback
         */
        public Options {
            checkLoopback(base);
            if (clients < 1 || clients > MAX_CLIENTS || !(seconds > 0 && seconds <= MAX_SECONDS)
                    || !(invalidFraction >= 0 && invalidFraction <= 1) || !(keypointFraction >= 0 && keypointFraction <= 1)) {
                throw new IllegalArgumentException("load-test: expected clients in [1, " + MAX_CLIENTS + "], seconds in (0, "
                        + (int) MAX_SECONDS + "], fractions in [0, 1]; got " + clients + ", " + seconds + ", "
                        + invalidFraction + ", " + keypointFraction);
            }
        }
    }

    /**
     * The figures of a run.
     *
     * @param requests requests answered or failed
     * @param seconds wall time
     * @param throughput requests per second
     * @param p50 median latency in ms, all requests
     * @param p99 99th percentile latency in ms, all requests
     * @param validP50 median latency of valid requests in ms
     * @param validP99 99th percentile latency of valid requests in ms
     * @param byStatus responses per status; transport failures under their exception's name
     * @param valid valid requests sent
     * @param unexpected responses whose status differs from the expected one (200 for valid requests)
     * @param badAnswers valid requests answered 200 with a wrongly shaped body
     */
    public record Result(long requests, double seconds, double throughput, double p50, double p99, double validP50,
            double validP99, Map<String, Long> byStatus, long valid, long unexpected, long badAnswers) {}

    /**
     * Refuses a URI whose host is not a loopback address literal or {@code localhost}.
     *
     * @param uri the server
     * @throws IllegalArgumentException if it is not http on loopback
     */
    public static void checkLoopback(URI uri) {
        String host = uri.getHost();
        boolean loopback = host != null
                && (host.equals("localhost") || host.matches("127(\\.\\d{1,3}){3}") || host.equals("[::1]") || host.equals("::1"));
        if (!"http".equals(uri.getScheme()) || !loopback) {
            throw new IllegalArgumentException("load-test: --url must be http on loopback (127.0.0.1, localhost, [::1]); got " + uri);
        }
    }

    /** One request to send and the status it must get (200 for a valid one), with what a valid answer holds. */
    private record Call(String method, String path, String contentType, byte[] body, int status, int items, boolean keypoints) {}

    /**
     * Runs the load.
     *
     * @param options what to run
     * @param out where to print progress (one line per 10 s)
     * @return the figures
     * @throws Exception if a client thread fails outside a request
     */
    public static Result run(Options options, PrintStream out) throws Exception {
        List<Call> nerCalls = new ArrayList<>();
        for (Sentence s : SyntheticCorpus.generate(1, 200, options.seed()).dev()) {
            JsonObject text = new JsonObject();
            text.addProperty("text", String.join(" ", s.tokens()));
            nerCalls.add(new Call("POST", "/ner", "application/json", Json.GSON.toJson(text).getBytes(StandardCharsets.UTF_8),
                    200, s.size(), false));
            JsonObject tokens = new JsonObject();
            tokens.add("tokens", Json.GSON.toJsonTree(s.tokens()));
            nerCalls.add(new Call("POST", "/ner", "application/json", Json.GSON.toJson(tokens).getBytes(StandardCharsets.UTF_8),
                    200, s.size(), false));
        }
        List<Call> imageCalls = new ArrayList<>();
        Random images = new Random(options.seed());
        for (int i = 0; i < 16; i++) {
            int w = 32 + 8 * images.nextInt(5);
            int h = 32 + 8 * images.nextInt(5);
            byte[] png = BadRequests.encode(TestImages.scene(w, h, options.seed() + i), "png");
            String points = "?points=" + (w / 4) + "," + (h / 4) + ";" + (w / 2) + ".5," + (h / 3) + ";" + (w - 1) + "," + (h - 1);
            imageCalls.add(new Call("POST", "/keypoints" + points, "image/png", png, 200, 3, true));
        }
        List<Call> badCalls = new ArrayList<>();
        for (BadRequests.Case c : BadRequests.cases(InferenceServer.Limits.defaults())) {
            if (c.body().length <= 256 * 1024) {
                badCalls.add(new Call(c.method(), c.path(), c.contentType(), c.body(), c.status(), 0, false));
            }
        }
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        long start = System.nanoTime();
        long deadline = start + (long) (options.seconds() * 1e9);
        ExecutorService pool = Executors.newFixedThreadPool(options.clients());
        List<Future<Tally>> tallies = new ArrayList<>();
        for (int c = 0; c < options.clients(); c++) {
            Random random = new Random(options.seed() * 31 + c);
            tallies.add(pool.submit(() -> {
                Tally t = new Tally();
                while (System.nanoTime() < deadline) {
                    Call call;
                    if (random.nextDouble() < options.invalidFraction()) {
                        call = badCalls.get(random.nextInt(badCalls.size()));
                    } else if (random.nextDouble() < options.keypointFraction()) {
                        call = imageCalls.get(random.nextInt(imageCalls.size()));
                    } else {
                        call = nerCalls.get(random.nextInt(nerCalls.size()));
                    }
                    t.send(client, options.base(), call);
                }
                return t;
            }));
        }
        Tally all = new Tally();
        long lastPrint = start;
        try {
            for (Future<Tally> f : tallies) {
                while (!f.isDone()) {
                    Thread.sleep(100);
                    if (System.nanoTime() - lastPrint > 10_000_000_000L) {
                        lastPrint = System.nanoTime();
                        out.printf("   ... %.0f s%n", (lastPrint - start) / 1e9);
                    }
                }
                all.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long n = all.latency.getTotalCount();
        return new Result(n, seconds, n / seconds, ms(all.latency, 50), ms(all.latency, 99), ms(all.validLatency, 50),
                ms(all.validLatency, 99), all.byStatus, all.validLatency.getTotalCount(), all.unexpected, all.badAnswers);
    }

    private static double ms(Histogram h, double p) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(p) / 1000.0;
    }

    /**
     * Sends one request.
     *
     * @param client the client
     * @param base the server
     * @param method the method
     * @param path path and query
     * @param contentType the Content-Type, or null
     * @param body the body, empty for none
     * @return the response
     * @throws IOException if the exchange fails
     * @throws InterruptedException if interrupted
     */
    public static HttpResponse<String> send(HttpClient client, URI base, String method, String path, String contentType, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        b.method(method, body.length == 0 && !method.equals("POST")
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** One client's counts. */
    private static final class Tally {
        final Histogram latency = new Histogram(600_000_000L, 3);
        final Histogram validLatency = new Histogram(600_000_000L, 3);
        final Map<String, Long> byStatus = new TreeMap<>();
        long unexpected;
        long badAnswers;

        void send(HttpClient client, URI base, Call call) throws InterruptedException {
            long t0 = System.nanoTime();
            String status;
            try {
                HttpResponse<String> r = LoadTest.send(client, base, call.method(), call.path(), call.contentType(), call.body());
                status = Integer.toString(r.statusCode());
                if (r.statusCode() != call.status()) {
                    unexpected++;
                } else if (call.status() == 200 && !wellShaped(r.body(), call)) {
                    badAnswers++;
                }
            } catch (IOException e) {
                status = e.getClass().getSimpleName();
                unexpected++;
            }
            long micros = (System.nanoTime() - t0) / 1000;
            latency.recordValue(Math.min(micros, 600_000_000L));
            if (call.status() == 200) {
                validLatency.recordValue(Math.min(micros, 600_000_000L));
            }
            byStatus.merge(status, 1L, Long::sum);
        }

        private static boolean wellShaped(String body, Call call) {
            try {
                JsonElement e = JsonParser.parseString(body);
                JsonObject o = e.getAsJsonObject();
                if (call.keypoints()) {
                    var k = o.getAsJsonArray("keypoints");
                    return k.size() == call.items() && k.get(0).getAsJsonObject().getAsJsonArray("bilinear").size() == o.get("channels").getAsInt();
                }
                return o.getAsJsonArray("tags").size() == call.items() && o.getAsJsonArray("confidence").size() == call.items();
            } catch (RuntimeException e) {
                return false;
            }
        }

        void add(Tally t) {
            latency.add(t.latency);
            validLatency.add(t.validLatency);
            t.byStatus.forEach((k, v) -> byStatus.merge(k, v, Long::sum));
            unexpected += t.unexpected;
            badAnswers += t.badAnswers;
        }
    }
}
