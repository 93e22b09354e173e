package io.djlgather.samples.http;

import com.google.gson.JsonObject;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Counters and latency histograms of a running server: requests per route, responses per status,
 * errors per kind, and per route an HdrHistogram of latencies in microseconds (3 significant
 * digits, up to 10 minutes), safe to record into from many threads.
 */
final class ServerMetrics {

    private static final long MAX_MICROS = 600_000_000L;

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Map<String, Histogram> latencies = new ConcurrentHashMap<>();
    private final long started = System.nanoTime();

    /** Records one finished request. */
    void record(String route, int status, String errorKind, long nanos) {
        requests.computeIfAbsent(route, k -> new LongAdder()).increment();
        statuses.computeIfAbsent(status, k -> new LongAdder()).increment();
        if (errorKind != null) {
            errors.computeIfAbsent(errorKind, k -> new LongAdder()).increment();
        }
        latencies.computeIfAbsent(route, k -> new ConcurrentHistogram(MAX_MICROS, 3))
                .recordValue(Math.max(0, Math.min(MAX_MICROS, nanos / 1000)));
    }

    /** Returns the figures as JSON (requests, responses, errors, latencyMs per route, uptime). */
    JsonObject snapshot() {
        JsonObject out = new JsonObject();
        out.addProperty("uptimeSeconds", Math.round((System.nanoTime() - started) / 1e7) / 100.0);
        JsonObject req = new JsonObject();
        long total = 0;
        for (Map.Entry<String, LongAdder> e : new TreeMap<>(requests).entrySet()) {
            req.addProperty(e.getKey(), e.getValue().sum());
            total += e.getValue().sum();
        }
        req.addProperty("total", total);
        out.add("requests", req);
        JsonObject st = new JsonObject();
        new TreeMap<>(statuses).forEach((k, v) -> st.addProperty(Integer.toString(k), v.sum()));
        out.add("responses", st);
        JsonObject err = new JsonObject();
        new TreeMap<>(errors).forEach((k, v) -> err.addProperty(k, v.sum()));
        out.add("errors", err);
        JsonObject lat = new JsonObject();
        for (Map.Entry<String, Histogram> e : new TreeMap<>(latencies).entrySet()) {
            Histogram h = e.getValue().copy();
            JsonObject o = new JsonObject();
            o.addProperty("count", h.getTotalCount());
            o.addProperty("p50", h.getValueAtPercentile(50) / 1000.0);
            o.addProperty("p99", h.getValueAtPercentile(99) / 1000.0);
            o.addProperty("max", h.getMaxValue() / 1000.0);
            lat.add(e.getKey(), o);
        }
        out.add("latencyMs", lat);
        return out;
    }
}
