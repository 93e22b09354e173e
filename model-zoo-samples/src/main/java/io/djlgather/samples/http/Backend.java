package io.djlgather.samples.http;

import com.google.gson.JsonObject;
import io.djlgather.samples.keypoints.KeypointFeatures;
import io.djlgather.samples.keypoints.KeypointQuery;
import io.djlgather.samples.ner.TaggedSentence;
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
