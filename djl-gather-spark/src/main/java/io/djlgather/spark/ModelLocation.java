package io.djlgather.spark;

import io.djlgather.samples.keypoints.KeypointModels;
import io.djlgather.samples.ner.NerModels;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;

/**
 * Where one of the samples' zoo models lies: a folder written by {@link NerModels#save} ({@value
 * NerModels#NAME}) or {@link KeypointModels#save} ({@value KeypointModels#NAME}), named by a path
 * or a {@code file:} URL. The same location must be readable on the driver and on every executor
 * (a shared file system, or the same path in every node's image).
 *
 * <p>{@link #check} runs on the driver before any task: a missing model fails there, with the
 * folder and the files expected, instead of failing every task on the executors.
 *
 * @param kind which model
 * @param folder the model folder, absolute and normalized
 */
public record ModelLocation(Kind kind, String folder) implements Serializable {

    /** The two zoo models a job can run. */
    public enum Kind {
        /** The NER tagger, {@value NerModels#NAME}. */
        NER(NerModels.NAME, "ner-bilstm-crf-0000.params, words.txt, tagger.properties", "ner"),
        /** The keypoint feature backbone, {@value KeypointModels#NAME}. */
        KEYPOINTS(KeypointModels.NAME, "keypoint-features-0000.params, backbone.properties", "keypoints");

        private final String artifact;
        private final String files;
        private final String sample;

        Kind(String artifact, String files, String sample) {
            this.artifact = artifact;
            this.files = files;
            this.sample = sample;
        }

        /** Returns the model's zoo name (its artifact id). */
        public String artifact() {
            return artifact;
        }
    }

    /**
     * Parses a path or a {@code file:} URL.
     *
     * @param kind which model
     * @param option the option's name, for messages
     * @param value a folder path or a {@code file:} URL
     * @return the location (not yet checked)
     * @throws IllegalArgumentException if {@code value} is blank or a URL of another scheme
     */
    public static ModelLocation parse(Kind kind, String option, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(option + ": model location is blank; expected a folder path or a file: URL of a "
                    + kind.artifact + " model, got '" + value + "'");
        }
        Path path;
        String v = value.strip();
        int colon = v.indexOf(':');
        if (colon > 1 && v.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*")) {
            String scheme = v.substring(0, colon).toLowerCase(Locale.ROOT);
            if (!scheme.equals("file")) {
                throw new IllegalArgumentException(option + ": unsupported URL scheme '" + scheme
                        + "'; expected a folder path or a file: URL (every executor reads the model locally, offline), got '"
                        + value + "'");
            }
            try {
                path = Paths.get(URI.create(v));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(option + ": malformed file: URL; expected e.g. file:///models/"
                        + kind.artifact + ", got '" + value + "' (" + e.getMessage() + ")", e);
            }
        } else {
            path = Paths.get(v);
        }
        return new ModelLocation(kind, path.toAbsolutePath().normalize().toString());
    }

    /** Returns the folder as a path. */
    public Path path() {
        return Paths.get(folder);
    }

    /**
     * Checks that the folder holds a complete model of this kind.
     *
     * @param option the option's name, for messages
     * @return this
     * @throws IllegalArgumentException if the folder or one of the model's files is missing
     */
    public ModelLocation check(String option) {
        Path dir = path();
        boolean present = kind == Kind.NER ? NerModels.exists(dir) : KeypointModels.exists(dir);
        if (!present) {
            throw new IllegalArgumentException(option + ": no " + kind.artifact + " model in " + dir
                    + (Files.isDirectory(dir) ? "" : " (no such folder)") + "; expected a folder with " + kind.files
                    + ", as the samples' '" + kind.sample + "' command saves it (model-zoo-samples/build/zoo/"
                    + kind.artifact + ")");
        }
        return this;
    }

    /** Returns the key under which {@link Models} holds the loaded model: kind and folder. */
    public String key() {
        return kind.artifact + "@" + folder;
    }
}
