package io.djlgather.samples;

import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import io.djlgather.samples.ner.BioSpans;
import io.djlgather.samples.ner.ConllReader;
import io.djlgather.samples.ner.MajorityTagBaseline;
import io.djlgather.samples.ner.NerConfig;
import io.djlgather.samples.ner.NerModels;
import io.djlgather.samples.ner.NerTrainer;
import io.djlgather.samples.ner.Sentence;
import io.djlgather.samples.ner.SyntheticCorpus;
import io.djlgather.samples.ner.TaggedSentence;
import io.djlgather.samples.zoo.SamplesModelZoo;
import java.awt.Color;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ner}: trains embedding -> BiLSTM -> linear -> CRF, scores dev, saves, reloads, tags. */
@Command(
        name = "ner",
        mixinStandardHelpOptions = true,
        description = {
            "Trains a BiLSTM-CRF sequence labeler with DJL's Trainer and djl-gather's CrfLoss, reports dev token "
                    + "accuracy and entity F1 (before training, after each epoch, and for a most-frequent-tag-per-word "
                    + "baseline on the same split), saves it to the samples' model zoo, reloads it through Criteria "
                    + "and tags a few dev sentences with Viterbi.",
            "Data: CoNLL-style files (token first, tag last column, blank line between sentences; "
                    + "-DOCSTART- and leading # lines skipped), or with no --train a generated corpus "
                    + "(PER/LOC/ORG/DATE, fixed seed) made to be hard: half of the dev names and a third of the dev "
                    + "templates unseen in train, surnames that are also places, organisations named after people "
                    + "and places, years that are dates or quantities, titles and sentence starts in capitals, "
                    + "lower-case and upper-case sentences."
        })
public final class NerCommand implements Callable<Integer> {

    @Mixin SampleOptions common = new SampleOptions();

    @Option(names = "--train", paramLabel = "FILE", description = "CoNLL-style training file (default: generated corpus).")
    Path train;

    @Option(names = "--dev", paramLabel = "FILE", description = "CoNLL-style dev file (default: the last 10%% of --train, or the generated dev split).")
    Path dev;

    @Option(names = "--train-size", defaultValue = "1500", description = "Generated train sentences (default: ${DEFAULT-VALUE}).")
    int trainSize;

    @Option(names = "--dev-size", defaultValue = "300", description = "Generated dev sentences (default: ${DEFAULT-VALUE}).")
    int devSize;

    @Option(names = "--epochs", defaultValue = "8", description = "Training epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "32", description = "Sentences per training step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--lr", defaultValue = "0.01", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    float learningRate;

    @Option(names = "--embedding", defaultValue = "48", description = "Word embedding size (default: ${DEFAULT-VALUE}).")
    int embedding;

    @Option(names = "--hidden", defaultValue = "64", description = "LSTM state size per direction (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--dropout", defaultValue = "0.25", description = "Dropout on embeddings and LSTM output (default: ${DEFAULT-VALUE}).")
    float dropout;

    @Option(names = "--word-dropout", defaultValue = "0.1", description = "Probability of hiding a training word as unknown (default: ${DEFAULT-VALUE}).")
    float wordDropout;

    @Option(names = "--show", defaultValue = "5", description = "Dev sentences to tag and print after reloading (default: ${DEFAULT-VALUE}).")
    int show;

    /**
     * The figures of one run.
     *
     * @param devF1 entity F1 on dev
     * @param untrainedF1 entity F1 on dev of the untrained model (epoch 0)
     * @param baselineF1 entity F1 on dev of {@link MajorityTagBaseline} fitted on train
     * @param devTokenAccuracy token accuracy on dev
     * @param reloadedF1 entity F1 on dev of the model reloaded through Criteria
     * @param trainSentences train split size
     * @param devSentences dev split size
     * @param seconds wall time
     * @param modelDir where the model was saved
     * @param lossPlot the loss picture
     */
    public record Summary(
            double devF1,
            double untrainedF1,
            double baselineF1,
            double devTokenAccuracy,
            double reloadedF1,
            int trainSentences,
            int devSentences,
            double seconds,
            Path modelDir,
            Path lossPlot) {}

    @Override
    public Integer call() throws Exception {
        run(System.out);
        return 0;
    }

    /** Sets the generated-corpus and training sizes (for {@code all} and tests). */
    NerCommand configure(Path out, long seed, int trainSize, int devSize, int epochs) {
        common.set(out, seed);
        this.trainSize = trainSize;
        this.devSize = devSize;
        this.epochs = epochs;
        this.batchSize = 32;
        this.learningRate = 0.01f;
        this.embedding = 48;
        this.hidden = 64;
        this.dropout = 0.25f;
        this.wordDropout = 0.1f;
        this.show = 5;
        return this;
    }

    /**
     * Runs the sample.
     *
     * @param out where to print
     * @return the figures
     * @throws Exception if reading, training, saving or loading fails
     */
    public Summary run(PrintStream out) throws Exception {
        long begin = System.nanoTime();
        Path outDir = common.out();
        List<Sentence> trainSet;
        List<Sentence> devSet;
        if (train != null) {
            trainSet = ConllReader.read(train);
            if (dev != null) {
                devSet = ConllReader.read(dev);
            } else {
                int cut = Math.max(1, trainSet.size() - Math.max(1, trainSet.size() / 10));
                devSet = trainSet.subList(cut, trainSet.size());
                trainSet = trainSet.subList(0, cut);
            }
            out.printf("== ner: %s (%d sentences) / dev %s (%d sentences)%n",
                    train, trainSet.size(), dev != null ? dev : "last 10% of train", devSet.size());
        } else {
            if (dev != null) {
                throw new IllegalArgumentException("ner: --dev needs --train");
            }
            SyntheticCorpus.Splits splits = SyntheticCorpus.generate(trainSize, devSize, common.seed());
            trainSet = splits.train();
            devSet = splits.dev();
            out.printf("== ner: generated corpus, %d train / %d dev sentences (seed %d; half the dev names and a third of the dev templates unseen in train)%n",
                    trainSet.size(), devSet.size(), common.seed());
        }
        out.println("   e.g. " + trainSet.get(0));
        NerTrainer.Options options =
                new NerTrainer.Options(
                        epochs,
                        batchSize,
                        learningRate,
                        wordDropout,
                        new NerConfig(embedding, 16, hidden, dropout, true),
                        common.seed());
        BioSpans.Score baseline = MajorityTagBaseline.fit(trainSet).score(devSet);
        NerTrainer.Result result = NerTrainer.train(trainSet, devSet, options, out);
        Path modelDir = outDir.resolve("zoo").resolve(NerModels.NAME);
        Path plot = outDir.resolve("ner-loss.png");
        try (ai.djl.Model trained = result.model()) {
            BioSpans.Score s = result.dev();
            out.printf("dev: token accuracy %.4f, entity precision %.4f, recall %.4f, F1 %.4f (%d gold entities)%n",
                    s.tokenAccuracy(), s.precision(), s.recall(), s.f1(), s.goldCount());
            out.printf("dev entity F1: BiLSTM-CRF %.4f | untrained (epoch 0) %.4f | baseline %.4f (most frequent train tag per word, O for unseen words; token accuracy %.4f)%n",
                    s.f1(), untrainedF1(result), baseline.f1(), baseline.tokenAccuracy());
            NerModels.save(trained, result.vocab(), modelDir);
            out.println("saved model: " + modelDir);
            LinePlot.write(
                    plot,
                    String.format("NER: CRF loss and dev entity F1 per epoch (baseline F1 %.2f)", baseline.f1()),
                    0,
                    new LinePlot.Series("train loss", result.epochs().stream().map(NerTrainer.Epoch::loss).toList(), new Color(200, 60, 40)),
                    new LinePlot.Series("dev F1 (right axis)", result.epochs().stream().map(NerTrainer.Epoch::devF1).toList(), new Color(40, 90, 200)));
            out.println("loss plot: " + plot);
        }
        double reloadedF1 = reloadAndTag(devSet, out);
        double seconds = (System.nanoTime() - begin) / 1e9;
        return new Summary(result.dev().f1(), untrainedF1(result), baseline.f1(), result.dev().tokenAccuracy(), reloadedF1,
                trainSet.size(), devSet.size(), seconds, modelDir, plot);
    }

    private static double untrainedF1(NerTrainer.Result result) {
        return result.epochs().get(0).devF1();
    }

    private double reloadAndTag(List<Sentence> devSet, PrintStream out) throws Exception {
        Criteria<String, TaggedSentence> criteria =
                Criteria.builder()
                        .setTypes(String.class, TaggedSentence.class)
                        .optGroupId(SamplesModelZoo.GROUP_ID)
                        .optArtifactId(NerModels.NAME)
                        .optEngine("PyTorch")
                        .build();
        try (ZooModel<String, TaggedSentence> model = criteria.loadModel();
                Predictor<String, TaggedSentence> predictor = model.newPredictor()) {
            List<String> inputs = devSet.stream().map(s -> String.join(" ", s.tokens())).toList();
            BioSpans.Score score = new BioSpans.Score();
            for (int from = 0; from < inputs.size(); from += 64) {
                List<TaggedSentence> tagged = predictor.batchPredict(inputs.subList(from, Math.min(inputs.size(), from + 64)));
                for (int i = 0; i < tagged.size(); i++) {
                    score.add(devSet.get(from + i).tags(), tagged.get(i).tags());
                }
            }
            out.printf("reloaded through Criteria (artifact %s:%s): dev entity F1 %.4f%n",
                    SamplesModelZoo.GROUP_ID, NerModels.NAME, score.f1());
            for (int i = 0; i < Math.min(show, inputs.size()); i++) {
                out.println("   " + predictor.predict(inputs.get(i)));
            }
            return score.f1();
        }
    }
}
