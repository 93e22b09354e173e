package io.djlgather.samples.ner;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Sizes of the tagger, saved next to its parameters so that a loader can rebuild the block.
 *
 * @param wordDim word embedding size
 * @param shapeDim word-shape embedding size
 * @param hidden LSTM state size per direction
 * @param dropout dropout rate on embeddings and LSTM output during training
 * @param bioConstraints whether the CRF forbids BIO-invalid transitions (I-X after O or B-Y)
 */
public record NerConfig(int wordDim, int shapeDim, int hidden, float dropout, boolean bioConstraints) {

    /** The file name inside a model folder. */
    public static final String FILE = "tagger.properties";

    /**
     * Writes the sizes to {@code dir/tagger.properties}.
     *
     * @param dir the model folder
     * @throws IOException if writing fails
     */
    public void save(Path dir) throws IOException {
        Properties p = new Properties();
        p.setProperty("wordDim", Integer.toString(wordDim));
        p.setProperty("shapeDim", Integer.toString(shapeDim));
        p.setProperty("hidden", Integer.toString(hidden));
        p.setProperty("dropout", Float.toString(dropout));
        p.setProperty("bioConstraints", Boolean.toString(bioConstraints));
        try (Writer w = Files.newBufferedWriter(dir.resolve(FILE), StandardCharsets.UTF_8)) {
            p.store(w, "BiLSTM-CRF tagger sizes");
        }
    }

    /**
     * Reads sizes written by {@link #save}.
     *
     * @param dir the model folder
     * @return the sizes
     * @throws IOException if reading fails or a key is missing
     */
    public static NerConfig load(Path dir) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(dir.resolve(FILE), StandardCharsets.UTF_8)) {
            p.load(r);
        }
        try {
            return new NerConfig(
                    Integer.parseInt(p.getProperty("wordDim")),
                    Integer.parseInt(p.getProperty("shapeDim")),
                    Integer.parseInt(p.getProperty("hidden")),
                    Float.parseFloat(p.getProperty("dropout")),
                    Boolean.parseBoolean(p.getProperty("bioConstraints")));
        } catch (RuntimeException e) {
            throw new IOException(dir.resolve(FILE) + ": missing or bad value: " + e.getMessage(), e);
        }
    }
}
