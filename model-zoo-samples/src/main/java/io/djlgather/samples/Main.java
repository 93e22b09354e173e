package io.djlgather.samples;

import io.djlgather.ext.Nnpack;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The samples' entry point: {@code ner}, {@code keypoints}, {@code serve-demo}, {@code serve}, {@code
 * load-test} and {@code all}.
 *
 * <p>Runs offline unless told otherwise ({@code ai.djl.offline} defaults to true here) and
 * headless. When Maven's exec plugin passes all arguments as one string ({@code
 * -Dsamples.args="ner --epochs 3"}), it is split at spaces, honouring quotes.
 */
@Command(
        name = "djl-gather-samples",
        mixinStandardHelpOptions = true,
        version = "djl-gather samples 0.1.0",
        description = "djl-gather's ops at work: train a sequence labeler, extract keypoint features, serve predictions.",
        subcommands = {
            NerCommand.class,
            KeypointsCommand.class,
            ServeDemoCommand.class,
            ServeCommand.class,
            LoadTestCommand.class,
            AllCommand.class,
            CommandLine.HelpCommand.class
        })
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
        System.exit(execute(splitArgs(args)));
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
        cli.setExecutionStrategy(Main::runCommand);
        cli.setExecutionExceptionHandler(
                (e, cmd, parsed) -> {
                    cmd.getErr().println(cmd.getColorScheme().errorText("error: " + e.getMessage()));
                    if (Boolean.getBoolean("samples.trace")) {
                        e.printStackTrace(cmd.getErr());
                    }
                    return 1;
                });
        return cli.execute(args);
    }

    /**
     * Runs the parsed command. Before a sample's work (not for help or usage) it switches off
     * libtorch's NNPACK backend, which on CPUs it does not support logs a line per convolution;
     * see {@link Nnpack}. Results are unchanged.
     */
    private static int runCommand(CommandLine.ParseResult parsed) {
        CommandLine.ParseResult last = parsed;
        while (last.hasSubcommand()) {
            last = last.subcommand();
        }
        Object command = last.commandSpec().userObject();
        boolean helpOnly = last.isUsageHelpRequested() || last.isVersionHelpRequested()
                || command instanceof Main || command instanceof CommandLine.HelpCommand;
        if (!helpOnly) {
            Nnpack.disable();
        }
        return new CommandLine.RunLast().execute(parsed);
    }

    /**
     * Splits one argument that holds a whole command line (as {@code exec:exec} passes {@code
     * ${samples.args}}) at whitespace; single or double quotes keep spaces. Several arguments are
     * returned unchanged.
     *
     * @param args the arguments
     * @return the split arguments
     */
    static String[] splitArgs(String[] args) {
        if (args.length != 1 || !args[0].strip().matches("(?s).*\\s.*")) {
            return args;
        }
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        boolean any = false;
        for (char c : args[0].toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    cur.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                any = true;
            } else if (Character.isWhitespace(c)) {
                if (any || cur.length() > 0) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    any = false;
                }
            } else {
                cur.append(c);
            }
        }
        if (any || cur.length() > 0) {
            out.add(cur.toString());
        }
        return out.toArray(new String[0]);
    }
}
