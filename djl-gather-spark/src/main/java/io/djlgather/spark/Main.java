package io.djlgather.spark;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The Spark jobs' entry point: {@code tag}, {@code keypoints} and {@code bench-tag}; the class
 * spark-submit runs from the application jar.
 *
 * <p>Runs DJL offline unless told otherwise ({@code ai.djl.offline} defaults to true here, and
 * {@link Models} sets it on every executor). A bad option is a usage error (exit 2); a bad value
 * found by the driver's checks (a missing model, input or an existing output) prints its message
 * and exits 1 before any task runs.
 */
@Command(
        name = "djl-gather-spark",
        mixinStandardHelpOptions = true,
        version = "djl-gather-spark 0.1.0",
        description = "The samples' NER tagger and keypoint features as Spark batch jobs.",
        subcommands = {TagCommand.class, KeypointsCommand.class, TagBenchmark.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /**
     * Runs a command line and exits with its code.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /**
     * Runs a command line.
     *
     * @param args the arguments
     * @return the exit code: 0 success, 1 failure, 2 bad usage
     */
    public static int execute(String... args) {
        System.setProperty("java.awt.headless", "true");
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(
                (e, cmd, parsed) -> {
                    cmd.getErr().println(cmd.getColorScheme().errorText("error: " + e.getMessage()));
                    if (Boolean.getBoolean("djlgather.trace")) {
                        e.printStackTrace(cmd.getErr());
                    }
                    return 1;
                });
        return cli.execute(args);
    }
}
