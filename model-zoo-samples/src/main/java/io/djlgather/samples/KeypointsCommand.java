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
import io.djlgather.samples.keypoints.KeypointFeatures;
import io.djlgather.samples.keypoints.KeypointModels;
import io.djlgather.samples.keypoints.KeypointQuery;
import io.djlgather.samples.keypoints.KeypointTrainer;
import io.djlgather.samples.keypoints.KeypointTranslator;
import io.djlgather.samples.keypoints.Matching;
import io.djlgather.samples.keypoints.TestImages;
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
            "Training (offline; about 13 s for 200 steps on one PyTorch thread): each step generates scenes (seeds never used by the evaluation "
                    + "pair) and perturbed copies (random shift, blur, contrast, brightness, gamma, noise), reads "
                    + "features at corresponding corners with sampleBilinear, and takes an Adam step on an InfoNCE "
                    + "loss (temperature 0.1) through DJL's Trainer; gradients flow through sampleBilinear into the "
                    + "backbone.",
            "Then matches keypoints between the image and a second image made from it (shifted by --shift pixels, "
                    + "blurred by --blur, contrast 0.85 and brightness +20, tone curve --gamma, Gaussian --noise), by cosine "
                    + "similarity of features, against baselines (the untrained backbone, raw pixel patches, chance). Writes "
                    + "keypoints.png (matches drawn) and keypoint-features.csv."
        })
public final class KeypointsCommand implements Callable<Integer> {

    @Mixin SampleOptions common = new SampleOptions();

    @Option(names = "--image", paramLabel = "FILE", description = "Image file (PNG/JPEG; default: a generated scene).")
    Path image;

    @Option(names = "--size", defaultValue = "192", description = "Side of the generated image; a given image is scaled so that its longer side is this (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--keypoints", defaultValue = "48", description = "Corners to detect (default: ${DEFAULT-VALUE}).")
    int keypoints;

    @Option(names = "--shift", defaultValue = "7,5", split = ",", paramLabel = "DX,DY", description = "Integer shift of the copy, in pixels (default: ${DEFAULT-VALUE}).")
    int[] shift;

    @Option(names = "--noise", defaultValue = "0.08", description = "Gaussian noise of the copy, as a fraction of 255 (default: ${DEFAULT-VALUE}).")
    double noise;

    @Option(names = "--blur", defaultValue = "1.2", description = "Gaussian blur of the copy, standard deviation in pixels, 0 for none (default: ${DEFAULT-VALUE}).")
    double blur;

    @Option(names = "--gamma", defaultValue = "1.6", description = "Gamma (tone curve) of the copy, 1 for none; the copy also gets contrast 0.85 and brightness +20 (default: ${DEFAULT-VALUE}).")
    double gamma;

    @Option(names = "--train-steps", defaultValue = "" + DEFAULT_TRAIN_STEPS, paramLabel = "N", description = "Self-supervised training steps of the backbone (InfoNCE through sampleBilinear, Adam, 2 generated 96x96 pairs per step); 0 keeps the seeded random weights (default: ${DEFAULT-VALUE}).")
    int trainSteps;

    @Option(names = "--online", description = "Use DJL's pretrained ResNet (ai.djl.zoo:resnet, CIFAR-10) from DJL's model zoo instead of the local backbone (no local training); downloads it.")
    boolean online;

    /** The default of --train-steps. */
    public static final int DEFAULT_TRAIN_STEPS = 200;

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
     * @param chance the chance rate 1/N
     * @param perturbation how the second image was made, in words
     * @param reloadDiff largest difference between features of the in-memory and the zoo-loaded model
     * @param trainSteps training steps taken (0: random weights)
     * @param trainSeconds training wall time
     * @param firstLoss mean InfoNCE loss of the first tenth of the steps (NaN without training)
     * @param lastLoss mean InfoNCE loss of the last tenth of the steps (NaN without training)
     * @param picture the PNG
     * @param csv the CSV
     * @param seconds wall time
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
            double seconds) {}

    @Override
    public Integer call() throws Exception {
        run(System.out);
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
        return this;
    }

    /**
     * Runs the sample.
     *
     * @param out where to print
     * @return the figures
     * @throws Exception if reading, inference or writing fails
     */
    public Summary run(PrintStream out) throws Exception {
        long begin = System.nanoTime();
        Path outDir = common.out();
        if (shift.length != 2) { // picocli splits at commas; the count is ours to check
            throw new IllegalArgumentException("keypoints: --shift must be two integers DX,DY; got "
                    + shift.length + " (" + java.util.Arrays.toString(shift) + ")");
        }
        int dx = shift[0];
        int dy = shift[1];
        BufferedImage a = image != null ? scaled(ImageIO.read(image.toFile()), size) : TestImages.scene(size, size, common.seed());
        if (a == null) {
            throw new IOException("keypoints: cannot decode image " + image);
        }
        BufferedImage b = TestImages.perturbed(a, dx, dy, blur, gamma, noise, common.seed() + 1);
        int margin = Math.max(Math.abs(dx), Math.abs(dy)) + 4;
        List<Point> pointsA = CornerDetector.detect(a, keypoints, 6, margin);
        if (pointsA.size() < 2) {
            throw new IllegalStateException("keypoints: found " + pointsA.size() + " corners; need at least 2 (a flat image?)");
        }
        List<Point> pointsB = pointsA.stream().map(p -> new Point(p.x() + dx, p.y() + dy)).toList();
        out.printf("== keypoints: %s %dx%d, %d corners; second image: %s%n",
                image != null ? image : "generated scene", a.getWidth(), a.getHeight(), pointsA.size(), perturbation(dx, dy));

        int imageSize = Math.max(a.getWidth(), a.getHeight());
        Path modelDir = outDir.resolve("zoo").resolve(KeypointModels.NAME);
        KeypointFeatures fa;
        KeypointFeatures fb;
        double reloadDiff = 0;
        int[] randomBilinearMatch = null;
        int[] randomNearestMatch = null;
        KeypointTrainer.Result training = new KeypointTrainer.Result(List.of(), 0, 0);
        if (online) {
            System.setProperty("ai.djl.offline", "false");
            try (ZooModel<KeypointQuery, KeypointFeatures> model = pretrained(imageSize); 
                    Predictor<KeypointQuery, KeypointFeatures> predictor = model.newPredictor()) {
                fa = predictor.predict(query(a, pointsA));
                fb = predictor.predict(query(b, pointsB));
            }
        } else {
            KeypointFeatures direct;
            try (Model model = KeypointModels.create(imageSize, common.seed())) {
                try (Predictor<KeypointQuery, KeypointFeatures> predictor = model.newPredictor(new KeypointTranslator())) {
                    KeypointFeatures ra = predictor.predict(query(a, pointsA));
                    KeypointFeatures rb = predictor.predict(query(b, pointsB));
                    randomBilinearMatch = Matching.match(ra.bilinear(), rb.bilinear());
                    randomNearestMatch = Matching.match(ra.nearest(), rb.nearest());
                }
                if (trainSteps > 0) {
                    KeypointTrainer.Options options = KeypointTrainer.Options.of(trainSteps, common.seed());
                    out.printf("training the backbone: %d steps x %d generated %dx%d pairs (scene seeds %d + 2k, never the "
                            + "evaluation's %d), InfoNCE (temperature %.2f) on sampleBilinear features, Adam lr %.0e%n",
                            options.steps(), options.pairs(), options.size(), options.size(),
                            common.seed() + KeypointTrainer.SEED_OFFSET, common.seed(), options.temperature(), options.learningRate());
                    training = KeypointTrainer.train(model, options, out);
                    out.printf("trained in %.1f s: loss %.3f -> %.3f (first and last tenth of the steps; chance level is log N, %.2f for %d corners a pair)%n",
                            training.seconds(), training.firstLoss(), training.lastLoss(), Math.log(options.keypoints()), options.keypoints());
                }
                model.setProperty("trainSteps", Integer.toString(Math.max(0, trainSteps)));
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
                fb = predictor.predict(query(b, pointsB));
            }
            reloadDiff = Matching.maxAbsDiff(direct.bilinear(), fa.bilinear());
            out.printf("reloaded through Criteria (artifact %s:%s): features equal the in-memory model's within %.1e%n",
                    SamplesModelZoo.GROUP_ID, KeypointModels.NAME, reloadDiff);
        }
        out.printf("feature map %dx%d with %d channels (stride %d)%n",
                fa.mapHeight(), fa.mapWidth(), fa.channels(), Math.round((double) a.getHeight() / fa.mapHeight()));

        int[] bilinearMatch = Matching.match(fa.bilinear(), fb.bilinear());
        int[] nearestMatch = Matching.match(fa.nearest(), fb.nearest());
        int[] patchMatch = Matching.match(Matching.patches(a, pointsA, 3), Matching.patches(b, pointsB, 3));
        double bilinear = Matching.rate(bilinearMatch);
        double nearest = Matching.rate(nearestMatch);
        double patch = Matching.rate(patchMatch);
        double randomBilinear = randomBilinearMatch == null ? Double.NaN : Matching.rate(randomBilinearMatch);
        double randomNearest = randomNearestMatch == null ? Double.NaN : Matching.rate(randomNearestMatch);
        double chance = 1.0 / pointsA.size();
        boolean trained = !online && trainSteps > 0;
        String weights = online ? "CIFAR-10 ResNet" : trained ? "trained " + trainSteps + " steps" : "random weights";
        out.printf("match rate, image vs perturbed copy (%d keypoints; held-out scene, seed %d):%n", pointsA.size(), common.seed());
        out.printf("   CNN (%s), sampleBilinear : %.3f%n", weights, bilinear);
        out.printf("   CNN (%s), gatherPixels   : %.3f (nearest feature cell)%n", weights, nearest);
        if (trained) {
            out.printf("   CNN (random weights), sampleBilinear : %.3f (the same backbone before training)%n", randomBilinear);
            out.printf("   CNN (random weights), gatherPixels   : %.3f%n", randomNearest);
        }
        out.printf("   raw 7x7 pixel patches        : %.3f (zero-mean, cosine)%n", patch);
        out.printf("   chance                       : %.3f%n", chance);
        double cnn = Math.max(bilinear, nearest);
        String kind = online ? "trained on CIFAR-10 classification" : trained ? "trained for matching, " + trainSteps + " steps" : "random (seeded), not trained for matching";
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
        Matching.drawMatches(a, b, pointsA, pointsB, bilinearMatch, picture);
        writeCsv(csv, pointsA, fa);
        out.println("picture: " + picture);
        out.println("features: " + csv);
        double seconds = (System.nanoTime() - begin) / 1e9;
        return new Summary(pointsA.size(), fa.channels(), bilinear, nearest, randomBilinear, randomNearest, patch, chance,
                perturbation(dx, dy), reloadDiff, trained ? trainSteps : 0, training.seconds(),
                trained ? training.firstLoss() : Double.NaN, trained ? training.lastLoss() : Double.NaN, picture, csv, seconds);
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

    private String perturbation(int dx, int dy) {
        return String.format("shifted by (%d,%d), blur sigma %.1f px, contrast 0.85 and brightness +20, gamma %.2f, "
                + "Gaussian noise sigma %.2f x 255", dx, dy, blur, gamma, noise);
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
