package io.djlgather.samples.zoo;

import ai.djl.Application;
import ai.djl.MalformedModelException;
import ai.djl.repository.MRL;
import ai.djl.repository.Repository;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelLoader;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.util.Progress;
import io.djlgather.samples.SamplesHome;
import io.djlgather.samples.keypoints.KeypointFeatures;
import io.djlgather.samples.keypoints.KeypointModels;
import io.djlgather.samples.keypoints.KeypointQuery;
import io.djlgather.samples.ner.NerModels;
import io.djlgather.samples.ner.TaggedSentence;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Loads one sample model from its local folder {@code <zoo>/<artifactId>/}. It matches a
 * {@link Criteria} whose input and output types are the model's (or unset); a missing folder
 * gives a {@link ModelNotFoundException} naming the folder and the command that builds it.
 */
final class LocalModelLoader implements ModelLoader {

    /** Reads one model folder. */
    @FunctionalInterface
    interface FolderLoader {
        ZooModel<?, ?> load(Path dir) throws IOException, MalformedModelException;
    }

    /** Tells whether a folder holds a complete model. */
    @FunctionalInterface
    interface FolderCheck {
        boolean exists(Path dir);
    }

    private final String artifactId;
    private final Application application;
    private final Class<?> input;
    private final Class<?> output;
    private final String buildCommand;
    private final FolderCheck check;
    private final FolderLoader loader;

    private LocalModelLoader(
            String artifactId,
            Application application,
            Class<?> input,
            Class<?> output,
            String buildCommand,
            FolderCheck check,
            FolderLoader loader) {
        this.artifactId = artifactId;
        this.application = application;
        this.input = input;
        this.output = output;
        this.buildCommand = buildCommand;
        this.check = check;
        this.loader = loader;
    }

    static LocalModelLoader ner() {
        return new LocalModelLoader(
                NerModels.NAME,
                Application.NLP.TOKEN_CLASSIFICATION,
                String.class,
                TaggedSentence.class,
                "ner",
                NerModels::exists,
                NerModels::load);
    }

    static LocalModelLoader keypoints() {
        return new LocalModelLoader(
                KeypointModels.NAME,
                Application.CV.POSE_ESTIMATION,
                KeypointQuery.class,
                KeypointFeatures.class,
                "keypoints",
                KeypointModels::exists,
                KeypointModels::load);
    }

    @Override
    public String getGroupId() {
        return SamplesModelZoo.GROUP_ID;
    }

    @Override
    public String getArtifactId() {
        return artifactId;
    }

    @Override
    public Application getApplication() {
        return application;
    }

    @Override
    public MRL getMrl() {
        Repository repository = Repository.newInstance("djl-gather-samples", SamplesHome.zooDir());
        return MRL.model(repository, application, getGroupId(), artifactId, "0.1.0", artifactId);
    }

    Path folder() {
        return SamplesHome.zooDir().resolve(artifactId);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <I, O> ZooModel<I, O> loadModel(Criteria<I, O> criteria)
            throws IOException, ModelNotFoundException, MalformedModelException {
        Class<I> in = criteria.getInputClass();
        Class<O> out = criteria.getOutputClass();
        if ((in != null && !in.isAssignableFrom(input))
                || (out != null && !out.isAssignableFrom(output))) {
            throw new ModelNotFoundException(
                    artifactId + " takes " + input.getSimpleName() + " and gives "
                            + output.getSimpleName() + ", not " + in + " -> " + out);
        }
        Path dir = folder();
        if (!check.exists(dir)) {
            throw new ModelNotFoundException(
                    artifactId + ": no model in " + dir + "; run the '" + buildCommand
                            + "' sample once to build it");
        }
        return (ZooModel<I, O>) loader.load(dir);
    }

    @Override
    public <I, O> boolean isDownloaded(Criteria<I, O> criteria) {
        return check.exists(folder());
    }

    @Override
    public <I, O> void downloadModel(Criteria<I, O> criteria, Progress progress)
            throws ModelNotFoundException {
        if (!check.exists(folder())) {
            throw new ModelNotFoundException(
                    artifactId + " is built locally, not downloaded: run the '" + buildCommand
                            + "' sample once");
        }
    }

    @Override
    public String toString() {
        return getGroupId() + ":" + artifactId + " (" + folder() + ")";
    }
}
