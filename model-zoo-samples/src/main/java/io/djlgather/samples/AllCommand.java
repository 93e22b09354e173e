package io.djlgather.samples;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code all}: the three samples with small settings, then a summary of their figures. */
@Command(
        name = "all",
        mixinStandardHelpOptions = true,
        description = "Runs ner, keypoints and serve-demo with small settings (a few minutes on 2 cores) and prints their figures.")
public final class AllCommand implements Callable<Integer> {

    @Mixin SampleOptions common = new SampleOptions();

    @Option(names = "--epochs", defaultValue = "6", description = "NER training epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--train-size", defaultValue = "1200", description = "Generated NER train sentences (default: ${DEFAULT-VALUE}).")
    int trainSize;

    @Option(names = "--train-steps", defaultValue = "" + KeypointsCommand.DEFAULT_TRAIN_STEPS, description = "keypoints: self-supervised backbone training steps, 0 for random weights (default: ${DEFAULT-VALUE}).")
    int trainSteps;

    @Option(names = "--requests", defaultValue = "60", description = "serve-demo requests per client (default: ${DEFAULT-VALUE}).")
    int requests;

    @Override
    public Integer call() throws Exception {
        long begin = System.nanoTime();
        PrintStream out = System.out;
        Path dir = common.out();
        NerCommand.Summary ner = new NerCommand().configure(dir, common.seed(), trainSize, 300, epochs).run(out);
        out.println();
        KeypointsCommand keypoints = new KeypointsCommand().configure(dir, common.seed(), 192, 48);
        keypoints.trainSteps = trainSteps;
        KeypointsCommand.Summary kp = keypoints.run(out);
        out.println();
        ServeDemoCommand.Summary serve = new ServeDemoCommand().configure(dir, common.seed(), 8, requests).run(out);
        double seconds = (System.nanoTime() - begin) / 1e9;
        out.println();
        out.println("== summary");
        out.printf("ner        : dev entity F1 %.4f (untrained %.4f, most-frequent-tag baseline %.4f), token accuracy %.4f (%d train / %d dev sentences, %d epochs); reloaded F1 %.4f; %.1f s%n",
                ner.devF1(), ner.untrainedF1(), ner.baselineF1(), ner.devTokenAccuracy(), ner.trainSentences(), ner.devSentences(), epochs, ner.reloadedF1(), ner.seconds());
        if (kp.trainSteps() > 0) {
            out.printf("keypoints  : match rate %.3f bilinear, %.3f nearest cell (backbone trained %d steps in %.1f s, InfoNCE %.3f -> %.3f); "
                            + "random-weight backbone %.3f bilinear, %.3f nearest cell; %.3f raw patches, %.3f chance (%d keypoints, %d channels; second image %s); %.1f s%n",
                    kp.bilinearRate(), kp.nearestRate(), kp.trainSteps(), kp.trainSeconds(), kp.firstLoss(), kp.lastLoss(),
                    kp.randomBilinearRate(), kp.randomNearestRate(), kp.patchRate(), kp.chance(), kp.keypoints(), kp.channels(), kp.perturbation(), kp.seconds());
        } else {
            out.printf("keypoints  : match rate %.3f bilinear, %.3f nearest cell, %.3f raw patches, %.3f chance (%d keypoints, %d channels, random-weight backbone; second image %s); %.1f s%n",
                    kp.bilinearRate(), kp.nearestRate(), kp.patchRate(), kp.chance(), kp.keypoints(), kp.channels(), kp.perturbation(), kp.seconds());
        }
        out.printf("serve-demo : %.1f req/s batched (p50 %.2f ms, p99 %.2f ms, mean batch %.1f) vs %.1f req/s one at a time (p50 %.2f ms, p99 %.2f ms); mismatches %d; %.1f s%n",
                serve.batched().throughput(), serve.batched().p50(), serve.batched().p99(), serve.batched().meanBatch(),
                serve.single().throughput(), serve.single().p50(), serve.single().p99(),
                serve.batched().mismatches() + serve.single().mismatches(), serve.seconds());
        out.printf("outputs    : %s, %s, %s, %s%n", ner.lossPlot(), kp.picture(), kp.csv(), dir.resolve("zoo"));
        out.printf("total      : %.1f s%n", seconds);
        return 0;
    }
}
