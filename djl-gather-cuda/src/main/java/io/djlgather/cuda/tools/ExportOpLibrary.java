package io.djlgather.cuda.tools;

import io.djlgather.ext.spi.OpLibraryMethods;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the op library (every method djl-gather runs, as one TorchScript module archive) to a
 * file, for machines without Java: Python's {@code torch.jit.load(path, map_location='cuda')}
 * loads it. Needs no native library and no GPU.
 *
 * <pre>
 * mvn -q -pl djl-gather-cuda -am compile exec:java -Dcuda.tools.skip=false \
 *     -Dexec.mainClass=io.djlgather.cuda.tools.ExportOpLibrary -Dexec.args=target/op-library.pt
 * </pre>
 */
public final class ExportOpLibrary {

    private ExportOpLibrary() {}

    /**
     * Writes the archive.
     *
     * @param args one argument: the archive's path (parent folders are created)
     * @throws IOException if the file cannot be written
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ExportOpLibrary <archive.pt>");
            System.exit(2);
        }
        Path path = write(Path.of(args[0]));
        System.out.println("op library archive written to " + path.toAbsolutePath());
    }

    /**
     * Writes the op library archive to a path.
     *
     * @param path the archive's path; parent folders are created
     * @return the path
     * @throws IOException if the file cannot be written
     */
    public static Path write(Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return Files.write(path, OpLibraryMethods.archive());
    }
}
