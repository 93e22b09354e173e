package io.djlgather.samples.zoo;

import ai.djl.repository.zoo.ModelZoo;
import java.util.Set;

/**
 * The samples' models as a DJL model zoo, group {@value #GROUP_ID}: the NER tagger ({@value
 * io.djlgather.samples.ner.NerModels#NAME}) and the keypoint feature extractor ({@value
 * io.djlgather.samples.keypoints.KeypointModels#NAME}). Found through {@link
 * SamplesZooProvider} by {@link java.util.ServiceLoader}, so that
 *
 * <pre>
 * Criteria.builder().setTypes(String.class, TaggedSentence.class)
 *         .optArtifactId("ner-bilstm-crf").build().loadModel()
 * </pre>
 *
 * <p>finds the tagger. The artifacts are local folders under {@link
 * io.djlgather.samples.SamplesHome#zooDir()}, written by the samples on their first run; before
 * that, loading gives a {@link ai.djl.repository.zoo.ModelNotFoundException} that says which
 * command builds the artifact.
 */
public final class SamplesModelZoo extends ModelZoo {

    /** The zoo's group id. */
    public static final String GROUP_ID = "io.djlgather.samples";

    SamplesModelZoo() {
        addModel(LocalModelLoader.ner());
        addModel(LocalModelLoader.keypoints());
    }

    @Override
    public String getGroupId() {
        return GROUP_ID;
    }

    @Override
    public Set<String> getSupportedEngines() {
        return Set.of("PyTorch");
    }
}
