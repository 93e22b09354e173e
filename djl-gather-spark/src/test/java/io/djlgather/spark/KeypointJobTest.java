package io.djlgather.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.inference.Predictor;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.modality.cv.output.Joints;
import ai.djl.repository.zoo.ZooModel;
import io.djlgather.samples.keypoints.CornerDetector;
import io.djlgather.samples.keypoints.KeypointFeatures;
import io.djlgather.samples.keypoints.KeypointModels;
import io.djlgather.samples.keypoints.KeypointQuery;
import io.djlgather.samples.keypoints.TestImages;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code keypoints} in local mode against the single-JVM reference: the same saved backbone
 * loaded directly ({@link KeypointModels#load}) and run image by image with {@code
 * Predictor.predict} on the samples' corners ({@link CornerDetector}, the job's defaults 16, 4, 2).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeypointJobTest {

    private SparkSession spark;
    private Path model;
    private Path images;
    /** Per good image path: its corners and the reference features. */
    private final Map<String, List<CornerDetector.Point>> corners = new HashMap<>();
    private final Map<String, float[][]> features = new HashMap<>();
    private int keypointRows;

    @BeforeAll
    void setUp() throws Exception {
        spark = Fixtures.spark();
        model = Fixtures.models().resolve("keypoints");
        images = Files.createTempDirectory("keypoint-job-test");
        Files.createDirectories(images.resolve("sub"));
        List<Path> good = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Path file = images.resolve(i == 4 ? "sub/scene4.png" : "scene" + i + ".png");
            ImageIO.write(TestImages.scene(40 + 4 * i, 40, 100 + i), "png", file.toFile());
            good.add(file);
        }
        Path jpeg = images.resolve("scene5.jpg");
        ImageIO.write(TestImages.scene(44, 36, 105), "jpg", jpeg.toFile());
        good.add(jpeg);
        Files.write(images.resolve("broken.png"), "not an image at all".getBytes(StandardCharsets.UTF_8));
        BufferedImage flat = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = flat.createGraphics();
        g.setColor(new Color(90, 120, 150));
        g.fillRect(0, 0, 32, 32);
        g.dispose();
        ImageIO.write(flat, "png", images.resolve("flat.png").toFile());
        Files.writeString(images.resolve("notes.txt"), "not read: the glob keeps image names only");

        try (ZooModel<KeypointQuery, KeypointFeatures> backbone = KeypointModels.load(model);
                Predictor<KeypointQuery, KeypointFeatures> predictor = backbone.newPredictor()) {
            for (Path file : good) {
                BufferedImage image = ImageIO.read(file.toFile());
                List<CornerDetector.Point> points = CornerDetector.detect(image, 16, 4, 2);
                assertTrue(points.size() >= 4, file + ": " + points.size() + " corners");
                List<Joints.Joint> joints = new ArrayList<>();
                for (CornerDetector.Point p : points) {
                    joints.add(new Joints.Joint(p.x() / (double) (image.getWidth() - 1),
                            p.y() / (double) (image.getHeight() - 1), 1.0));
                }
                KeypointQuery query = new KeypointQuery(ImageFactory.getInstance().fromImage(image), new Joints(joints));
                String key = file.toUri().getPath();
                corners.put(key, points);
                features.put(key, predictor.predict(query).bilinear());
                keypointRows += points.size();
            }
        }
    }

    private JobOptions.Summary run(Path output, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--input", images.toString(), "--model", model.toString(),
                "--output", output.toString(), "--batch-size", "2"));
        args.addAll(List.of(extra));
        KeypointsCommand command = Fixtures.parse(new KeypointsCommand(), args.toArray(String[]::new));
        return command.run(spark, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    private static String pathOf(Row row) {
        return java.net.URI.create(row.getString(0)).getPath();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void everyKeypointEqualsThePredictorsFeatures(int partitions, @TempDir Path tmp) throws Exception {
        Path output = tmp.resolve("out");
        JobOptions.Summary summary = run(output, "--partitions", Integer.toString(partitions));
        List<Row> rows = spark.read().parquet(output.toString()).collectAsList();
        assertEquals(keypointRows + 1, rows.size());
        Map<String, List<Row>> byPath = new HashMap<>();
        int errors = 0;
        for (Row row : rows) {
            if (!row.isNullAt(4)) {
                errors++;
                assertTrue(row.getString(0).endsWith("broken.png"), row.toString());
                assertTrue(row.getString(4).startsWith("cannot decode image (19 bytes)"), row.getString(4));
                assertTrue(row.isNullAt(1) && row.isNullAt(2) && row.isNullAt(3));
                continue;
            }
            byPath.computeIfAbsent(pathOf(row), k -> new ArrayList<>()).add(row);
        }
        assertEquals(1, errors);
        assertEquals(corners.keySet(), byPath.keySet());
        double worst = 0;
        for (Map.Entry<String, List<Row>> e : byPath.entrySet()) {
            List<CornerDetector.Point> want = corners.get(e.getKey());
            float[][] wantFeatures = features.get(e.getKey());
            assertEquals(want.size(), e.getValue().size(), e.getKey());
            for (Row row : e.getValue()) {
                int y = row.getInt(1);
                int x = row.getInt(2);
                int k = want.indexOf(new CornerDetector.Point(x, y));
                assertTrue(k >= 0, "unexpected keypoint " + x + "," + y + " in " + e.getKey());
                List<Float> got = row.getList(3);
                assertEquals(wantFeatures[k].length, got.size());
                for (int c = 0; c < got.size(); c++) {
                    worst = Math.max(worst, Math.abs(got.get(c) - wantFeatures[k][c]));
                }
            }
        }
        assertTrue(worst <= 1e-6, "largest feature difference " + worst);
        assertEquals(8, summary.records());
        assertEquals(keypointRows + 1, summary.rows());
        assertEquals(1, summary.errors());
        assertEquals(1, summary.empty());
        assertEquals(1, Models.loadCount(ModelLocation.parse(ModelLocation.Kind.KEYPOINTS, "--model", model.toString())));
    }

    @Test
    void anOversizedImageIsAnErrorRow(@TempDir Path tmp) throws Exception {
        JobOptions.Summary summary = run(tmp.resolve("out"), "--max-pixels", "1700", "--format", "json");
        // passes: 40x40 (1600 pixels), 44x36 (1584), the flat 32x32; too large: 44x40, 48x40, 52x40, 56x40
        List<Row> errors = spark.read().json(tmp.resolve("out").toString()).where("error IS NOT NULL").collectAsList();
        long tooLarge = errors.stream().filter(r -> r.getString(r.fieldIndex("error")).contains("(--max-pixels)")).count();
        assertEquals(4, tooLarge, errors.toString());
        assertEquals(5, summary.errors());
    }

    @Test
    void aMissingModelFailsOnTheDriverBeforeAnyTaskRuns(@TempDir Path tmp) throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty-model"));
        Fixtures.Starts starts = new Fixtures.Starts();
        spark.sparkContext().addSparkListener(starts);
        IllegalArgumentException e;
        try {
            e = assertThrows(IllegalArgumentException.class, () -> run(tmp.resolve("out"), "--model", empty.toString()));
            Fixtures.drainListeners(spark);
        } finally {
            spark.sparkContext().removeSparkListener(starts);
        }
        assertEquals("keypoints: --model: no keypoint-features model in " + empty + "; expected a folder with "
                + "keypoint-features-0000.params, backbone.properties, as the samples' 'keypoints' command saves it "
                + "(model-zoo-samples/build/zoo/keypoint-features)", e.getMessage());
        assertEquals(0, starts.jobs.get());
        assertEquals(0, starts.tasks.get());
    }
}
