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
import io.djlgather.samples.ner.TagScheme;
import io.djlgather.samples.ner.TaggedSentence;
import io.djlgather.samples.ner.Wnut17;
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
            "Trains a BiLSTM-CRF sequence labeler (word, word-shape and character-CNN features) with DJL's Trainer and djl-gather's CrfLoss, reports dev token "
                    + "accuracy and entity F1 (before training, after each epoch, and for a most-frequent-tag-per-word "
                    + "baseline on the same split), saves it to the samples' model zoo, reloads it through Criteria "
                    + "and tags a few dev sentences with Viterbi.",
            "Data: CoNLL-style or CoNLL-U files (token first and tag last column unless --token-column/--tag-column say otherwise, "
                    + "blank line between sentences; -DOCSTART- and leading # lines skipped), the committed WNUT 2017 splits (--real), "
                    + "or with no --train a generated corpus "
                    + "(PER/LOC/ORG/DATE, fixed seed) made to be hard: half of the dev names and a third of the dev "
                    + "templates unseen in train, surnames that are also places, organisations named after people "
                    + "and places, years that are dates or quantities, titles and sentence starts in capitals, "
                    + "lower-case and upper-case sentences."
        })
public final class NerCommand implements Callable<Integer> {

    @Mixin SampleOptions common = new SampleOptions();

    @Option(names = "--train", paramLabel = "FILE", description = "CoNLL-style training file (default: generated corpus). Real text, like --real: the settings tuned on real text apply unless given.")
    Path train;

    @Option(names = "--dev", paramLabel = "FILE", description = "CoNLL-style dev file (default: the last 10%% of --train, or the generated dev split).")
    Path dev;

    @Option(names = "--real", description = "Train on the committed WNUT 2017 train split (social-media text, 3,393 sentences, CC BY 4.0) and score its dev split (1,009 sentences), "
            + "with the settings tuned on real text unless given (as for --train): --epochs 20 --batch-size 16 --lr 0.003 --embedding 64 --hidden 150 --dropout 0.5 "
            + "--word-dropout 0.05 --entity-word-dropout 0.5 (--train: auto) --recall-cost 2 --char-dim 30 --char-filters 80 --min-count 2 --lowercase --case-dropout 0.25 "
            + "--lr-decay 0.9 --average-from 11 (the second half of the epochs).")
    boolean real;

    @Option(names = "--scheme", paramLabel = "IOB1|BIO|BIOES", description = "Entity tag scheme of the files (default: detected from the tags where they tell; "
            + "BIOES also reads BILOU). Tags are converted to --encode-as; a sentence the scheme does not allow is an error naming its file, line and transition.")
    TagScheme scheme;

    @Option(names = "--encode-as", paramLabel = "BIO|BIOES", defaultValue = "BIO", description = "Scheme the tagger learns and the CRF constrains (default: ${DEFAULT-VALUE}).")
    TagScheme encodeAs;

    @Option(names = "--token-column", paramLabel = "N", defaultValue = "1", description = "Column of the token, 1-based as CoNLL-U numbers them (CoNLL-U: 2, FORM); "
            + "when not 1, column 1 is read as CoNLL-U's ID and multi-word-token (3-4) and empty-node (3.1) lines are skipped (default: ${DEFAULT-VALUE}).")
    int tokenColumn;

    @Option(names = "--tag-column", paramLabel = "N", defaultValue = "0", description = "Column of the tag, 1-based (CoNLL-U: 4 for UPOS, or any column); 0 = the last column (default: ${DEFAULT-VALUE}).")
    int tagColumn;

    @Option(names = "--train-size", defaultValue = "1500", description = "Generated train sentences (default: ${DEFAULT-VALUE}).")
    int trainSize;

    @Option(names = "--dev-size", defaultValue = "300", description = "Generated dev sentences (default: ${DEFAULT-VALUE}).")
    int devSize;

    @Option(names = "--epochs", description = "Training epochs (default: 8; real text: 20).")
    Integer epochs;

    @Option(names = "--batch-size", description = "Sentences per training step (default: 32; real text: 16).")
    Integer batchSize;

    @Option(names = "--lr", description = "Adam learning rate (default: 0.01; real text: 0.003).")
    Float learningRate;

    @Option(names = "--embedding", description = "Word embedding size (default: 48; real text: 64).")
    Integer embedding;

    @Option(names = "--hidden", description = "LSTM state size per direction (default: 64; real text: 150).")
    Integer hidden;

    @Option(names = "--dropout", description = "Dropout on embeddings, characters and LSTM output (default: 0.25; real text: 0.5).")
    Float dropout;

    @Option(names = "--word-dropout", description = "Probability of hiding a training word as unknown (default: 0.1; real text: 0.05).")
    Float wordDropout;

    @Option(names = "--char-dim", description = "Character embedding size of the character CNN; 0 switches character features off (default: 16; real text: 30).")
    Integer charDim;

    @Option(names = "--char-filters", description = "Filters (width 3) of the character CNN, max-pooled over each word (default: 32; real text: 80).")
    Integer charFilters;

    @Option(names = "--min-count", description = "Least count of a training word for its own embedding (default: 1; real text: 2).")
    Integer minCount;

    @Option(names = "--lowercase", negatable = true, description = "Lower-case words before the embedding lookup (default: off; real text: on).")
    Boolean lowercase;

    @Option(names = "--keep-best", negatable = true, description = "Keep the epoch with the best dev entity F1 (chosen on dev) instead of the last (default: off).")
    Boolean keepBest;

    @Option(names = "--case-dropout", description = "Probability of reading a training sentence lower-cased, so that names are not found by their capitals alone (default: 0; real text: 0.25).")
    Float caseDropout;

    @Option(names = "--lr-decay", description = "Factor by which the Adam learning rate is multiplied after each epoch; 1 keeps it fixed (default: 1; real text: 0.9).")
    Float lrDecay;

    @Option(names = "--average-from", description = "Return the mean of the parameters after this epoch and every later one (weight averaging, chosen before training, not on dev); 0 returns the last epoch's (default: 0; real text: the second half of the epochs, epochs / 2 + 1, unless --keep-best is given).")
    Integer averageFrom;

    @Option(names = "--entity-word-dropout", paramLabel = "P|auto", converter = RateOrAuto.class,
            description = "Probability of hiding a training word inside an entity as unknown, so that names are found without their word; auto estimates it"
                    + " from the training file (leave-one-out: as often as new text from the same source would have entity words the tagger does not know)"
                    + " (default: 0, --word-dropout applies; --real: 0.5, since WNUT 2017's dev and test entities were chosen to be new; --train: auto).")
    Float entityWordDropout;

    /** Reads a probability, or {@code auto} as {@link NerTrainer.Options#AUTO}. */
    static final class RateOrAuto implements picocli.CommandLine.ITypeConverter<Float> {
        @Override
        public Float convert(String value) {
            return value.equalsIgnoreCase("auto") ? NerTrainer.Options.AUTO : Float.valueOf(value);
        }
    }

    @Option(names = "--recall-cost", description = "Training cost of tagging an entity token O, added to its O score in the CRF's partition function (softmax-margin), so that the tagger misses fewer entities (default: 0; real text: 2).")
    Float recallCost;

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
        this.encodeAs = TagScheme.BIO;
        this.tokenColumn = 1;
        this.tagColumn = 0;
        this.show = 5;
        return this;
    }

    private static <T> T or(T given, T normal, T forReal, boolean real) {
        return given != null ? given : real ? forReal : normal;
    }

    /**
     * The training settings: the options given, else the defaults (those tuned on real text with
     * {@code --real} or {@code --train}, those of the generated corpus without).
     */
    NerTrainer.Options options() {
        boolean realText = real || train != null;
        int charDims = or(charDim, 16, 30, realText);
        NerConfig config = new NerConfig(
                or(embedding, 48, 64, realText), 16, or(hidden, 64, 150, realText), or(dropout, 0.25f, 0.5f, realText), true,
                charDims, charDims == 0 ? 0 : or(charFilters, 32, 80, realText), 3);
        int passes = or(epochs, 8, 20, realText);
        boolean best = Boolean.TRUE.equals(keepBest);
        return new NerTrainer.Options(
                passes, or(batchSize, 32, 16, realText), or(learningRate, 0.01f, 0.003f, realText),
                or(wordDropout, 0.1f, 0.05f, realText), config, common.seed(),
                or(minCount, 1, 2, realText), or(lowercase, false, true, realText), best,
                or(caseDropout, 0f, 0.25f, realText), or(lrDecay, 1f, 0.9f, realText),
                or(averageFrom, 0, best || passes == 0 ? 0 : passes / 2 + 1, realText),
                or(entityWordDropout, 0f, real ? 0.5f : NerTrainer.Options.AUTO, realText), or(recallCost, 0f, 2f, realText));
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
        if (encodeAs == TagScheme.IOB1) {
            throw new IllegalArgumentException("ner: --encode-as must be BIO or BIOES; expected BIO or BIOES, got IOB1");
        }
        ConllReader.Columns columns = new ConllReader.Columns(tokenColumn, tagColumn);
        if (real) {
            if (train != null || dev != null) {
                throw new IllegalArgumentException("ner: --real reads the committed WNUT 2017 splits; expected no --train/--dev with it, got "
                        + (train != null ? "--train " + train : "--dev " + dev));
            }
            trainSet = ConllReader.convert(Wnut17.train(), scheme, encodeAs).sentences();
            devSet = ConllReader.convert(Wnut17.dev(), scheme, encodeAs).sentences();
            out.printf("== ner --real: WNUT 2017 train (%d sentences) / dev (%d sentences), CC BY 4.0 (Derczynski et al. 2017); tags as %s%n",
                    trainSet.size(), devSet.size(), encodeAs);
        } else if (train != null) {
            trainSet = ConllReader.convert(ConllReader.read(train, columns), scheme, encodeAs).sentences();
            if (dev != null) {
                devSet = ConllReader.convert(ConllReader.read(dev, columns), scheme, encodeAs).sentences();
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
        NerTrainer.Options options = options();
        BioSpans.Score baseline = MajorityTagBaseline.fit(trainSet).score(devSet);
        NerTrainer.Result result = NerTrainer.train(trainSet, devSet, options, out);
        out.printf("training: %.1f s for %d epochs, dev scoring included (%d train sentences, batch %d, %d PyTorch thread(s))%n",
                result.epochs().stream().skip(1).mapToDouble(NerTrainer.Epoch::seconds).sum(), options.epochs(),
                trainSet.size(), options.batchSize(), ai.djl.engine.Engine.getInstance().getEngineName().equals("PyTorch")
                        ? Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors())
                        : Runtime.getRuntime().availableProcessors());
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
