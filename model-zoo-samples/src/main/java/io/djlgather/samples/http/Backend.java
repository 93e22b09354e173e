package io.djlgather.samples.http;

import com.google.gson.JsonObject;
import io.djlgather.samples.keypoints.KeypointFeatures;
import io.djlgather.samples.keypoints.KeypointQuery;
import io.djlgather.samples.ner.TaggedSentence;
import io.djlgather.samples.ner.NerTagging;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What {@link InferenceServer} asks of the models: checked inputs in, futures out. {@link
 * ModelBackend} is the real one; tests wrap it to make the engine fail or stall on purpose.
 */
public interface Backend {

    /**
     * Tags one sentence.
     *
     * @param sentence tokens separated by single spaces, none blank
     * @return the tags, completed exceptionally if the engine fails
     */
    CompletableFuture<TaggedSentence> tag(String sentence);

    /**
     * Returns the k best tag paths of one sentence (top-k Viterbi), best first. The default
     * refuses: a backend without direct access to the tagger cannot give them.
     *
     * @param sentence tokens separated by single spaces, none blank
     * @param k how many paths, at least 1
     * @return the paths and their scores, completed exceptionally if the engine fails
     */
    default CompletableFuture<List<NerTagging.ScoredTags>> tagTopK(String sentence, int k) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("this backend has no top-k decoding"));
    }

    /**
     * Reads features at keypoints.
     *
     * @param query an RGB image and at least one keypoint inside it
     * @return the features, completed exceptionally if the engine fails
     */
    CompletableFuture<KeypointFeatures> features(KeypointQuery query);

    /**
     * Returns figures for {@code /metrics}: batches and the models' array counts.
     *
     * @return a JSON object
     */
    JsonObject stats();
}
