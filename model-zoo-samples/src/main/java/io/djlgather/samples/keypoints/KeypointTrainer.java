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
 * PixelGather#sampleBilinear}. Each step makes image pairs: the first image a random crop of a
 * real photograph ({@link Photos}, at a random scale) or of a generated scene ({@link
 * TestImages#scene}), alternately; the second the same source warped by a random homography
 * ({@link Homography#about}: rotation, scale, perspective, shift; warped with {@link Warp}, so
 * the second image has no empty border) and changed photometrically by {@link
 * TestImages#perturbed} under random settings; a third of the pairs are turned grey. It detects
 * corners in the first image, keeps those whose mapped position stays inside the second, runs both images through the backbone, reads the
 * features at the corners and at their sub-pixel mapped positions with sampleBilinear
 * (differentiable w.r.t. the feature map, so the gradient reaches every convolution), and takes one
 * Adam step on the {@link InfoNceLoss} of the two sets: matching points positive; the pair's other
 * points, and points 3 to 8 pixels beside each mapped position (hard negatives), negative.
 *
 * <p>Training scenes use seeds {@code seed + 1000 + 2k} (k = 0, 1, ...), never {@code seed} or
 * {@code seed + 1}, the evaluation pair's scene and noise seeds; the photos are the ones the
 * caller passes (the command passes every committed photo but the evaluation's: {@link
 * Photos#trainingSet}). The same options give the same pairs and, on one PyTorch thread, the
 * same weights (scalars that meet a tensor needing a gradient are made by PyTorch: see {@link
 * InfoNceLoss}'s {@code times}).
 */
public final class KeypointTrainer {

    /** Offset of the training scene seeds from the run's seed (evaluation uses seed, seed + 1). */
    public static final long SEED_OFFSET = 1000;

    private KeypointTrainer() {}

    /**
     * Training settings.
     *
     * @param steps Adam steps (0: no training)
     * @param size side of the training images in pixels
     * @param pairs image pairs per step
     * @param keypoints most corners per training image
     * @param learningRate Adam's learning rate
     * @param temperature InfoNCE temperature
     * @param maxShift largest shift of the second image, in pixels, per axis
     * @param seed the run's seed
     * @param maxRotate largest rotation of the second image, degrees either way
     * @param maxScaleChange scale of the second image drawn log-uniformly from [1 / this, this]
     * @param maxPerspective largest perspective term per axis (see {@link Homography#about})
     * @param photos the photographs to crop from (none: generated scenes only)
     */
    public record Options(
            int steps, int size, int pairs, int keypoints, float learningRate, float temperature, int maxShift, long seed,
            double maxRotate, double maxScaleChange, double maxPerspective, List<Photos.Photo> photos) {

        /**
         * The defaults for a number of steps: 96-pixel images, 2 pairs per step, up to 32 corners
         * each, learning rate 1e-3 (warmed up linearly from 1e-4 over the first tenth of the steps, at most 100;
         * gradients clipped to [-1, 1]), temperature 0.1, shifts up to 8 pixels, rotations up to 30
         * degrees, scales 0.7 to 1/0.7, perspective up to 0.1, every committed photo.
         *
         * @param steps Adam steps
         * @param seed the run's seed
         * @return the options
         */
        public static Options of(int steps, long seed) {
            return of(steps, seed, Photos.trainingSet(null));
        }

        /**
         * {@link #of(int, long)} with the photos to train on.
         *
         * @param steps Adam steps
         * @param seed the run's seed
         * @param photos the photos (none: generated scenes only)
         * @return the options
         */
        public static Options of(int steps, long seed, List<Photos.Photo> photos) {
            return new Options(steps, 96, 2, 32, 1e-3f, 0.1f, 8, seed, 30, 1 / 0.7, 0.1, List.copyOf(photos));
        }

        /**
         * Returns these options with another image size and pairs per step.
         *
         * @param newSize side of the training images
         * @param newPairs pairs per step
         * @return the options
         */
        public Options withSize(int newSize, int newPairs) {
            return new Options(steps, newSize, newPairs, keypoints, learningRate, temperature, maxShift, seed,
                    maxRotate, maxScaleChange, maxPerspective, photos);
        }
    }

    /**
     * What training did.
     *
     * @param losses the loss of each step
     * @param pairs image pairs seen
     * @param seconds wall time
     * @param skipped steps skipped because their loss was not finite (their losses are not in
     *     {@code losses})
     */
    public record Result(List<Double> losses, int pairs, double seconds, int skipped) {

        /** A result with no skipped step. */
        public Result(List<Double> losses, int pairs, double seconds) {
            this(losses, pairs, seconds, 0);
        }

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
                                        .optLearningRateTracker(Tracker.warmUp()
                                                .optWarmUpSteps(Math.max(1, Math.min(100, options.steps() / 10)))
                                                .optWarmUpBeginValue(options.learningRate() / 10)
                                                .setMainTracker(Tracker.fixed(options.learningRate()))
                                                .build())
                                        .optClipGrad(1f)
                                        .build());
        int pairs = 0;
        int skipped = 0;
        int every = Math.max(1, options.steps() / 5);
        try (Trainer trainer = model.newTrainer(config);
                NDManager sources = model.getNDManager().newSubManager()) {
            int imageSize = Integer.parseInt(model.getProperty("imageSize"));
            trainer.initialize(new Shape(1, 3, imageSize, imageSize));
            // shape: (1, 3, H, W) each, values in [0, 255]; converted once
            List<NDArray> photos = new ArrayList<>();
            for (Photos.Photo photo : options.photos()) {
                photos.add(Warp.toArray(sources, photo.image()));
            }
            for (int step = 0; step < options.steps(); step++) {
                try (NDManager manager = model.getNDManager().newSubManager()) {
                    List<Pair> batch = new ArrayList<>();
                    for (int p = 0; p < options.pairs(); p++) {
                        batch.add(pair(options, random, (long) step * options.pairs() + p, photos, manager));
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
                            int n = pair.pointsA.size();
                            if (n < 2) {
                                continue; // a flat crop: nothing to contrast
                            }
                            used++;
                            // shape: (1, N, 2) as (x, y) on the map: the corners of a
                            NDArray pointsA = PixelGather.pixelPoints(manager, joints(pair.pointsA, options.size()), h, w);
                            // shape: (1, 2N, 2): where they moved in b, then the hard negatives beside them
                            List<Homography.XY> inB = new ArrayList<>(pair.pointsB);
                            inB.addAll(pair.negativesB);
                            NDArray pointsB = PixelGather.pixelPoints(manager, joints(inB, options.size()), h, w);
                            // shape: (1, N, C) and (1, 2N, C)
                            NDArray fa = PixelGather.sampleBilinear(map.get((2 * p) + ":" + (2 * p + 1)), pointsA, Padding.BORDER);
                            NDArray fb = PixelGather.sampleBilinear(map.get((2 * p + 1) + ":" + (2 * p + 2)), pointsB, Padding.BORDER);
                            NDArray positives = fb.get(":, 0:" + n);
                            NDArray negatives = fb.get(":, " + n + ":");
                            NDArray l = loss.evaluate(new NDList(), new NDList(fa, positives, negatives));
                            total = total == null ? l : total.add(l);
                        }
                        if (total == null) {
                            continue;
                        }
                        // not total.div(used): see InfoNceLoss.times
                        NDArray mean = InfoNceLoss.times(total, 1f / used);
                        float value = mean.getFloat();
                        if (!Float.isFinite(value)) {
                            // one non-finite loss would make every weight NaN through its
                            // gradient (clipping keeps NaN), and the features garbage without a
                            // word: the step is skipped and counted instead
                            skipped++;
                            continue;
                        }
                        collector.backward(mean);
                        losses.add((double) value);
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
        if (skipped > 0) {
            out.printf("   %d of %d steps skipped: their loss was not finite%n", skipped, options.steps());
        }
        if (skipped * 10 > options.steps()) {
            throw new IllegalStateException("KeypointTrainer.train: " + skipped + " of " + options.steps()
                    + " steps had a non-finite loss; expected at most a tenth; training diverged (lower --lr?)");
        }
        for (ai.djl.nn.Parameter p : model.getBlock().getParameters().values()) {
            // read on the host: no array is added to the model's manager
            float[] values = p.getArray().toFloatArray();
            boolean finite = true;
            for (float v : values) {
                finite &= Float.isFinite(v);
            }
            if (!finite) {
                throw new IllegalStateException("KeypointTrainer.train: parameter " + p.getName()
                        + " is not finite after training; expected finite weights");
            }
        }
        return new Result(losses, pairs, (System.nanoTime() - begin) / 1e9, skipped);
    }

    /**
     * One training pair: the first image, its warped and changed copy, corners of the first, where
     * they moved in the copy, and one hard negative beside each of those.
     */
    private record Pair(
            BufferedImage a, BufferedImage b, List<Homography.XY> pointsA, List<Homography.XY> pointsB,
            List<Homography.XY> negativesB) {}

    /**
     * Makes pair k: even k from a photo when there are photos, otherwise from a generated scene.
     * The source region is twice the image side, so that the warped copy is covered everywhere.
     */
    private static Pair pair(Options o, Random random, long k, List<NDArray> photos, NDManager manager) {
        int s = o.size();
        NDArray source;
        Homography aToSource;
        if (!photos.isEmpty() && k % 2 == 0) {
            NDArray photo = photos.get(random.nextInt(photos.size()));
            int pw = (int) photo.getShape().get(3);
            int ph = (int) photo.getShape().get(2);
            // scale f (image pixels per photo pixel) at least what fits the 2s source region in the photo
            double fmin = 2.0 * s / Math.min(pw, ph);
            double f = fmin * Math.exp(Math.log(2) * random.nextDouble());
            double ox = (pw - 2 * s / f) * random.nextDouble();
            double oy = (ph - 2 * s / f) * random.nextDouble();
            aToSource = Homography.translation(s / 2.0, s / 2.0)
                    .then(Homography.of(1 / f, 0, 0, 0, 1 / f, 0, 0, 0, 1))
                    .then(Homography.translation(ox, oy));
            // a copy in the step's manager, so that what is computed from it is freed with the step
            source = photo.duplicate();
            source.attach(manager);
        } else {
            long sceneSeed = o.seed() + SEED_OFFSET + 2 * k;
            source = Warp.toArray(manager, TestImages.scene(2 * s, 2 * s, sceneSeed));
            aToSource = Homography.translation(s / 2.0, s / 2.0);
        }
        if (random.nextInt(3) == 0) {
            // a third of the pairs in grey (luma), so that the features do not lean on colour alone
            NDArray luma = manager.create(new float[] {0.299f, 0.587f, 0.114f}, new Shape(1, 3, 1, 1))
                    .mul(source).sum(new int[] {1}, true);
            source = luma.repeat(1, 3);
        }
        double degrees = o.maxRotate() * (2 * random.nextDouble() - 1);
        double scale = Math.exp(Math.log(o.maxScaleChange()) * (2 * random.nextDouble() - 1));
        double px = o.maxPerspective() * (2 * random.nextDouble() - 1) / 2;
        double py = o.maxPerspective() * (2 * random.nextDouble() - 1) / 2;
        int dx = random.nextInt(2 * o.maxShift() + 1) - o.maxShift();
        int dy = random.nextInt(2 * o.maxShift() + 1) - o.maxShift();
        Homography aToB = Homography.about(s / 2.0, s / 2.0, degrees, scale, px, py, dx, dy);
        Homography bToSource = aToB.inverse().then(aToSource);
        // shape: (2, 3, s, s): the first image and the clean copy, one sampleBilinear call
        NDArray both = Warp.warp(source.repeat(0, 2), new Homography[] {aToSource, bToSource}, s, s);
        BufferedImage a = Warp.toImage(both.get(0));
        BufferedImage clean = Warp.toImage(both.get(1));
        double blur = 1.6 * random.nextDouble();
        double contrast = 0.75 + 0.4 * random.nextDouble();
        double brightness = -25 + 50 * random.nextDouble();
        double gamma = Math.exp(Math.log(0.6) + (Math.log(1.8) - Math.log(0.6)) * random.nextDouble());
        double noise = 0.1 * random.nextDouble();
        BufferedImage b = TestImages.perturbed(clean, 0, 0, blur, contrast, brightness, gamma, noise, o.seed() + SEED_OFFSET + 2 * k + 1);
        List<Homography.XY> pointsA = new ArrayList<>();
        List<Homography.XY> pointsB = new ArrayList<>();
        List<Homography.XY> negatives = new ArrayList<>();
        Homography.Kept kept = aToB.keepInside(CornerDetector.detect(a, o.keypoints(), 4, 4), s, s, 4);
        for (int i = 0; i < kept.points().size(); i++) {
            Point p = kept.points().get(i);
            Homography.XY q = kept.mapped().get(i);
            pointsA.add(new Homography.XY(p.x(), p.y()));
            pointsB.add(q);
            double angle = 2 * Math.PI * random.nextDouble();
            double radius = 3 + 5 * random.nextDouble();
            negatives.add(new Homography.XY(q.x() + radius * Math.cos(angle), q.y() + radius * Math.sin(angle)));
        }
        return new Pair(a, b, pointsA, pointsB, negatives);
    }

    private static Joints joints(List<Homography.XY> points, int size) {
        List<Joints.Joint> joints = new ArrayList<>(points.size());
        for (Homography.XY p : points) {
            joints.add(new Joints.Joint(p.x() / (size - 1), p.y() / (size - 1), 1.0));
        }
        return new Joints(joints);
    }
}
