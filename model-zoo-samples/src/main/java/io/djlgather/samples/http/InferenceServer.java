package io.djlgather.samples.http;

import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.djlgather.samples.keypoints.KeypointFeatures;
import io.djlgather.samples.ner.TaggedSentence;
import io.djlgather.samples.serve.ProcessMemory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The samples' models over HTTP on the loopback interface, with the JDK's built-in server ({@code
 * com.sun.net.httpserver}): no dependency to add, a fixed pool of handler threads with a bounded
 * queue (a request that finds it full gets 503 at once, from a small second pool), HTTP/1.1 with
 * keep-alive, and time limits for slow clients through its {@code sun.net.httpserver.*}
 * properties. Its one-thread-per-request model fits a service whose handlers wait on a
 * micro-batching queue.
 *
 * <pre>
 * POST /ner        {"text": "..."} or {"tokens": [...]}, optional "topK": k in [1, 20]
 *                  -> tokens, tags, confidence, score, entities (and the k best paths as alternatives)
 * POST /keypoints  PNG or JPEG bytes [?points=x,y;x,y | ?count=N] -> keypoints with their features
 * GET  /health     {"status": "ok"} (503 "draining" during shutdown)
 * GET  /metrics    requests, responses by status, errors by kind, latency p50/p99 per route,
 *                  batches, the model managers' array counts, the process's RSS
 * </pre>
 *
 * <p>Every request is checked before it reaches a model: a bad one gets a 4xx with {@code
 * {"error": kind, "message": what was wrong, "status": code}} and costs no other request. A
 * failure inside the engine gets a 500 with an id that the server logs with the cause. {@link
 * #close()} drains: new requests get 503, requests in flight finish (bounded wait), then the
 * listener closes.
 */
public final class InferenceServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InferenceServer.class);

    static {
        // The JDK server reads these once; without them a client that never finishes its request
        // holds a handler thread for ever.
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
            System.setProperty("sun.net.httpserver.maxReqTime", "30");
        }
        if (System.getProperty("sun.net.httpserver.maxRspTime") == null) {
            System.setProperty("sun.net.httpserver.maxRspTime", "60");
        }
        // Without TCP_NODELAY a small response written as headers and then body waits for the
        // client's delayed ACK (Nagle): tens of ms per keep-alive request.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /**
     * The server's limits.
     *
     * @param maxJsonBytes largest {@code /ner} body
     * @param maxImageBytes largest {@code /keypoints} body
     * @param maxTokens most tokens of a sentence
     * @param maxImageSide largest image width or height
     * @param maxKeypoints most keypoints of a request
     * @param timeoutMillis how long a handler waits for the model before answering 503
     * @param threads handler threads
     * @param maxQueued most requests waiting for a handler thread; more get 503 at once
     * @param drainMillis how long {@link #close()} waits for requests in flight
     */
    public record Limits(
            int maxJsonBytes,
            int maxImageBytes,
            int maxTokens,
            int maxImageSide,
            int maxKeypoints,
            long timeoutMillis,
            int threads,
            int maxQueued,
            long drainMillis) {

        /**
         * Checks the limits.
         *
         * @throws IllegalArgumentException if any is below 1
         */
        public Limits {
            if (maxJsonBytes < 1 || maxImageBytes < 1 || maxTokens < 1 || maxImageSide < KeypointRequest.MIN_SIDE
                    || maxKeypoints < 1 || timeoutMillis < 1 || threads < 1 || maxQueued < 1 || drainMillis < 0) {
                throw new IllegalArgumentException("Limits: every limit must be >= 1 (maxImageSide >= "
                        + KeypointRequest.MIN_SIDE + ", drainMillis >= 0); got maxJsonBytes " + maxJsonBytes
                        + ", maxImageBytes " + maxImageBytes + ", maxTokens " + maxTokens + ", maxImageSide "
                        + maxImageSide + ", maxKeypoints " + maxKeypoints + ", timeoutMillis " + timeoutMillis
                        + ", threads " + threads + ", maxQueued " + maxQueued + ", drainMillis " + drainMillis);
            }
        }

        /**
         * Returns the defaults: 64 KiB JSON, 4 MiB images, 256 tokens, 1024 px, 256 points, 30 s,
         * 16 threads, 1,024 queued requests, 10 s drain.
         */
        public static Limits defaults() {
            return new Limits(64 * 1024, 4 * 1024 * 1024, 256, 1024, 256, 30_000, 16, 1024, 10_000);
        }
    }

    private enum Route {
        NER("/ner", "POST"),
        KEYPOINTS("/keypoints", "POST"),
        HEALTH("/health", "GET"),
        METRICS("/metrics", "GET");

        final String path;
        final String method;

        Route(String path, String method) {
            this.path = path;
            this.method = method;
        }

        static Route of(String path) {
            for (Route r : values()) {
                if (r.path.equals(path)) {
                    return r;
                }
            }
            return null;
        }
    }

    private static final String ROUTES = "POST /ner, POST /keypoints, GET /health, GET /metrics";

    private final HttpServer server;
    private final ThreadPoolExecutor executor;
    /** Runs the requests the handler pool has no room for; they get 503 without reaching a model. */
    private final ExecutorService shed;
    private static final ThreadLocal<Boolean> SHEDDING = ThreadLocal.withInitial(() -> false);
    private final Backend backend;
    private final Limits limits;
    private final ServerMetrics metrics = new ServerMetrics();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong failures = new AtomicLong();
    private volatile boolean draining;
    private boolean closed;

    private InferenceServer(Backend backend, int port, Limits limits) throws IOException {
        this.backend = backend;
        this.limits = limits;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
        this.executor = new ThreadPoolExecutor(limits.threads(), limits.threads(), 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(limits.maxQueued()), threads("http-", false));
        this.shed = Executors.newFixedThreadPool(2, threads("http-shed-", true));
        server.setExecutor(task -> {
            try {
                executor.execute(task);
            } catch (RejectedExecutionException e) {
                shed.execute(task);
            }
        });
        server.createContext("/", this::handle);
        server.start();
    }

    private static ThreadFactory threads(String prefix, boolean shedding) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(() -> {
                SHEDDING.set(shedding);
                r.run();
            }, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Starts a server on 127.0.0.1.
     *
     * @param backend the models
     * @param port the port, 0 for a free one
     * @param limits the limits
     * @return the running server
     * @throws IOException if the port cannot be bound
     */
    public static InferenceServer start(Backend backend, int port, Limits limits) throws IOException {
        return new InferenceServer(backend, port, limits);
    }

    /** Returns the port it listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Returns its base URI, {@code http://127.0.0.1:PORT}. */
    public URI uri() {
        return URI.create("http://" + server.getAddress().getAddress().getHostAddress() + ":" + port());
    }

    /** Returns the requests being handled now. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Returns the figures {@code GET /metrics} answers. */
    public JsonObject metrics() {
        JsonObject out = metrics.snapshot();
        out.addProperty("inFlight", inFlight.get());
        out.addProperty("engineFailures", failures.get());
        JsonObject stats = backend.stats();
        for (String key : stats.keySet()) {
            out.add(key, stats.get(key));
        }
        out.addProperty("rssBytes", ProcessMemory.hasRss() ? ProcessMemory.rssBytes() : -1);
        return out;
    }

    private void handle(HttpExchange ex) {
        long t0 = System.nanoTime();
        inFlight.incrementAndGet();
        String routeName = "other";
        int status = 500;
        String kind = null;
        try {
            Route route = Route.of(ex.getRequestURI().getPath());
            if (route != null) {
                routeName = route.name().toLowerCase(Locale.ROOT);
            }
            JsonObject answer;
            byte[] bytes = null;
            try {
                answer = answer(ex, route);
                // serialised here, so that a value JSON cannot hold (NaN from a broken model) is a 500
                bytes = Json.bytes(answer);
                status = 200;
            } catch (HttpError e) {
                status = e.status();
                kind = e.kind();
                answer = error(e.status(), e.kind(), e.getMessage());
                if (status == 405 && route != null) {
                    ex.getResponseHeaders().set("Allow", route.method);
                }
            } catch (RuntimeException | Error e) {
                String id = "E" + failures.incrementAndGet() + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
                LOG.error("request {} {} {} failed inside the server or engine", id, ex.getRequestMethod(), ex.getRequestURI(), e);
                status = 500;
                kind = "internal";
                answer = error(500, kind, "the request failed inside the server; quote id " + id + " when reporting it");
                answer.addProperty("id", id);
            }
            if (status != 200) {
                bytes = Json.bytes(answer);
            }
            if (draining) {
                ex.getResponseHeaders().set("Connection", "close");
            }
            send(ex, status, bytes);
        } catch (IOException e) {
            // the client went away; nothing to answer
            kind = kind == null ? "client_gone" : kind;
        } finally {
            ex.close();
            metrics.record(routeName, status, kind, System.nanoTime() - t0);
            inFlight.decrementAndGet();
        }
    }

    private JsonObject answer(HttpExchange ex, Route route) throws IOException {
        if (draining) {
            throw new HttpError(503, "shutting_down", "the server is shutting down; retry elsewhere");
        }
        if (SHEDDING.get()) {
            ex.getResponseHeaders().set("Retry-After", "1");
            throw new HttpError(503, "overloaded", "the server has " + executor.getQueue().size()
                    + " requests waiting (at most " + limits.maxQueued() + "); retry later");
        }
        if (route == null) {
            throw new HttpError(404, "unknown_path", "no endpoint at " + ex.getRequestURI().getPath() + "; expected one of " + ROUTES);
        }
        if (!route.method.equals(ex.getRequestMethod())) {
            throw new HttpError(405, "wrong_method",
                    route.path + " takes " + route.method + ", got " + ex.getRequestMethod());
        }
        switch (route) {
            case NER -> {
                String type = ex.getRequestHeaders().getFirst("Content-Type");
                if (type != null && !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
                    throw new HttpError(415, "unsupported_media_type", "/ner takes application/json; got " + type);
                }
                NerRequest request = NerRequest.parse(body(ex, limits.maxJsonBytes()), limits.maxTokens());
                TaggedSentence tagged = await(backend.tag(request.sentence()));
                if (request.topK() > 0) {
                    return request.withAlternatives(request.response(tagged), await(backend.tagTopK(request.sentence(), request.topK())));
                }
                return request.response(tagged);
            }
            case KEYPOINTS -> {
                KeypointRequest request = KeypointRequest.parse(
                        body(ex, limits.maxImageBytes()), ex.getRequestURI().getRawQuery(), limits.maxImageSide(), limits.maxKeypoints());
                KeypointFeatures features = await(backend.features(request.query()));
                return request.response(features);
            }
            case HEALTH -> {
                JsonObject o = new JsonObject();
                o.addProperty("status", "ok");
                return o;
            }
            case METRICS -> {
                return metrics();
            }
            default -> throw new IllegalStateException("route " + route);
        }
    }

    /** Reads a body of at most {@code limit} bytes; refuses a larger one before reading it when its length is declared. */
    private static byte[] body(HttpExchange ex, int limit) throws IOException {
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            long n;
            try {
                n = Long.parseLong(length.strip());
            } catch (NumberFormatException e) {
                throw new HttpError(400, "bad_request", "Content-Length is not a number: '" + length + "'");
            }
            if (n > limit) {
                discard(ex, n <= limit + DISCARD_BYTES);
                throw new HttpError(413, "body_too_large", "body has " + n + " bytes; expected at most " + limit);
            }
        }
        InputStream in = ex.getRequestBody();
        byte[] bytes = in.readNBytes(limit + 1);
        if (bytes.length > limit) {
            discard(ex, true);
            throw new HttpError(413, "body_too_large", "body is over " + limit + " bytes; expected at most " + limit);
        }
        return bytes;
    }

    /** Most bytes of a refused body read and dropped so that the connection can stay open. */
    private static final long DISCARD_BYTES = 1 << 20;

    /**
     * Reads and drops up to {@link #DISCARD_BYTES} of a refused body: closing a socket with unread
     * bytes sends a reset that can destroy the 413 before the client reads it. A larger body
     * closes the connection after the answer.
     */
    private static void discard(HttpExchange ex, boolean fits) throws IOException {
        if (fits) {
            InputStream in = ex.getRequestBody();
            byte[] buffer = new byte[8192];
            long dropped = 0;
            int n = 0;
            while (dropped <= DISCARD_BYTES && (n = in.read(buffer)) >= 0) {
                dropped += n;
            }
            if (n < 0) {
                return;
            }
        }
        ex.getResponseHeaders().set("Connection", "close");
    }

    private <T> T await(CompletableFuture<T> result) {
        try {
            return result.get(limits.timeoutMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            result.cancel(false);
            throw new HttpError(503, "timeout", "the model did not answer within " + limits.timeoutMillis() + " ms");
        } catch (ExecutionException e) {
            throw new IllegalStateException("engine failure: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpError(503, "shutting_down", "the server was interrupted");
        }
    }

    private static JsonObject error(int status, String kind, String message) {
        JsonObject o = new JsonObject();
        o.addProperty("error", kind);
        o.addProperty("message", message);
        o.addProperty("status", status);
        return o;
    }

    private static void send(HttpExchange ex, int status, byte[] bytes) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        if ("HEAD".equals(ex.getRequestMethod())) {
            // a HEAD answer has no body (-1: none follows)
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /**
     * Drains and stops: from now on requests get 503; requests in flight finish (waiting at most
     * {@code drainMillis}); then the listener and the handler threads stop. The backend and the
     * models stay open: their owner closes them after this.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        draining = true;
        long deadline = System.nanoTime() + limits.drainMillis() * 1_000_000;
        try {
            while ((inFlight.get() > 0 || !executor.getQueue().isEmpty()) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (inFlight.get() > 0) {
            LOG.warn("closing with {} request(s) still in flight after {} ms", inFlight.get(), limits.drainMillis());
        }
        server.stop(0);
        executor.shutdown();
        shed.shutdown();
        try {
            shed.awaitTermination(5, TimeUnit.SECONDS);
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
    }
}
