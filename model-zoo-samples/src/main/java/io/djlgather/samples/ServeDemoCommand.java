package io.djlgather.samples;

import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import io.djlgather.samples.ner.NerModels;
import io.djlgather.samples.ner.Sentence;
import io.djlgather.samples.ner.SyntheticCorpus;
import io.djlgather.samples.ner.TaggedSentence;
import io.djlgather.samples.serve.LatencyStats;
import io.djlgather.samples.serve.MicroBatcher;
import io.djlgather.samples.serve.ProcessMemory;
import io.djlgather.samples.zoo.SamplesModelZoo;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code serve-demo}: concurrent clients against the NER tagger behind a micro-batching queue. */
@Command(
        name = "serve-demo",
        mixinStandardHelpOptions = true,
        description = {
            "Serves the NER tagger (loaded from the samples' model zoo; trained first if missing) to N concurrent "
                    + "clients through a micro-batching queue: each batch is one forward pass, one CRF Viterbi "
                    + "decode and one label-score gather. Runs once one request at a time (--max-batch 1) and once "
                    + "batched, and prints throughput and p50/p99 latency of both.",
            "Every answer is checked against the same sentence tagged alone.",
            "Prints the model manager's array count and the process's RSS when the model is loaded, after the "
                    + "reference pass and at the end: with a large --requests the count stays where it started."
        })
public final class ServeDemoCommand implements Callable<Integer> {

    @Mixin SampleOptions common = new SampleOptions();

    @Option(names = "--clients", defaultValue = "8", description = "Concurrent client threads (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--requests", defaultValue = "100", description = "Requests per client, sent one after another; each phase (reference, one at a time, batched) serves clients x requests sentences (default: ${DEFAULT-VALUE}).")
    int requests;

    @Option(names = "--max-batch", defaultValue = "16", description = "Most sentences per batch (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--max-delay-us", defaultValue = "2000", description = "How long a batch waits to fill after its first request, in microseconds (default: ${DEFAULT-VALUE}).")
    long maxDelayMicros;

    @Option(names = "--workers", defaultValue = "1", description = "Worker threads, each with its own Predictor (default: ${DEFAULT-VALUE}).")
    int workers;

    /**
     * Figures of one serving phase.
     *
     * @param maxBatch the batch limit
     * @param requests requests served
     * @param throughput requests per second
     * @param p50 median latency in ms
     * @param p99 99th percentile latency in ms
     * @param meanBatch mean batch size
     * @param mismatches answers that differ from the sentence tagged alone
     */
    public record Phase(int maxBatch, int requests, double throughput, double p50, double p99, double meanBatch, int mismatches) {}

    /**
     * The model's memory at one point of the run.
     *
     * @param arrays arrays held by the model's manager and its sub-managers
     * @param rssBytes the process's resident set size (VmRSS), -1 where /proc is missing
     */
    public record Memory(int arrays, long rssBytes) {}

    /**
     * The figures of one run.
     *
     * @param single one request at a time
     * @param batched with micro-batching
     * @param seconds wall time
     * @param loaded memory once the model is loaded, before any request
     * @param afterReference memory after the reference pass (every input tagged once, one at a time)
     * @param end memory after both phases, their predictors closed
     */
    public record Summary(Phase single, Phase batched, double seconds, Memory loaded, Memory afterReference, Memory end) {}

    @Override
    public Integer call() throws Exception {
        Summary s = run(System.out);
        return s.single().mismatches() + s.batched().mismatches() == 0 ? 0 : 1;
    }

    /** Sets the defaults (for {@code all} and tests). */
    ServeDemoCommand configure(Path out, long seed, int clients, int requests) {
        common.set(out, seed);
        this.clients = clients;
        this.requests = requests;
        this.maxBatch = 16;
        this.maxDelayMicros = 2000;
        this.workers = 1;
        return this;
    }

    /**
     * Runs the sample.
     *
     * @param out where to print
     * @return the figures
     * @throws Exception if the model cannot be built or loaded, or a request fails
     */
    public Summary run(PrintStream out) throws Exception {
        long begin = System.nanoTime();
        Path outDir = common.out();
        if (!NerModels.exists(outDir.resolve("zoo").resolve(NerModels.NAME))) {
            out.println("== serve-demo: no tagger in the zoo yet; training a small one first");
            new NerCommand().configure(outDir, common.seed(), 600, 100, 4).run(out);
        }
        List<String> inputs = new ArrayList<>();
        for (Sentence s : SyntheticCorpus.generate(1, clients * requests, common.seed() + 7).dev()) {
            inputs.add(String.join(" ", s.tokens()));
        }
        Criteria<String, TaggedSentence> criteria =
                Criteria.builder()
                        .setTypes(String.class, TaggedSentence.class)
                        .optGroupId(SamplesModelZoo.GROUP_ID)
                        .optArtifactId(NerModels.NAME)
                        .build();
        try (ZooModel<String, TaggedSentence> model = criteria.loadModel()) {
            out.printf("== serve-demo: %s, %d clients x %d requests, %d worker(s)%n",
                    NerModels.NAME, clients, requests, workers);
            Memory loaded = memory(model);
            print(out, "model loaded", loaded);
            List<List<String>> reference = new ArrayList<>(inputs.size());
            try (Predictor<String, TaggedSentence> predictor = model.newPredictor()) {
                for (String input : inputs) {
                    reference.add(predictor.predict(input).tags());
                }
            }
            Memory afterReference = memory(model);
            print(out, "after " + inputs.size() + " reference requests", afterReference);
            Phase single = phase(model, inputs, reference, 1);
            print(out, "one at a time", single);
            Phase batched = phase(model, inputs, reference, maxBatch);
            print(out, "micro-batched", batched);
            out.printf("speed-up from batching: %.2fx throughput%n", batched.throughput() / single.throughput());
            Memory end = memory(model);
            print(out, "end (" + 3 * inputs.size() + " sentences served)", end);
            return new Summary(single, batched, (System.nanoTime() - begin) / 1e9, loaded, afterReference, end);
        }
    }

    private static Memory memory(ZooModel<?, ?> model) {
        return new Memory(ProcessMemory.arrays(model), ProcessMemory.hasRss() ? ProcessMemory.rssBytes() : -1);
    }

    private static void print(PrintStream out, String when, Memory m) {
        out.printf("   memory, %s: model manager %d arrays, process RSS %s%n",
                when, m.arrays(), m.rssBytes() < 0 ? "n/a" : ProcessMemory.mb(m.rssBytes()));
    }

    private static void print(PrintStream out, String name, Phase p) {
        out.printf("   %-14s (max batch %2d): %7.1f req/s, latency p50 %6.2f ms, p99 %6.2f ms, mean batch %5.2f, mismatches %d/%d%n",
                name, p.maxBatch(), p.throughput(), p.p50(), p.p99(), p.meanBatch(), p.mismatches(), p.requests());
    }

    private Phase phase(ZooModel<String, TaggedSentence> model, List<String> inputs, List<List<String>> reference, int batchLimit)
            throws Exception {
        long[] latencies = new long[inputs.size()];
        int[] mismatches = new int[clients];
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start;
        long end;
        double meanBatch;
        try (MicroBatcher<String, TaggedSentence> batcher = new MicroBatcher<>(model, workers, batchLimit, maxDelayMicros)) {
            // warm-up, not measured
            for (int i = 0; i < Math.min(inputs.size(), 2 * batchLimit); i++) {
                batcher.submit(inputs.get(i)).get();
            }
            List<Future<?>> done = new ArrayList<>();
            start = System.nanoTime();
            for (int c = 0; c < clients; c++) {
                int client = c;
                done.add(pool.submit(() -> {
                    for (int r = 0; r < requests; r++) {
                        int i = client * requests + r;
                        long t0 = System.nanoTime();
                        TaggedSentence result = batcher.submit(inputs.get(i)).get();
                        latencies[i] = System.nanoTime() - t0;
                        if (!result.tags().equals(reference.get(i))) {
                            mismatches[client]++;
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            end = System.nanoTime();
            meanBatch = batcher.meanBatchSize();
        } finally {
            pool.shutdown();
        }
        LatencyStats stats = new LatencyStats(latencies);
        int wrong = 0;
        for (int m : mismatches) {
            wrong += m;
        }
        return new Phase(batchLimit, inputs.size(), inputs.size() / ((end - start) / 1e9),
                stats.percentileMillis(50), stats.percentileMillis(99), meanBatch, wrong);
    }
}
