package io.djlgather.samples.ner;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.Batch;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.training.util.ProgressBar;
import ai.djl.translate.TranslateException;
import io.djlgather.ext.nlp.CrfLoss;
import ai.djl.MalformedModelException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Trains a {@link NerTaggerBlock} with DJL's {@link Trainer} and {@link CrfLoss}, printing DJL's
 * progress bar and one line per epoch with the dev scores. {@link TrainingListener}s passed to
 * {@link #train(List, List, Options, PrintStream, TrainingListener...)} hear {@code
 * onTrainingBegin}, {@code onEpoch} after each epoch's dev scoring, and {@code onTrainingEnd}, as
 * under DJL's {@code EasyTrain}.
 */
public final class NerTrainer {

    private NerTrainer() {}

    /**
     * Training settings.
     *
     * @param epochs passes over the training data
     * @param batchSize sentences per step
     * @param learningRate Adam's learning rate
     * @param wordDropout probability of hiding a word as unknown during training
     * @param config the tagger's sizes
     * @param seed seed of DJL's initialisation, shuffling and word dropout
     * @param minCount the least number of times a training word must occur to get its own
     *     embedding (rarer words are unknown, like unseen ones)
     * @param lowercase whether words are lower-cased before the embedding lookup
     * @param keepBest whether the model returned is the one of the epoch with the best dev
     *     entity F1 (chosen on dev, so its dev F1 is a selected figure) instead of the last
     * @param caseDropout probability of reading a training sentence lower-cased
     * @param lrDecay factor by which Adam's learning rate is multiplied after each epoch (epoch
     *     {@code e}, counted from 1, trains at {@code learningRate * lrDecay^(e-1)}); 1 keeps it
     *     fixed
     * @param averageFrom first epoch whose parameters enter a running average (0: none); with it
     *     the model returned holds the mean of the parameters after epochs {@code averageFrom}
     *     to the last (weight averaging as in Izmailov et al. 2018, "Averaging weights leads to
     *     wider optima"), chosen by no dev figure, and each epoch from then on also reports the
     *     averaged model's dev F1
     * @param entityWordDropout probability of hiding a training word inside a gold entity as
     *     unknown, when larger than {@code wordDropout} (0: {@code wordDropout} applies there
     *     too; {@link #AUTO}: estimated from the training sentences by {@link
     *     NerDataset#estimateEntityWordDropout}); see {@link
     *     NerDataset.Builder#optEntityWordDropout}
     * @param recallCost what a path pays in training per entity token it tags {@code O} (0:
     *     plain likelihood); see {@link RecallCostCrfLoss}. The training loss reported per epoch
     *     is this objective, cost included
     */
    public record Options(
            int epochs,
            int batchSize,
            float learningRate,
            float wordDropout,
            NerConfig config,
            long seed,
            int minCount,
            boolean lowercase,
            boolean keepBest,
            float caseDropout,
            float lrDecay,
            int averageFrom,
            float entityWordDropout,
            float recallCost) {

        /**
         * Checks the rates, the decay and the averaging start.
         *
         * @throws IllegalArgumentException if {@code entityWordDropout} is neither {@link #AUTO}
         *     nor in [0, 1), {@code recallCost} is negative or not finite, {@code lrDecay} is
         *     outside (0, 1], or {@code averageFrom} is outside [0, epochs] or combined with
         *     {@code keepBest}
         */
        public Options {
            if (!(entityWordDropout == AUTO || entityWordDropout >= 0 && entityWordDropout < 1)) {
                throw new IllegalArgumentException("NerTrainer.Options: entityWordDropout is out of range; expected [0, 1) or AUTO (-1), got "
                        + entityWordDropout);
            }
            if (!(recallCost >= 0 && Float.isFinite(recallCost))) {
                throw new IllegalArgumentException("NerTrainer.Options: recallCost is out of range; expected a finite cost >= 0, got "
                        + recallCost);
            }
            if (!(lrDecay > 0 && lrDecay <= 1)) {
                throw new IllegalArgumentException("NerTrainer.Options: lrDecay is out of range; expected (0, 1], got " + lrDecay);
            }
            if (averageFrom < 0 || averageFrom > epochs) {
                throw new IllegalArgumentException("NerTrainer.Options: averageFrom is out of range; expected 0 (off) to epochs ("
                        + epochs + "), got " + averageFrom);
            }
            if (averageFrom > 0 && keepBest) {
                throw new IllegalArgumentException("NerTrainer.Options: averageFrom and keepBest exclude each other; expected one of"
                        + " them, got averageFrom " + averageFrom + " with keepBest");
            }
        }

        /** {@link #entityWordDropout()} to be estimated from the training sentences. */
        public static final float AUTO = -1f;

        /**
         * Options without weight averaging.
         *
         * @param epochs passes over the training data
         * @param batchSize sentences per step
         * @param learningRate Adam's learning rate
         * @param wordDropout probability of hiding a word as unknown during training
         * @param config the tagger's sizes
         * @param seed seed of DJL's initialisation, shuffling and word dropout
         * @param minCount the least count of a word for its own embedding
         * @param lowercase whether words are lower-cased before the embedding lookup
         * @param keepBest whether the best dev epoch is kept instead of the last
         * @param caseDropout probability of reading a training sentence lower-cased
         * @param lrDecay factor applied to the learning rate after each epoch
         */
        public Options(int epochs, int batchSize, float learningRate, float wordDropout, NerConfig config, long seed,
                int minCount, boolean lowercase, boolean keepBest, float caseDropout, float lrDecay) {
            this(epochs, batchSize, learningRate, wordDropout, config, seed, minCount, lowercase, keepBest, caseDropout, lrDecay, 0, 0f, 0f);
        }

        /**
         * Options with a fixed learning rate.
         *
         * @param epochs passes over the training data
         * @param batchSize sentences per step
         * @param learningRate Adam's learning rate
         * @param wordDropout probability of hiding a word as unknown during training
         * @param config the tagger's sizes
         * @param seed seed of DJL's initialisation, shuffling and word dropout
         * @param minCount the least count of a word for its own embedding
         * @param lowercase whether words are lower-cased before the embedding lookup
         * @param keepBest whether the best dev epoch is kept instead of the last
         * @param caseDropout probability of reading a training sentence lower-cased
         */
        public Options(int epochs, int batchSize, float learningRate, float wordDropout, NerConfig config, long seed,
                int minCount, boolean lowercase, boolean keepBest, float caseDropout) {
            this(epochs, batchSize, learningRate, wordDropout, config, seed, minCount, lowercase, keepBest, caseDropout, 1f);
        }

        /**
         * Options without case dropout.
         *
         * @param epochs passes over the training data
         * @param batchSize sentences per step
         * @param learningRate Adam's learning rate
         * @param wordDropout probability of hiding a word as unknown during training
         * @param config the tagger's sizes
         * @param seed seed of DJL's initialisation, shuffling and word dropout
         * @param minCount the least count of a word for its own embedding
         * @param lowercase whether words are lower-cased before the embedding lookup
         * @param keepBest whether the best dev epoch is kept instead of the last
         */
        public Options(int epochs, int batchSize, float learningRate, float wordDropout, NerConfig config, long seed,
                int minCount, boolean lowercase, boolean keepBest) {
            this(epochs, batchSize, learningRate, wordDropout, config, seed, minCount, lowercase, keepBest, 0f);
        }

        /**
         * Options with every training word in the vocabulary, case kept, and the last epoch's
         * model.
         *
         * @param epochs passes over the training data
         * @param batchSize sentences per step
         * @param learningRate Adam's learning rate
         * @param wordDropout probability of hiding a word as unknown during training
         * @param config the tagger's sizes
         * @param seed seed of DJL's initialisation, shuffling and word dropout
         */
        public Options(int epochs, int batchSize, float learningRate, float wordDropout, NerConfig config, long seed) {
            this(epochs, batchSize, learningRate, wordDropout, config, seed, 1, false, false, 0f);
        }
    }

    /**
     * One epoch's figures.
     *
     * @param epoch epoch number: 0 is the untrained model (scored before the first step), 1..n
     *     after each pass
     * @param loss mean training CRF loss (negative log-likelihood per sentence); for epoch 0 the
     *     loss of the untrained model on the training sentences (no dropout)
     * @param devTokenAccuracy token accuracy on dev
     * @param devF1 entity F1 on dev
     * @param seconds wall time of the epoch, evaluation included
     * @param averagedDevF1 entity F1 on dev of the parameters averaged so far ({@link
     *     Options#averageFrom()}), NaN before averaging starts or without it
     */
    public record Epoch(int epoch, double loss, double devTokenAccuracy, double devF1, double seconds, double averagedDevF1) {

        /** An epoch without an averaged model. */
        public Epoch(int epoch, double loss, double devTokenAccuracy, double devF1, double seconds) {
            this(epoch, loss, devTokenAccuracy, devF1, seconds, Double.NaN);
        }
    }

    /**
     * What training produced; the caller closes the model.
     *
     * @param model the trained model (block: {@link NerTaggerBlock})
     * @param vocab the tables
     * @param epochs per-epoch figures, starting with epoch 0 (untrained)
     * @param dev the final dev scores (of the model returned: the best epoch's with {@link
     *     Options#keepBest()}, the averaged one with {@link Options#averageFrom()})
     * @param bestEpoch the epoch whose parameters the model holds (the last one unless {@link
     *     Options#keepBest()}; 0 when there was no epoch)
     */
    public record Result(Model model, Vocab vocab, List<Epoch> epochs, BioSpans.Score dev, int bestEpoch) {}

    /**
     * Builds the vocabulary, scores the untrained model (epoch 0), trains, and scores dev after
     * each epoch.
     *
     * @param train training sentences
     * @param dev dev sentences
     * @param options the settings
     * @param out where progress goes
     * @return the trained model and its figures
     * @throws IOException if reading a batch fails
     * @throws TranslateException if batching fails
     */
    public static Result train(List<Sentence> train, List<Sentence> dev, Options options, PrintStream out)
            throws IOException, TranslateException {
        return train(train, dev, options, out, new TrainingListener[0]);
    }

    /**
     * {@link #train(List, List, Options, PrintStream)} with listeners on DJL's {@link Trainer}:
     * each hears {@code onTrainingBegin}, {@code onEpoch} once per epoch (after the epoch's dev
     * scoring, so a listener sees what the epoch left behind) and {@code onTrainingEnd}; no batch
     * events.
     *
     * @param train training sentences
     * @param dev dev sentences
     * @param options the settings
     * @param out where progress goes
     * @param listeners listeners added to the training config
     * @return the trained model and its figures
     * @throws IOException if reading a batch fails
     * @throws TranslateException if batching fails
     */
    public static Result train(
            List<Sentence> train, List<Sentence> dev, Options options, PrintStream out, TrainingListener... listeners)
            throws IOException, TranslateException {
        Engine.getInstance().setRandomSeed((int) options.seed());
        Vocab vocab = Vocab.build(train, options.minCount(), options.lowercase());
        NerConfig config = options.config();
        if (config.bioConstraints() && !NerTaggerBlock.hasScheme(vocab.tags())) {
            config = config.withConstraints(false);
        }
        NerTaggerBlock block = new NerTaggerBlock(vocab, config);
        requireAllowed(block.crf(), vocab, train);
        float entityWordDropout = options.entityWordDropout();
        if (entityWordDropout == Options.AUTO) {
            entityWordDropout = NerDataset.estimateEntityWordDropout(train, options.minCount(), options.lowercase());
            out.printf("entity word dropout %.4f, estimated from train (leave-one-out: entity words new text would not know;"
                    + " entity words are hidden at the larger of it and --word-dropout %.2f)%n", entityWordDropout, options.wordDropout());
        }
        Model model = Model.newInstance("ner-bilstm-crf");
        model.setBlock(block);
        NerDataset trainSet =
                NerDataset.builder()
                        .setSentences(train, vocab)
                        .optWordDropout(options.wordDropout(), options.seed())
                        .optCaseDropout(options.caseDropout())
                        .optEntityWordDropout(entityWordDropout)
                        .setSampling(options.batchSize(), true)
                        .build();
        DefaultTrainingConfig trainingConfig =
                new DefaultTrainingConfig(options.recallCost() > 0 && vocab.tags().contains("O")
                                ? new RecallCostCrfLoss(vocab.tagId("O"), options.recallCost())
                                : new CrfLoss())
                        .optOptimizer(
                                Optimizer.adam()
                                        .optLearningRateTracker(epochDecay(options, train.size()))
                                        .optClipGrad(5f)
                                        .build())
                        .addTrainingListeners(listeners);
        List<Epoch> epochs = new ArrayList<>();

        try (Trainer trainer = model.newTrainer(trainingConfig)) {
            trainer.initialize(
                    new Shape(options.batchSize(), 8),
                    new Shape(options.batchSize(), 8),
                    new Shape(options.batchSize(), 8, Vocab.MAX_WORD_CHARS));
            long batches = (train.size() + options.batchSize() - 1) / options.batchSize();
            long begin0 = System.nanoTime();
            double loss0 = meanLoss(block, trainer, NerDataset.builder()
                    .setSentences(train, vocab)
                    .setSampling(options.batchSize(), false)
                    .build(), model.getNDManager());
            BioSpans.Score s0 = evaluate(block, vocab, dev, model.getNDManager());
            Epoch untrained = new Epoch(0, loss0, s0.tokenAccuracy(), s0.f1(), (System.nanoTime() - begin0) / 1e9);
            epochs.add(untrained);
            int bestEpoch = 0;
            double bestF1 = Double.NEGATIVE_INFINITY;
            byte[] best = null;
            WeightAverage average = options.averageFrom() > 0 ? new WeightAverage(block) : null;
            out.printf(
                    "epoch 0/%d (untrained): train loss %.3f, dev token accuracy %.4f, dev entity F1 %.4f (%.1f s)%n",
                    options.epochs(), untrained.loss(), untrained.devTokenAccuracy(), untrained.devF1(), untrained.seconds());
            for (int e = 1; e <= options.epochs(); e++) {
                long begin = System.nanoTime();
                ProgressBar bar =
                        new ProgressBar("Epoch " + e + "/" + options.epochs(), batches);
                double lossSum = 0;
                long seen = 0;
                long step = 0;
                for (Batch batch : trainer.iterateDataset(trainSet)) {
                    try (batch) {
                        try (GradientCollector collector = trainer.newGradientCollector()) {
                            NDList predictions = trainer.forward(batch.getData(), batch.getLabels());
                            NDArray loss = trainer.getLoss().evaluate(batch.getLabels(), predictions);
                            collector.backward(loss);
                            lossSum += loss.getFloat() * batch.getSize();
                            seen += batch.getSize();
                        }
                        trainer.step();
                    }
                    bar.update(step++);
                }
                bar.end();
                BioSpans.Score s = evaluate(block, vocab, dev, model.getNDManager());
                double averagedF1 = Double.NaN;
                if (average != null && e >= options.averageFrom()) {
                    average.add();
                    average.swap();
                    averagedF1 = evaluate(block, vocab, dev, model.getNDManager()).f1();
                    average.swap();
                }
                double seconds = (System.nanoTime() - begin) / 1e9;
                Epoch epoch = new Epoch(e, lossSum / seen, s.tokenAccuracy(), s.f1(), seconds, averagedF1);
                epochs.add(epoch);
                out.printf(
                        "epoch %d/%d: train loss %.3f, dev token accuracy %.4f, dev entity F1 %.4f%s (%.1f s)%n",
                        e, options.epochs(), epoch.loss(), epoch.devTokenAccuracy(), epoch.devF1(),
                        Double.isNaN(averagedF1) ? "" : String.format(", averaged epochs %d-%d: %.4f", options.averageFrom(), e, averagedF1),
                        seconds);
                if (!options.keepBest()) {
                    bestEpoch = e;
                } else if (epoch.devF1() > bestF1) {
                    bestEpoch = e;
                    bestF1 = epoch.devF1();
                    best = snapshot(block);
                }
                trainer.notifyListeners(listener -> listener.onEpoch(trainer));
            }
            if (average != null) {
                average.swap();
                out.printf("kept the average of epochs %d-%d (chosen before training, not on dev)%n", options.averageFrom(), options.epochs());
            }
            if (options.keepBest() && best != null && bestEpoch != options.epochs()) {
                restore(block, best, model.getNDManager());
                out.printf("kept epoch %d (best dev entity F1 %.4f; chosen on dev)%n", bestEpoch, bestF1);
            }
            BioSpans.Score score = evaluate(block, vocab, dev, model.getNDManager());
            return new Result(model, vocab, epochs, score, bestEpoch);
        }
    }

    /**
     * Adam's learning rate per update: {@link Options#learningRate()} times {@link
     * Options#lrDecay()} to the number of whole epochs done before the update. DJL's Adam counts
     * updates from 1, per parameter.
     */
    private static Tracker epochDecay(Options options, long sentences) {
        if (options.lrDecay() == 1f) {
            return Tracker.fixed(options.learningRate());
        }
        long batches = Math.max(1, (sentences + options.batchSize() - 1) / options.batchSize());
        float base = options.learningRate();
        double decay = options.lrDecay();
        return numUpdate -> (float) (base * Math.pow(decay, Math.max(0, numUpdate - 1) / batches));
    }

    /**
     * Fails when a training sentence's gold path is one the CRF forbids: its loss would be
     * dominated by the forbidden-transition penalty, and training would go wrong without a word.
     *
     * @throws IllegalArgumentException naming the sentence, the token and the transition
     */
    static void requireAllowed(io.djlgather.ext.nlp.CrfBlock crf, Vocab vocab, List<Sentence> sentences) {
        boolean[][] allowed = crf.getAllowedTransitions();
        boolean[] start = crf.getAllowedStart();
        boolean[] end = crf.getAllowedEnd();
        for (int s = 0; s < sentences.size(); s++) {
            List<String> tags = sentences.get(s).tags();
            String problem = null;
            int at = 0;
            for (int t = 0; t < tags.size() && problem == null; t++) {
                int id = vocab.tagId(tags.get(t));
                if (t == 0 && !start[id]) {
                    problem = "<start> -> " + tags.get(t);
                } else if (t > 0 && !allowed[vocab.tagId(tags.get(t - 1))][id]) {
                    problem = tags.get(t - 1) + " -> " + tags.get(t);
                }
                at = t;
            }
            if (problem == null && !end[vocab.tagId(tags.get(tags.size() - 1))]) {
                problem = tags.get(tags.size() - 1) + " -> <end>";
                at = tags.size() - 1;
            }
            if (problem != null) {
                throw new IllegalArgumentException(String.format(
                        "NerTrainer.train: train sentence %d has a gold transition the CRF's constraints forbid; expected"
                                + " a path the tag scheme allows, got %s at token %d ('%s'); convert the file to BIO or BIOES"
                                + " (ner --scheme)",
                        s + 1, problem, at + 1, sentences.get(s).tokens().get(at)));
            }
        }
    }

    private static byte[] snapshot(NerTaggerBlock block) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream os = new DataOutputStream(bytes)) {
            block.saveParameters(os);
        }
        return bytes.toByteArray();
    }

    private static void restore(NerTaggerBlock block, byte[] saved, NDManager manager) throws IOException {
        try (DataInputStream is = new DataInputStream(new ByteArrayInputStream(saved))) {
            block.loadParameters(manager, is);
        } catch (MalformedModelException e) {
            throw new IOException("NerTrainer: cannot restore the best epoch's parameters", e);
        }
    }

    /**
     * Mean CRF loss per sentence of the block's current parameters, without dropout or gradients.
     * The parameter store lives in a manager closed on return: on another device than the
     * parameters', its copies of them would otherwise stay in {@code parent} for the model's life.
     */
    private static double meanLoss(NerTaggerBlock block, Trainer trainer, NerDataset data, NDManager parent)
            throws IOException, TranslateException {
        double sum = 0;
        long seen = 0;
        try (NDManager scope = parent.newSubManager()) {
            ParameterStore ps = new ParameterStore(scope, false);
            for (Batch batch : trainer.iterateDataset(data)) {
                try (batch) {
                    NDList predictions = block.forward(ps, batch.getData(), false);
                    sum += trainer.getLoss().evaluate(batch.getLabels(), predictions).getFloat() * batch.getSize();
                    seen += batch.getSize();
                }
            }
        }
        return sum / seen;
    }

    /**
     * Tags sentences with the block's current parameters and scores them against their tags.
     *
     * @param block the tagger
     * @param vocab the tables
     * @param sentences gold sentences
     * @param parent manager under which temporary arrays live; all of them, the parameter
     *     store's device copies included, are closed on return
     * @return the scores
     */
    public static BioSpans.Score evaluate(
            NerTaggerBlock block, Vocab vocab, List<Sentence> sentences, NDManager parent) {
        BioSpans.Score score = new BioSpans.Score();
        try (NDManager scope = parent.newSubManager()) {
            ParameterStore ps = new ParameterStore(scope, false);
            for (int from = 0; from < sentences.size(); from += 64) {
                List<Sentence> chunk = sentences.subList(from, Math.min(sentences.size(), from + 64));
                List<List<String>> tokens = chunk.stream().map(Sentence::tokens).toList();
                try (NDManager manager = scope.newSubManager()) {
                    NDList in = NerTagging.encodeBatch(manager, vocab, tokens);
                    NDList outputs = block.forward(ps, NerTagging.blockInputs(in), false);
                    List<TaggedSentence> tagged =
                            NerTagging.decode(block.crf(), outputs.get(0), in.get(2), vocab, tokens);
                    for (int i = 0; i < chunk.size(); i++) {
                        score.add(chunk.get(i).tags(), tagged.get(i).tags());
                    }
                }
            }
        }
        return score;
    }
}
