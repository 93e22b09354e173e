package io.djlgather.samples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where the samples write: the output folder (models, pictures, CSV) and, inside it, the local
 * model zoo that {@link io.djlgather.samples.zoo.SamplesModelZoo} serves.
 *
 * <p>The default output folder is {@code model-zoo-samples/build/} of the source tree (ignored
 * by git), found from the working directory whether that is the repository root or the module
 * folder (where {@code mvn exec:exec} runs); elsewhere it is {@code ~/.djl-gather/samples}.
 */
public final class SamplesHome {

    /** System property naming the zoo folder; set by {@link Main} from {@code --out}. */
    public static final String ZOO_PROPERTY = "djlgather.samples.zoo";

    private SamplesHome() {}

    /**
     * Returns the default output folder for a working directory.
     *
     * @param cwd the working directory
     * @return the folder (not created)
     */
    public static Path defaultOut(Path cwd) {
        Path abs = cwd.toAbsolutePath().normalize();
        if (Files.isRegularFile(abs.resolve("model-zoo-samples/pom.xml"))) {
            return abs.resolve("model-zoo-samples/build");
        }
        if (abs.getFileName() != null
                && abs.getFileName().toString().equals("model-zoo-samples")
                && Files.isRegularFile(abs.resolve("pom.xml"))) {
            return abs.resolve("build");
        }
        return Paths.get(System.getProperty("user.home"), ".djl-gather", "samples");
    }

    /** Returns the default output folder for the current working directory. */
    public static Path defaultOut() {
        return defaultOut(Paths.get(""));
    }

    /**
     * Returns the zoo folder: the {@value #ZOO_PROPERTY} system property, else {@code zoo/}
     * inside the default output folder.
     *
     * @return the zoo folder (not created)
     */
    public static Path zooDir() {
        String dir = System.getProperty(ZOO_PROPERTY);
        return dir != null ? Paths.get(dir) : defaultOut().resolve("zoo");
    }
}
