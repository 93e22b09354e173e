package io.djlgather.spark;

import ai.djl.MalformedModelException;
import ai.djl.repository.zoo.ZooModel;
import io.djlgather.ext.Nnpack;
import io.djlgather.samples.keypoints.KeypointFeatures;
import io.djlgather.samples.keypoints.KeypointModels;
import io.djlgather.samples.keypoints.KeypointQuery;
import io.djlgather.samples.ner.NerModels;
import io.djlgather.samples.ner.TaggedSentence;
import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The models of one JVM (an executor, or the driver in local mode), loaded at most once per
 * {@linkplain ModelLocation#key() location} however many tasks and partitions ask, and kept until
 * the JVM exits (the process's exit frees them; closing libtorch state from a shutdown hook
 * would race the engine's own teardown). DJL's own Spark extension loads the model again in every partition (DJL issue
 * 3079); a model here costs one load per executor.
 *
 * <p>Thread-safe: the first task that asks for a location loads it while tasks asking for the
 * same location wait; other locations load concurrently. A failed load is not remembered: the
 * next task tries again (and fails with the same error). Each task makes its own {@link
 * ai.djl.inference.Predictor} from the shared model; DJL models serve several predictors at once.
 *
 * <p>Before the first load, the JVM is made to run DJL offline ({@code ai.djl.offline=true},
 * unless set) and libtorch's NNPACK backend is switched off ({@link Nnpack#disable()}), as the
 * samples' {@code Main} does.
 */
public final class Models {

    private static final ConcurrentMap<String, Holder> MODELS = new ConcurrentHashMap<>();
    private static final ConcurrentMap<String, AtomicInteger> LOADS = new ConcurrentHashMap<>();

    private Models() {}

    /**
     * Returns the tagger at a location, loading it on the first call in this JVM.
     *
     * @param location a {@link ModelLocation.Kind#NER} location
     * @return the shared model; callers never close it
     * @throws IOException if the model cannot be read
     * @throws MalformedModelException if its parameters do not fit the block
     * @throws IllegalArgumentException if the location is of another kind
     */
    @SuppressWarnings("unchecked")
    public static ZooModel<String, TaggedSentence> ner(ModelLocation location)
            throws IOException, MalformedModelException {
        requireKind(location, ModelLocation.Kind.NER);
        return (ZooModel<String, TaggedSentence>) holder(location).get();
    }

    /**
     * Returns the keypoint backbone at a location, loading it on the first call in this JVM.
     *
     * @param location a {@link ModelLocation.Kind#KEYPOINTS} location
     * @return the shared model; callers never close it
     * @throws IOException if the model cannot be read
     * @throws MalformedModelException if its parameters do not fit the block
     * @throws IllegalArgumentException if the location is of another kind
     */
    @SuppressWarnings("unchecked")
    public static ZooModel<KeypointQuery, KeypointFeatures> keypoints(ModelLocation location)
            throws IOException, MalformedModelException {
        requireKind(location, ModelLocation.Kind.KEYPOINTS);
        return (ZooModel<KeypointQuery, KeypointFeatures>) holder(location).get();
    }

    /**
     * Returns how many times this JVM has loaded the model at a location (successful loads only).
     *
     * @param location the location
     * @return 0 before the first load, then 1 (more would be a defect)
     */
    public static int loadCount(ModelLocation location) {
        AtomicInteger n = LOADS.get(location.key());
        return n == null ? 0 : n.get();
    }

    private static void requireKind(ModelLocation location, ModelLocation.Kind kind) {
        if (location.kind() != kind) {
            throw new IllegalArgumentException("Models: location is a " + location.kind().artifact()
                    + " model; expected a " + kind.artifact() + " model, got " + location.folder());
        }
    }

    private static Holder holder(ModelLocation location) {
        return MODELS.computeIfAbsent(location.key(), k -> new Holder(location));
    }

    /** One location's model, loaded by the first caller. */
    private static final class Holder {
        private final ModelLocation location;
        private ZooModel<?, ?> model;

        Holder(ModelLocation location) {
            this.location = location;
        }

        synchronized ZooModel<?, ?> get() throws IOException, MalformedModelException {
            if (model == null) {
                if (System.getProperty("ai.djl.offline") == null) {
                    System.setProperty("ai.djl.offline", "true");
                }
                Nnpack.disable();
                model = location.kind() == ModelLocation.Kind.NER
                        ? NerModels.load(location.path())
                        : KeypointModels.load(location.path());
                LOADS.computeIfAbsent(location.key(), k -> new AtomicInteger()).incrementAndGet();
            }
            return model;
        }
    }
}
