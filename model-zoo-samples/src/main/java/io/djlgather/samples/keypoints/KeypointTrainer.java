package io.djlgather.samples.keypoints;

import ai.djl.Model;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.modality.cv.output.Joints;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.djlgather.ext.cv.Padding;
import io.djlgather.ext.cv.PixelGather;
import io.djlgather.samples.keypoints.CornerDetector.Point;
import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Self-supervised training of the keypoint backbone, offline, through djl-gather's {@link
 * PixelGather#sampleBilinear}: each step generates scenes with {@link TestImages#scene}, makes a
 * second image of each with {@link TestImages#perturbed} under random settings of the evaluation's
 * perturbation family, detects corners in the first, runs both images through the backbone, reads
 * the features at the corners and at their shifted positions with sampleBilinear (differentiable
 * w.r.t. the feature map, so the gradient reaches every convolution), and takes one Adam step on
 * the {@link InfoNceLoss} of the two sets (matching points positive, the pair's other points
 * negative).
 *
 * <p>Training scenes use seeds {@code seed + 1000 + 2k} and their noise {@code seed + 1001 + 2k}
 * (k = 0, 1, ...), never {@code seed} or {@code seed + 1}, the evaluation pair's scene and noise
 * seeds: the evaluation pair is held out. The same options give the same weights (the samples run
 * PyTorch on one thread).
 */
public final class KeypointTrainer {

    /** Offset of the training scene seeds from the run's seed (evaluation uses seed, seed + 1). */
    public static final long SEED_OFFSET = 1000;

    private KeypointTrainer() {}

    /**
     * Training settings.
     *
     * @param steps Adam steps (0: no training)
     * @param size side of the generated training images in pixels
     * @param pairs image pairs per step
     * @param keypoints most corners per training image
     * @param learningRate Adam's learning rate
     * @param temperature InfoNCE temperature
     * @param maxShift largest shift of the second image, in pixels, per axis
     * @param seed the run's seed
     */
    public record Options(
            int steps, int size, int pairs, int keypoints, float learningRate, float temperature, int maxShift, long seed) {

        /**
         * The defaults for a number of steps: 96-pixel images, 2 pairs per step, up to 32 corners
         * each, learning rate 1e-3, temperature 0.1, shifts up to 8 pixels.
         *
         * @param steps Adam steps
         * @param seed the run's seed
         * @return the options
         */
        public static Options of(int steps, long seed) {
            return new Options(steps, 96, 2, 32, 1e-3f, 0.1f, 8, seed);
        }
    }

    /**
     * What training did.
     *
     * @param losses the loss of each step
     * @param pairs image pairs seen
     * @param seconds wall time
     */
    public record Result(List<Double> losses, int pairs, double seconds) {

        /** Mean loss of the first tenth of the steps (at least one). */
        public double firstLoss() {
            return mean(losses.subList(0, Math.max(1, losses.size() / 10)));
        }

        /** Mean loss of the last tenth of the steps (at least one). */
        public double lastLoss() {
            return mean(losses.subList(losses.size() - Math.max(1, losses.size() / 10), losses.size()));
        }

        private static double mean(List<Double> xs) {
            return xs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        }
    }

    /**
     * Trains the model's block in place.
     *
     * @param model a backbone from {@link KeypointModels#create}
     * @param options the settings
     * @param out where progress is printed
     * @return the losses and time
     */
    public static Result train(Model model, Options options, PrintStream out) {
        long begin = System.nanoTime();
        List<Double> losses = new ArrayList<>();
        if (options.steps() <= 0) {
            return new Result(losses, 0, 0);
        }
        Random random = new Random(options.seed() + SEED_OFFSET - 1);
        InfoNceLoss loss = new InfoNceLoss(options.temperature());
        DefaultTrainingConfig config =
                new DefaultTrainingConfig(loss)
                        .optOptimizer(
                                Optimizer.adam()
                                        .optLearningRateTracker(Tracker.fixed(options.learningRate()))
                                        .build());
        int pairs = 0;
        int every = Math.max(1, options.steps() / 5);
        try (Trainer trainer = model.newTrainer(config)) {
            int imageSize = Integer.parseInt(model.getProperty("imageSize"));
            trainer.initialize(new Shape(1, 3, imageSize, imageSize));
            for (int step = 0; step < options.steps(); step++) {
                try (NDManager manager = model.getNDManager().newSubManager()) {
                    List<Pair> batch = new ArrayList<>();
                    for (int p = 0; p < options.pairs(); p++) {
                        batch.add(pair(options, random, (long) step * options.pairs() + p));
                    }
                    NDList images = new NDList();
                    for (Pair pair : batch) {
                        images.add(KeypointTranslator.normalise(manager, ImageFactory.getInstance().fromImage(pair.a)));
                        images.add(KeypointTranslator.normalise(manager, ImageFactory.getInstance().fromImage(pair.b)));
                    }
                    // shape: (2P, 3, S, S), first and second image of each pair side by side
                    NDArray input = NDArrays.concat(images, 0);
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        // shape: (2P, C, h, w)
                        NDArray map = trainer.forward(new NDList(input)).singletonOrThrow();
                        int h = (int) map.getShape().get(2);
                        int w = (int) map.getShape().get(3);
                        NDArray total = null;
                        int used = 0;
                        for (int p = 0; p < batch.size(); p++) {
                            Pair pair = batch.get(p);
                            if (pair.pointsA.size() < 2) {
                                continue; // a flat scene: nothing to contrast
                            }
                            used++;
                            // shape: (2, N, 2) as (x, y) on the map, the corners of a and where they moved in b
                            NDArray points = PixelGather.pixelPoints(
                                    manager, List.of(joints(pair.pointsA, options.size()), joints(pair.pointsB, options.size())), h, w);
                            // shape: (2, N, C)
                            NDArray features = PixelGather.sampleBilinear(
                                    map.get(2 * p + ":" + (2 * p + 2)), points, Padding.BORDER);
                            NDArray l = loss.evaluate(new NDList(), new NDList(features.get(0), features.get(1)));
                            total = total == null ? l : total.add(l);
                        }
                        if (total == null) {
                            continue;
                        }
                        NDArray mean = total.div(used);
                        collector.backward(mean);
                        losses.add((double) mean.getFloat());
                    }
                    trainer.step();
                    pairs += batch.size();
                }
                if ((step + 1) % every == 0 || step + 1 == options.steps()) {
                    int from = Math.max(0, losses.size() - every);
                    out.printf("   train step %d/%d: InfoNCE loss %.3f (mean of the last %d steps), %.1f s%n",
                            step + 1, options.steps(),
                            losses.subList(from, losses.size()).stream().mapToDouble(Double::doubleValue).average().orElse(0),
                            losses.size() - from, (System.nanoTime() - begin) / 1e9);
                }
            }
        }
        return new Result(losses, pairs, (System.nanoTime() - begin) / 1e9);
    }

    /** One training pair: a scene, its perturbed copy, corners of the scene and where they moved. */
    private record Pair(BufferedImage a, BufferedImage b, List<Point> pointsA, List<Point> pointsB) {}

    private static Pair pair(Options o, Random random, long k) {
        long sceneSeed = o.seed() + SEED_OFFSET + 2 * k;
        BufferedImage a = TestImages.scene(o.size(), o.size(), sceneSeed);
        int dx = random.nextInt(2 * o.maxShift() + 1) - o.maxShift();
        int dy = random.nextInt(2 * o.maxShift() + 1) - o.maxShift();
        double blur = 1.6 * random.nextDouble();
        double contrast = 0.75 + 0.4 * random.nextDouble();
        double brightness = -25 + 50 * random.nextDouble();
        double gamma = Math.exp(Math.log(0.6) + (Math.log(1.8) - Math.log(0.6)) * random.nextDouble());
        double noise = 0.1 * random.nextDouble();
        BufferedImage b = TestImages.perturbed(a, dx, dy, blur, contrast, brightness, gamma, noise, sceneSeed + 1);
        int margin = Math.max(Math.abs(dx), Math.abs(dy)) + 4;
        List<Point> pointsA = CornerDetector.detect(a, o.keypoints(), 4, margin);
        List<Point> pointsB = pointsA.stream().map(p -> new Point(p.x() + dx, p.y() + dy)).toList();
        return new Pair(a, b, pointsA, pointsB);
    }

    private static Joints joints(List<Point> points, int size) {
        List<Joints.Joint> joints = new ArrayList<>(points.size());
        for (Point p : points) {
            joints.add(new Joints.Joint(p.x() / (double) (size - 1), p.y() / (double) (size - 1), 1.0));
        }
        return new Joints(joints);
    }
}
