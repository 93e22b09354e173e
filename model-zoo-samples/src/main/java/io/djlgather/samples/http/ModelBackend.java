package io.djlgather.samples.http;

import ai.djl.inference.Predictor;
import io.djlgather.samples.ner.NerTaggerBlock;
import io.djlgather.samples.ner.NerTagging;
import io.djlgather.samples.ner.NerTranslator;
import io.djlgather.samples.ner.Vocab;
import java.util.List;
import ai.djl.repository.zoo.ZooModel;
import com.google.gson.JsonObject;
import io.djlgather.samples.keypoints.KeypointFeatures;
import io.djlgather.samples.keypoints.KeypointQuery;
import io.djlgather.samples.ner.TaggedSentence;
import io.djlgather.samples.serve.MicroBatcher;
import io.djlgather.samples.serve.ProcessMemory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The saved tagger and keypoint model behind {@link MicroBatcher}s, as {@code serve-demo} runs
 * them: each request is queued, and a worker runs up to {@code maxBatch} queued requests through
 * one {@code batchPredict}.
 *
 * <p>A batch fails as a whole when one of its inputs makes the engine fail. So that one bad input
 * costs no other request, every request of a failed batch is run again alone, on one retry thread
 * with its own predictors: the innocent ones then succeed and only the culprit fails. The models
 * belong to the caller, who closes them after this.
 */
public final class ModelBackend implements Backend, AutoCloseable {

    private final ZooModel<String, TaggedSentence> ner;
    private final ZooModel<KeypointQuery, KeypointFeatures> keypoints;
    private final MicroBatcher<String, TaggedSentence> nerBatcher;
    private final MicroBatcher<KeypointQuery, KeypointFeatures> keypointBatcher;
    private final ExecutorService retry;
    private final Predictor<String, TaggedSentence> nerAlone;
    private final Predictor<KeypointQuery, KeypointFeatures> keypointsAlone;
    private final AtomicLong retried = new AtomicLong();

    /**
     * Starts one batching worker per model.
     *
     * @param ner the tagger
     * @param keypoints the keypoint feature model
     * @param maxBatch most sentences per NER batch, at least 1
     * @param maxDelayMicros how long a NER batch waits to fill after its first sentence
     */
    public ModelBackend(
            ZooModel<String, TaggedSentence> ner,
            ZooModel<KeypointQuery, KeypointFeatures> keypoints,
            int maxBatch,
            long maxDelayMicros) {
        this.ner = ner;
        this.keypoints = keypoints;
        this.nerBatcher = new MicroBatcher<>(ner, 1, maxBatch, maxDelayMicros);
        // Images of different sizes do not stack: the keypoint translator runs a batch one by one,
        // so a short batch without waiting only saves queue hand-offs.
        this.keypointBatcher = new MicroBatcher<>(keypoints, 1, 4, 0);
        this.retry = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "model-backend-retry");
            t.setDaemon(true);
            return t;
        });
        this.nerAlone = ner.newPredictor();
        this.keypointsAlone = keypoints.newPredictor();
    }

    @Override
    public CompletableFuture<TaggedSentence> tag(String sentence) {
        return nerBatcher.submit(sentence).exceptionallyComposeAsync(e -> alone(() -> nerAlone.predict(sentence)), retry);
    }

    /**
     * Runs the tagger directly (not through the micro-batcher: a request for alternatives is
     * rare and its decoding differs), on the calling thread, in a manager closed on return.
     */
    @Override
    public CompletableFuture<List<NerTagging.ScoredTags>> tagTopK(String sentence, int k) {
        try {
            NerTaggerBlock block = (NerTaggerBlock) ner.getBlock();
            Vocab vocab = ((NerTranslator) ner.getTranslator()).vocab();
            return CompletableFuture.completedFuture(
                    NerTagging.topK(block, vocab, List.of(sentence.split(" ")), k, ner.getNDManager()));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<KeypointFeatures> features(KeypointQuery query) {
        return keypointBatcher.submit(query)
                .exceptionallyComposeAsync(e -> alone(() -> keypointsAlone.predict(query)), retry);
    }

    private interface Call<O> {
        O call() throws Exception;
    }

    /** Runs one input alone, on the retry thread (the only user of the retry predictors). */
    private <O> CompletableFuture<O> alone(Call<O> call) {
        retried.incrementAndGet();
        try {
            return CompletableFuture.completedFuture(call.call());
        } catch (Exception | Error e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Returns the arrays held by both models' managers (predictors and requests included). */
    public int arrays() {
        return ProcessMemory.arrays(ner) + ProcessMemory.arrays(keypoints);
    }

    @Override
    public JsonObject stats() {
        JsonObject batches = new JsonObject();
        batches.add("ner", batch(nerBatcher));
        batches.add("keypoints", batch(keypointBatcher));
        batches.addProperty("retriedAlone", retried.get());
        JsonObject arrays = new JsonObject();
        arrays.addProperty(ner.getName(), ProcessMemory.arrays(ner));
        arrays.addProperty(keypoints.getName(), ProcessMemory.arrays(keypoints));
        JsonObject out = new JsonObject();
        out.add("batches", batches);
        out.add("modelManagerArrays", arrays);
        return out;
    }

    private static JsonObject batch(MicroBatcher<?, ?> batcher) {
        JsonObject o = new JsonObject();
        o.addProperty("count", batcher.batchCount());
        o.addProperty("meanSize", Math.round(batcher.meanBatchSize() * 100) / 100.0);
        return o;
    }

    /** Finishes queued requests, then stops the workers and closes the predictors (not the models). */
    @Override
    public void close() {
        nerBatcher.close();
        keypointBatcher.close();
        retry.shutdown();
        try {
            if (!retry.awaitTermination(30, TimeUnit.SECONDS)) {
                retry.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        nerAlone.close();
        keypointsAlone.close();
    }
}
