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
 * @param bioConstraints whether the CRF forbids the transitions the tags' scheme forbids: BIO
 *     (I-X after O or B-Y), or BIOES when a tag starts with E- or S- ({@link TagScheme#of})
 * @param charDim character embedding size (0: no character features)
 * @param charFilters filters of the character CNN, the size of each word's character feature
 *     vector (0: no character features)
 * @param charWidth width of the character CNN's window (odd; padded so every character is a
 *     window's centre)
 */
public record NerConfig(
        int wordDim, int shapeDim, int hidden, float dropout, boolean bioConstraints, int charDim, int charFilters, int charWidth) {

    /**
     * Sizes without character features, as the tagger had before its character CNN (and as a
     * folder saved then reads back).
     *
     * @param wordDim word embedding size
     * @param shapeDim word-shape embedding size
     * @param hidden LSTM state size per direction
     * @param dropout dropout rate
     * @param bioConstraints whether the CRF forbids the scheme's invalid transitions
     */
    public NerConfig(int wordDim, int shapeDim, int hidden, float dropout, boolean bioConstraints) {
        this(wordDim, shapeDim, hidden, dropout, bioConstraints, 0, 0, 3);
    }

    /**
     * Checks the sizes.
     *
     * @throws IllegalArgumentException if a size is negative, the dropout is outside [0, 1), or
     *     the character window is not a positive odd number
     */
    public NerConfig {
        if (wordDim < 1 || shapeDim < 0 || hidden < 1 || charDim < 0 || charFilters < 0) {
            throw new IllegalArgumentException(String.format(
                    "NerConfig: a size is out of range; expected wordDim >= 1, shapeDim >= 0, hidden >= 1, charDim >= 0,"
                            + " charFilters >= 0, got %d, %d, %d, %d, %d", wordDim, shapeDim, hidden, charDim, charFilters));
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("NerConfig: dropout is out of range; expected [0, 1), got " + dropout);
        }
        if (charWidth < 1 || charWidth % 2 == 0) {
            throw new IllegalArgumentException("NerConfig: charWidth must be odd; expected 1, 3, 5, ..., got " + charWidth);
        }
    }

    /** Returns whether the tagger has a character CNN. */
    public boolean chars() {
        return charDim > 0 && charFilters > 0;
    }

    /**
     * Returns these sizes with the CRF constraints switched on or off.
     *
     * @param constraints whether the CRF forbids the scheme's invalid transitions
     * @return the new sizes
     */
    public NerConfig withConstraints(boolean constraints) {
        return new NerConfig(wordDim, shapeDim, hidden, dropout, constraints, charDim, charFilters, charWidth);
    }

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
        p.setProperty("charDim", Integer.toString(charDim));
        p.setProperty("charFilters", Integer.toString(charFilters));
        p.setProperty("charWidth", Integer.toString(charWidth));
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
                    Boolean.parseBoolean(p.getProperty("bioConstraints")),
                    // absent in folders saved before the character CNN: no character features
                    Integer.parseInt(p.getProperty("charDim", "0")),
                    Integer.parseInt(p.getProperty("charFilters", "0")),
                    Integer.parseInt(p.getProperty("charWidth", "3")));
        } catch (RuntimeException e) {
            throw new IOException(dir.resolve(FILE) + ": missing or bad value: " + e.getMessage(), e);
        }
    }
}
