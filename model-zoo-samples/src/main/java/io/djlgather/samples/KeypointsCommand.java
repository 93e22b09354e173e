package io.djlgather.samples;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.modality.cv.output.Joints;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import io.djlgather.samples.keypoints.CornerDetector;
import io.djlgather.samples.keypoints.CornerDetector.Point;
import io.djlgather.samples.keypoints.Homography;
import io.djlgather.samples.keypoints.KeypointFeatures;
import io.djlgather.samples.keypoints.KeypointModels;
import io.djlgather.samples.keypoints.KeypointQuery;
import io.djlgather.samples.keypoints.KeypointTrainer;
import io.djlgather.samples.keypoints.KeypointTranslator;
import io.djlgather.samples.keypoints.Matching;
import io.djlgather.samples.keypoints.Photos;
import io.djlgather.samples.keypoints.TestImages;
import io.djlgather.samples.keypoints.Warp;
import io.djlgather.samples.zoo.SamplesModelZoo;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * {@code keypoints}: features at keypoints from a ResNet feature map, and a check that they
 * mean something: matching keypoints between an image and a shifted, blurred, re-toned, noisy copy.
 */
@Command(
        name = "keypoints",
        mixinStandardHelpOptions = true,
        description = {
            "Detects corners in an image (or a generated scene), runs a ResNet-18 trunk (DJL's ResNetV1, "
                    + "seeded initialisation, then --train-steps of self-supervised training; saved to and reloaded "
                    + "from the samples' model zoo) to a stride-8 feature map, and reads features at the keypoints "
                    + "with PixelGather.sampleBilinear and PixelGather.gatherPixels.",
            "Training (offline, seeded, one PyTorch thread; 200 steps took 26.1 s here on 2 cores shared with other builds): each step crops real photographs "
                    + "(the committed CC0 photos, at random scales; never the evaluation photo) and generated scenes (seeds "
                    + "never used by the evaluation), warps each by a random homography (rotation up to 30 degrees, scale "
                    + "0.7 to 1.43, perspective, shift) with random photometric changes, reads features at corners and at "
                    + "their mapped sub-pixel positions with sampleBilinear, and takes an Adam step on an InfoNCE loss "
                    + "(temperature 0.1; hard negatives 3-8 px beside each true position) through DJL's Trainer.",
            "Then makes the second image: the first warped by the homography --rotate, --scale, --perspective, --shift "
                    + "about the centre (inverse mapping, bilinear; black where nothing maps), blurred by --blur, contrast "
                    + "0.85 and brightness +20, tone curve --gamma, Gaussian --noise. Corners detected in the first image map "
                    + "through the homography to the second; a corner whose mapped position leaves the second image (8 px "
                    + "margin) is dropped. Each corner is matched to the mapped keypoint of the second image with the most "
                    + "similar features (cosine; the second image's features read at the sub-pixel mapped positions); a match "
                    + "is CORRECT when the chosen keypoint lies within 1.5 px of the corner's mapped point. Compared: trained + "
                    + "sampleBilinear, trained + gatherPixels, random weights, raw 7x7 pixel patches (at the rounded mapped "
                    + "points), chance. Writes keypoints.png (matches drawn) and keypoint-features.csv.",
            "--held-out-table: for each committed photo in turn, trains on the other two (and generated scenes) and "
                    + "evaluates on it (rotation 15, scale 0.85 unless given), then prints the table."
        })
public final class KeypointsCommand implements Callable<Integer> {

    @Mixin SampleOptions common = new SampleOptions();

    @Option(names = "--image", paramLabel = "FILE", description = "Image file (PNG/JPEG; default: a generated scene).")
    Path image;

    @Option(names = "--size", description = "Side of the generated image; a given image is scaled so that its longer side is this (default: 192; 256 with --held-out-table).")
    Integer size;

    @Option(names = "--keypoints", defaultValue = "48", description = "Corners to detect (default: ${DEFAULT-VALUE}).")
    int keypoints;

    @Option(names = "--shift", defaultValue = "7,5", split = ",", paramLabel = "DX,DY", description = "Integer shift of the copy, in pixels (default: ${DEFAULT-VALUE}).")
    int[] shift;

    @Option(names = "--rotate", paramLabel = "DEGREES", description = "Rotation of the copy about the image centre, clockwise on screen (default: 0; 15 with --held-out-table).")
    Double rotate;

    @Option(names = "--scale", description = "Scale of the copy about the image centre, above 0 (default: 1; 0.85 with --held-out-table).")
    Double scale;

    @Option(names = "--perspective", defaultValue = "0", paramLabel = "P", description = "Perspective of the copy: w = 1 + P (x - cx) / cx, so the left and right edges scale by 1/(1-P) and 1/(1+P); |P| < 1 (default: ${DEFAULT-VALUE}).")
    double perspective;

    @Option(names = "--train-size", defaultValue = "96", paramLabel = "PX", description = "Side of the training images (default: ${DEFAULT-VALUE}).")
    int trainSize;

    @Option(names = "--train-pairs", defaultValue = "2", paramLabel = "N", description = "Training image pairs per step (default: ${DEFAULT-VALUE}).")
    int trainPairs;

    @Option(names = "--held-out-table", description = "For each committed photo (camera, chelsea, coffee) in turn: train --held-out-steps on the other two and generated scenes, evaluate on it (size --size, default 256 here), print the table.")
    boolean heldOutTable;

    @Option(names = "--held-out-steps", defaultValue = "" + HELD_OUT_STEPS, paramLabel = "N", description = "Training steps per held-out photo with --held-out-table (default: ${DEFAULT-VALUE}).")
    int heldOutSteps;

    @Option(names = "--noise", defaultValue = "0.08", description = "Gaussian noise of the copy, as a fraction of 255 (default: ${DEFAULT-VALUE}).")
    double noise;

    @Option(names = "--blur", defaultValue = "1.2", description = "Gaussian blur of the copy, standard deviation in pixels, 0 for none (default: ${DEFAULT-VALUE}).")
    double blur;

    @Option(names = "--gamma", defaultValue = "1.6", description = "Gamma (tone curve) of the copy, 1 for none; the copy also gets contrast 0.85 and brightness +20 (default: ${DEFAULT-VALUE}).")
    double gamma;

    @Option(names = "--train-steps", defaultValue = "" + DEFAULT_TRAIN_STEPS, paramLabel = "N", description = "Self-supervised training steps of the backbone (InfoNCE through sampleBilinear, Adam, 2 pairs of 96x96 photo crops or generated scenes per step); 0 keeps the seeded random weights (default: ${DEFAULT-VALUE}).")
    int trainSteps;

    @Option(names = "--online", description = "Use DJL's pretrained ResNet (ai.djl.zoo:resnet, CIFAR-10) from DJL's model zoo instead of the local backbone (no local training); downloads it.")
    boolean online;

    /** The default of --train-steps. */
    public static final int DEFAULT_TRAIN_STEPS = 200;

    /** The default of --held-out-steps. */
    public static final int HELD_OUT_STEPS = 1000;

    /** The margin in pixels kept from every border of both images by the corners compared. */
    static final int MARGIN = 8;

    /**
     * The figures of one run.
     *
     * @param keypoints keypoints matched
     * @param channels feature size
     * @param bilinearRate match rate with bilinear features (of the trained backbone when trained)
     * @param nearestRate match rate with nearest-cell features (likewise)
     * @param randomBilinearRate match rate with bilinear features of the untrained, random-weight
     *     backbone (NaN with --online)
     * @param randomNearestRate match rate with its nearest-cell features (NaN with --online)
     * @param patchRate match rate with raw pixel patches
     * @param chance the chance rate (see {@link Matching#chance})
     * @param perturbation how the second image was made, in words
     * @param reloadDiff largest difference between features of the in-memory and the zoo-loaded model
     * @param trainSteps training steps taken (0: random weights)
     * @param trainSeconds training wall time
     * @param firstLoss mean InfoNCE loss of the first tenth of the steps (NaN without training)
     * @param lastLoss mean InfoNCE loss of the last tenth of the steps (NaN without training)
     * @param picture the PNG
     * @param csv the CSV
     * @param seconds wall time
     * @param candidates keypoints of the second image matched against
     */
    public record Summary(
            int keypoints,
            int channels,
            double bilinearRate,
            double nearestRate,
            double randomBilinearRate,
            double randomNearestRate,
            double patchRate,
            double chance,
            String perturbation,
            double reloadDiff,
            int trainSteps,
            double trainSeconds,
            double firstLoss,
            double lastLoss,
            Path picture,
            Path csv,
            double seconds,
            int candidates) {}

    @Override
    public Integer call() throws Exception {
        if (heldOutTable) {
            heldOutTable(System.out);
        } else {
            run(System.out);
        }
        return 0;
    }

    /** Sets the defaults (for {@code all} and tests). */
    KeypointsCommand configure(Path out, long seed, int size, int keypoints) {
        common.set(out, seed);
        this.trainSteps = DEFAULT_TRAIN_STEPS;
        this.size = size;
        this.keypoints = keypoints;
        this.shift = new int[] {7, 5};
        this.noise = 0.08;
        this.blur = 1.2;
        this.gamma = 1.6;
        this.perspective = 0;
        this.heldOutSteps = HELD_OUT_STEPS;
        this.trainSize = 96;
        this.trainPairs = 2;
        return this;
    }

    /**
     * Runs the sample: on --image (or a generated scene), training on every committed photo that is
     * not the evaluation image.
     *
     * @param out where to print
     * @return the figures
     * @throws Exception if reading, inference or writing fails
     */
    public Summary run(PrintStream out) throws Exception {
        BufferedImage original = null;
        if (image != null) {
            BufferedImage decoded = ImageIO.read(image.toFile());
            if (decoded == null) {
                throw new IOException("keypoints: cannot decode image " + image);
            }
            // the conversion the committed photos go through, so that a committed photo given
            // here is recognised as one (and held out), and is evaluated as the table does
            original = Photos.rgb(decoded);
        }
        List<Photos.Photo> training = Photos.trainingSet(original);
        return run(out, original, image != null ? image.toString() : "generated scene", training, trainSteps,
                rotate == null ? 0 : rotate, scale == null ? 1 : scale, size == null ? 192 : size);
    }

    /**
     * {@code --held-out-table}: for each committed photo, trains on the others and evaluates on it.
     *
     * @param out where to print
     * @return one summary per photo, in {@link Photos#NAMES} order
     * @throws Exception if inference or writing fails
     */
    public List<Summary> heldOutTable(PrintStream out) throws Exception {
        double r = rotate == null ? 15 : rotate;
        double sc = scale == null ? 0.85 : scale;
        int side = size == null ? 256 : size;
        long begin = System.nanoTime();
        List<Summary> rows = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String name : Photos.NAMES) {
            Photos.Photo held = Photos.load(name);
            List<Photos.Photo> training = Photos.trainingSet(held.image());
            out.printf("%n==== held out: %s; training photos: %s (+ generated scenes)%n",
                    name, training.stream().map(Photos.Photo::name).toList());
            rows.add(run(out, held.image(), name + ".png (committed, held out)", training, heldOutSteps, r, sc, side));
            names.add(name);
        }
        out.printf("%nheld-out table: rotation %.0f degrees, scale %.2f, perspective %.2f, shift (%d,%d), blur %.1f, gamma %.2f, "
                + "noise %.2f; longer side %d px; %d training steps per photo; a match is correct within %.1f px of the mapped point%n",
                r, sc, perspective, shift[0], shift[1], blur, gamma, noise, side, heldOutSteps, Matching.TOLERANCE);
        out.println("| held-out photo | keypoints | trained + sampleBilinear | trained + gatherPixels | random weights (bilinear / nearest) | raw 7x7 patches | chance | training s |");
        out.println("|---|---|---|---|---|---|---|---|");
        for (int i = 0; i < rows.size(); i++) {
            Summary s = rows.get(i);
            out.printf("| %s | %d | **%.3f** | %.3f | %.3f / %.3f | %.3f | %.3f | %.1f |%n",
                    names.get(i), s.keypoints(), s.bilinearRate(), s.nearestRate(), s.randomBilinearRate(),
                    s.randomNearestRate(), s.patchRate(), s.chance(), s.trainSeconds());
        }
        out.printf("held-out table done in %.1f s%n", (System.nanoTime() - begin) / 1e9);
        return rows;
    }

    /**
     * One evaluation: trains (unless {@code steps} is 0) on {@code training}, which must not hold
     * the evaluation photo, and matches {@code original} (or a generated scene) against its copy.
     */
    Summary run(PrintStream out, BufferedImage original, String label, List<Photos.Photo> training, int steps,
            double degrees, double zoom, int side) throws Exception {
        long begin = System.nanoTime();
        Path outDir = common.out();
        if (shift.length != 2) { // picocli splits at commas; the count is ours to check
            throw new IllegalArgumentException("keypoints: --shift must be two integers DX,DY; got "
                    + shift.length + " (" + java.util.Arrays.toString(shift) + ")");
        }
        if (!(zoom > 0) || !Double.isFinite(zoom)) {
            throw new IllegalArgumentException("keypoints: --scale must be finite and > 0; got " + zoom);
        }
        if (!(Math.abs(perspective) < 1)) {
            throw new IllegalArgumentException("keypoints: --perspective must be in (-1, 1); got " + perspective);
        }
        if (!Double.isFinite(degrees)) {
            throw new IllegalArgumentException("keypoints: --rotate must be finite; got " + degrees);
        }
        for (Photos.Photo p : training) {
            if (original != null && Photos.samePixels(p.image(), original)) {
                throw new IllegalStateException("keypoints: the evaluation photo " + p.name() + " is among the training photos");
            }
        }
        int dx = shift[0];
        int dy = shift[1];
        BufferedImage a = original != null ? scaled(original, side) : TestImages.scene(side, side, common.seed());
        int w = a.getWidth();
        int h = a.getHeight();
        Homography homography = Homography.about((w - 1) / 2.0, (h - 1) / 2.0, degrees, zoom, perspective, 0, dx, dy);
        BufferedImage b = TestImages.perturbed(Warp.warp(a, homography, w, h), 0, 0, blur, gamma, noise, common.seed() + 1);
        // corners of a whose mapped position stays inside b
        Homography.Kept kept = homography.keepInside(CornerDetector.detect(a, keypoints, 6, MARGIN), w, h, MARGIN);
        List<Point> pointsA = kept.points();
        List<Homography.XY> mapped = kept.mapped();
        if (pointsA.size() < 2) {
            throw new IllegalStateException("keypoints: found " + pointsA.size() + " corners in the first image whose mapped "
                    + "position stays inside the second; need at least 2 (a flat image, or a transform that moves it out of the frame?)");
        }
        // the second image's keypoints: the mapped positions (sub-pixel; rounded for pixel patches and the picture)
        List<Homography.XY> candidates = mapped;
        List<Point> pointsB = mapped.stream().map(q -> new Point((int) Math.round(q.x()), (int) Math.round(q.y()))).toList();
        out.printf("== keypoints: %s %dx%d, %d corners kept (mapped position inside the second image); second image: %s%n",
                label, w, h, pointsA.size(), perturbation(dx, dy, degrees, zoom));
        if (!training.isEmpty() || steps > 0) {
            out.printf("training photos: %s (the evaluation image is never one of them)%n",
                    training.stream().map(Photos.Photo::name).toList());
        }

        int imageSize = Math.max(w, h);
        Path modelDir = outDir.resolve("zoo").resolve(KeypointModels.NAME);
        KeypointFeatures fa;
        KeypointFeatures fb;
        double reloadDiff = 0;
        int[] randomBilinearMatch = null;
        int[] randomNearestMatch = null;
        KeypointTrainer.Result training0 = new KeypointTrainer.Result(List.of(), 0, 0);
        if (online) {
            System.setProperty("ai.djl.offline", "false");
            try (ZooModel<KeypointQuery, KeypointFeatures> model = pretrained(imageSize);
                    Predictor<KeypointQuery, KeypointFeatures> predictor = model.newPredictor()) {
                fa = predictor.predict(query(a, pointsA));
                fb = predictor.predict(queryAt(b, mapped));
            }
        } else {
            KeypointFeatures direct;
            try (Model model = KeypointModels.create(imageSize, common.seed())) {
                try (Predictor<KeypointQuery, KeypointFeatures> predictor = model.newPredictor(new KeypointTranslator())) {
                    KeypointFeatures ra = predictor.predict(query(a, pointsA));
                    KeypointFeatures rb = predictor.predict(queryAt(b, mapped));
                    randomBilinearMatch = Matching.match(ra.bilinear(), rb.bilinear());
                    randomNearestMatch = Matching.match(ra.nearest(), rb.nearest());
                }
                if (steps > 0) {
                    KeypointTrainer.Options options = KeypointTrainer.Options.of(steps, common.seed(), training).withSize(trainSize, trainPairs);
                    out.printf("training the backbone: %d steps x %d %dx%d pairs, alternately crops of the photos above and "
                            + "generated scenes (seeds %d + 2k, never the evaluation's %d), random homographies (rotation up to "
                            + "%.0f degrees, scale %.2f to %.2f, perspective up to %.2f, shift up to %d px) and photometric changes; "
                            + "InfoNCE (temperature %.2f, hard negatives) on sampleBilinear features, Adam lr %.0e%n",
                            options.steps(), options.pairs(), options.size(), options.size(),
                            common.seed() + KeypointTrainer.SEED_OFFSET, common.seed(), options.maxRotate(),
                            1 / options.maxScaleChange(), options.maxScaleChange(), options.maxPerspective(), options.maxShift(),
                            options.temperature(), options.learningRate());
                    training0 = KeypointTrainer.train(model, options, out);
                    out.printf("trained in %.1f s: loss %.3f -> %.3f (first and last tenth of the steps)%n",
                            training0.seconds(), training0.firstLoss(), training0.lastLoss());
                }
                model.setProperty("trainSteps", Integer.toString(Math.max(0, steps)));
                try (Predictor<KeypointQuery, KeypointFeatures> predictor = model.newPredictor(new KeypointTranslator())) {
                    direct = predictor.predict(query(a, pointsA));
                }
                KeypointModels.save(model, modelDir);
            }
            out.println("saved backbone: " + modelDir);
            Criteria<KeypointQuery, KeypointFeatures> criteria =
                    Criteria.builder()
                            .setTypes(KeypointQuery.class, KeypointFeatures.class)
                            .optGroupId(SamplesModelZoo.GROUP_ID)
                            .optArtifactId(KeypointModels.NAME)
                            .build();
            try (ZooModel<KeypointQuery, KeypointFeatures> model = criteria.loadModel();
                    Predictor<KeypointQuery, KeypointFeatures> predictor = model.newPredictor()) {
                fa = predictor.predict(query(a, pointsA));
                fb = predictor.predict(queryAt(b, mapped));
            }
            reloadDiff = Matching.maxAbsDiff(direct.bilinear(), fa.bilinear());
            out.printf("reloaded through Criteria (artifact %s:%s): features equal the in-memory model's within %.1e%n",
                    SamplesModelZoo.GROUP_ID, KeypointModels.NAME, reloadDiff);
        }
        out.printf("feature map %dx%d with %d channels (stride %d)%n",
                fa.mapHeight(), fa.mapWidth(), fa.channels(), Math.round((double) h / fa.mapHeight()));

        double tol = Matching.TOLERANCE;
        int[] bilinearMatch = Matching.match(fa.bilinear(), fb.bilinear());
        boolean[] bilinearCorrect = Matching.correct(bilinearMatch, candidates, mapped, tol);
        double bilinear = Matching.rate(bilinearCorrect);
        double nearest = Matching.rate(Matching.correct(Matching.match(fa.nearest(), fb.nearest()), candidates, mapped, tol));
        double patch = Matching.rate(Matching.correct(
                Matching.match(Matching.patches(a, pointsA, 3), Matching.patches(b, pointsB, 3)), candidates, mapped, tol));
        double randomBilinear = randomBilinearMatch == null ? Double.NaN
                : Matching.rate(Matching.correct(randomBilinearMatch, candidates, mapped, tol));
        double randomNearest = randomNearestMatch == null ? Double.NaN
                : Matching.rate(Matching.correct(randomNearestMatch, candidates, mapped, tol));
        double chance = Matching.chance(candidates, mapped, tol);
        boolean trained = !online && steps > 0;
        String weights = online ? "CIFAR-10 ResNet" : trained ? "trained " + steps + " steps" : "random weights";
        out.printf("correct matches (the matched keypoint of the second image within %.1f px of the mapped point), %d keypoints; %s:%n",
                tol, pointsA.size(),
                original == null ? "held-out scene, seed " + common.seed() : "evaluation image never trained on");
        out.printf("   CNN (%s), sampleBilinear : %.3f%n", weights, bilinear);
        out.printf("   CNN (%s), gatherPixels   : %.3f (nearest feature cell)%n", weights, nearest);
        if (trained) {
            out.printf("   CNN (random weights), sampleBilinear : %.3f (the same backbone before training)%n", randomBilinear);
            out.printf("   CNN (random weights), gatherPixels   : %.3f%n", randomNearest);
        }
        out.printf("   raw 7x7 pixel patches        : %.3f (zero-mean, cosine)%n", patch);
        out.printf("   chance                       : %.3f%n", chance);
        double cnn = Math.max(bilinear, nearest);
        String kind = online ? "trained on CIFAR-10 classification" : trained ? "trained for matching, " + steps + " steps" : "random (seeded), not trained for matching";
        if (patch > cnn) {
            out.printf("   verdict: raw pixel patches match more keypoints than the CNN features (%.3f vs %.3f); "
                    + "the backbone's weights are %s%n", patch, cnn, kind);
        } else if (patch < cnn) {
            out.printf("   verdict: the CNN features (%s) match more keypoints than raw pixel patches (%.3f vs %.3f)%n", kind, cnn, patch);
        } else {
            out.printf("   verdict: CNN features (%s) and raw pixel patches tie (%.3f)%n", kind, cnn);
        }

        Path picture = outDir.resolve("keypoints.png");
        Path csv = outDir.resolve("keypoint-features.csv");
        Files.createDirectories(outDir);
        Matching.drawMatches(a, b, pointsA, pointsB, bilinearMatch, bilinearCorrect, picture);
        writeCsv(csv, pointsA, fa);
        out.println("picture: " + picture);
        out.println("features: " + csv);
        double seconds = (System.nanoTime() - begin) / 1e9;
        return new Summary(pointsA.size(), fa.channels(), bilinear, nearest, randomBilinear, randomNearest, patch, chance,
                perturbation(dx, dy, degrees, zoom), reloadDiff, trained ? steps : 0, training0.seconds(),
                trained ? training0.firstLoss() : Double.NaN, trained ? training0.lastLoss() : Double.NaN, picture, csv, seconds,
                candidates.size());
    }

    private static ZooModel<KeypointQuery, KeypointFeatures> pretrained(int imageSize) throws Exception {
        Criteria<ai.djl.ndarray.NDList, ai.djl.ndarray.NDList> criteria =
                Criteria.builder()
                        .setTypes(ai.djl.ndarray.NDList.class, ai.djl.ndarray.NDList.class)
                        .optGroupId("ai.djl.zoo")
                        .optArtifactId("resnet")
                        .optProgress(new ai.djl.training.util.ProgressBar())
                        .build();
        ZooModel<ai.djl.ndarray.NDList, ai.djl.ndarray.NDList> resnet = criteria.loadModel();
        ai.djl.nn.SequentialBlock full = (ai.djl.nn.SequentialBlock) resnet.getBlock();
        // the CIFAR-10 model's stem keeps full resolution: cut it at stride 8 like the local one
        resnet.setBlock(KeypointModels.cut(full, imageSize, -1).getKey());
        return KeypointModels.wrap(resnet);
    }

    private String perturbation(int dx, int dy, double degrees, double zoom) {
        return String.format("homography: rotated %.1f degrees, scaled %.2f, perspective %.2f, shifted by (%d,%d); "
                + "blur sigma %.1f px, contrast 0.85 and brightness +20, gamma %.2f, Gaussian noise sigma %.2f x 255",
                degrees, zoom, perspective, dx, dy, blur, gamma, noise);
    }

    private static BufferedImage scaled(BufferedImage in, int side) {
        if (in == null) {
            return null;
        }
        double scale = (double) side / Math.max(in.getWidth(), in.getHeight());
        int w = Math.max(1, (int) Math.round(in.getWidth() * scale));
        int h = Math.max(1, (int) Math.round(in.getHeight() * scale));
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        var g = out.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(in, 0, 0, w, h, null);
        g.dispose();
        return out;
    }

    private static KeypointQuery queryAt(BufferedImage image, List<Homography.XY> points) {
        Image djlImage = ImageFactory.getInstance().fromImage(image);
        List<Joints.Joint> joints = new ArrayList<>(points.size());
        for (Homography.XY p : points) {
            joints.add(new Joints.Joint(p.x() / (image.getWidth() - 1), p.y() / (image.getHeight() - 1), 1.0));
        }
        return new KeypointQuery(djlImage, new Joints(joints));
    }

    private static KeypointQuery query(BufferedImage image, List<Point> points) {
        Image djlImage = ImageFactory.getInstance().fromImage(image);
        List<Joints.Joint> joints = new ArrayList<>(points.size());
        for (Point p : points) {
            joints.add(new Joints.Joint(
                    p.x() / (double) (image.getWidth() - 1), p.y() / (double) (image.getHeight() - 1), 1.0));
        }
        return new KeypointQuery(djlImage, new Joints(joints));
    }

    private static void writeCsv(Path csv, List<Point> points, KeypointFeatures f) throws IOException {
        List<String> header = new ArrayList<>(List.of("id", "x", "y"));
        for (int c = 0; c < f.channels(); c++) {
            header.add("f" + c);
        }
        CSVFormat format = CSVFormat.DEFAULT.builder()
                .setHeader(header.toArray(String[]::new))
                .setRecordSeparator('\n')
                .get();
        try (CSVPrinter printer = format.print(csv, StandardCharsets.UTF_8)) {
            for (int i = 0; i < points.size(); i++) {
                List<Object> row = new ArrayList<>(3 + f.channels());
                row.add(i);
                row.add(points.get(i).x());
                row.add(points.get(i).y());
                for (float v : f.bilinear()[i]) {
                    row.add(v);
                }
                printer.printRecord(row);
            }
        }
    }
}
