package io.djlgather.samples;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every sample takes. */
public final class SampleOptions {

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description =
                    "Output folder for models (zoo/), pictures and CSV. Default: model-zoo-samples/build/ "
                            + "of the source tree, else ~/.djl-gather/samples.")
    Path out;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "Random seed of corpus, initialisation, shuffling and images (default: ${DEFAULT-VALUE}).")
    long seed;

    /** Returns the output folder, resolved and with the zoo property set. */
    public Path out() {
        Path dir = (out != null ? out : SamplesHome.defaultOut()).toAbsolutePath().normalize();
        System.setProperty(SamplesHome.ZOO_PROPERTY, dir.resolve("zoo").toString());
        return dir;
    }

    /** Returns the seed. */
    public long seed() {
        return seed;
    }

    /** Sets the values (for {@code all}). */
    void set(Path out, long seed) {
        this.out = out;
        this.seed = seed;
    }
}
