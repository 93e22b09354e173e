package io.djlgather.samples.ner;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.repository.zoo.ZooModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Saves a trained tagger as a folder (DJL parameters {@code ner-bilstm-crf-0000.params}, {@code
 * words.txt}, {@code tags.txt}, {@code tagger.properties}) and loads it back as a {@link
 * ZooModel} with a {@link NerTranslator}.
 */
public final class NerModels {

    /** The model's name and artifact id. */
    public static final String NAME = "ner-bilstm-crf";

    private NerModels() {}

    /**
     * Writes a trained model into {@code dir} (created if missing).
     *
     * @param model the trained model, block a {@link NerTaggerBlock}
     * @param vocab its tables
     * @param dir the folder
     * @throws IOException if writing fails
     */
    public static void save(Model model, Vocab vocab, Path dir) throws IOException {
        Files.createDirectories(dir);
        model.setProperty("Epoch", "0");
        model.save(dir, NAME);
        vocab.save(dir);
        ((NerTaggerBlock) model.getBlock()).config().save(dir);
    }

    /**
     * Returns true when {@code dir} holds a saved tagger.
     *
     * @param dir the folder
     * @return whether every file is there
     */
    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(NerConfig.FILE))
                && Files.isRegularFile(dir.resolve("words.txt"))
                && Files.isRegularFile(dir.resolve(NAME + "-0000.params"));
    }

    /**
     * Loads a tagger written by {@link #save}.
     *
     * @param dir the folder
     * @return the model with its translator; the caller closes it
     * @throws IOException if a file cannot be read
     * @throws MalformedModelException if the parameters do not fit the block
     */
    public static ZooModel<String, TaggedSentence> load(Path dir)
            throws IOException, MalformedModelException {
        Vocab vocab = Vocab.load(dir);
        NerConfig config = NerConfig.load(dir);
        Model model = Model.newInstance(NAME);
        try {
            model.setBlock(new NerTaggerBlock(vocab, config));
            model.load(dir, NAME);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw e;
        }
        return new ZooModel<>(model, new NerTranslator(vocab));
    }
}
