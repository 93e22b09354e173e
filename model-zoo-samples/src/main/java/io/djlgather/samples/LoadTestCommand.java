package io.djlgather.samples;

import io.djlgather.samples.http.LoadTest;
import java.io.PrintStream;
import java.net.URI;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code load-test}: concurrent clients against a running {@code serve}, valid and invalid requests mixed. */
@Command(
        name = "load-test",
        mixinStandardHelpOptions = true,
        description = {
            "Sends requests to a running 'serve' (loopback only) from N client threads for S seconds, one after another "
                    + "per client: valid POST /ner (generated sentences, as text and as tokens), valid POST /keypoints "
                    + "(generated PNG scenes with 3 given points) and the invalid requests the tests use (malformed JSON, "
                    + "wrong types, empty text, too many tokens, unreadable, huge or tiny images, unknown paths, wrong "
                    + "methods...), each expecting its own status.",
            "Prints requests per second, p50/p99 latency (all requests and valid ones), responses by status, "
                    + "responses whose status was not the expected one, and valid answers with a wrongly shaped body. "
                    + "Exits 1 if any status was unexpected or any answer wrongly shaped."
        })
public final class LoadTestCommand implements Callable<Integer> {

    @Option(names = "--url", required = true, description = "The server, e.g. http://127.0.0.1:8080 (loopback only).")
    URI url;

    @Option(names = "--clients", defaultValue = "8", description = "Client threads, 1 to 64 (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--seconds", defaultValue = "20", description = "How long, at most 600 (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--invalid", defaultValue = "0.2", description = "Share of invalid requests (default: ${DEFAULT-VALUE}).")
    double invalid;

    @Option(names = "--keypoints", defaultValue = "0.1", description = "Share of valid requests sent to /keypoints (default: ${DEFAULT-VALUE}).")
    double keypoints;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the sentences, images and mix (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        LoadTest.Result r = run(System.out);
        return r.unexpected() + r.badAnswers() == 0 ? 0 : 1;
    }

    /**
     * Runs the load and prints its figures.
     *
     * @param out where to print
     * @return the figures
     * @throws Exception if the options are bad or a client fails outside a request
     */
    LoadTest.Result run(PrintStream out) throws Exception {
        LoadTest.Options options = new LoadTest.Options(url, clients, seconds, invalid, keypoints, seed);
        out.printf("== load-test: %s, %d clients, %.0f s, %.0f%% invalid, %.0f%% of valid to /keypoints%n",
                url, clients, seconds, 100 * invalid, 100 * keypoints);
        LoadTest.Result r = LoadTest.run(options, out);
        out.printf("%d requests in %.1f s: %.1f req/s; latency p50 %.2f ms, p99 %.2f ms (valid only: p50 %.2f ms, p99 %.2f ms)%n",
                r.requests(), r.seconds(), r.throughput(), r.p50(), r.p99(), r.validP50(), r.validP99());
        out.printf("responses by status: %s; valid requests %d%n", r.byStatus(), r.valid());
        out.printf("unexpected status: %d; wrongly shaped answers: %d%n", r.unexpected(), r.badAnswers());
        return r;
    }
}
