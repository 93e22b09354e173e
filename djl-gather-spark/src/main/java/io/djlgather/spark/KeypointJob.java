package io.djlgather.spark;

import ai.djl.inference.Predictor;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.modality.cv.output.Joints;
import ai.djl.translate.TranslateException;
import io.djlgather.samples.keypoints.CornerDetector;
import io.djlgather.samples.keypoints.KeypointFeatures;
import io.djlgather.samples.keypoints.KeypointQuery;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Keypoint features of an image collection as a Spark Dataset transformation: images from Spark's
 * {@code binaryFile} source ({@code path}, {@code content}) in, one row per keypoint out, {@link
 * #SCHEMA}: {@code (path, y, x, feature, error)}.
 *
 * <p>Per image: decoded with {@link ImageIO}, corners found with the samples' {@link
 * CornerDetector} (Harris), and the backbone's feature map read at the corners with {@code
 * PixelGather.sampleBilinear} by the samples' {@code KeypointTranslator}; {@code feature} is that
 * bilinear vector, {@code y} and {@code x} the corner's pixel. Each task takes the backbone from
 * {@link Models} (loaded once per JVM), opens one {@link Predictor} and runs {@code batchPredict}
 * over groups of {@code batchSize} images. An image that cannot be decoded, is larger than {@code
 * maxPixels}, or that the model fails on gives one row with null {@code y}, {@code x}, {@code
 * feature} and an {@code error}, counted in {@link JobCounters#errors()}; an image without any
 * corner gives no row and is counted in {@link JobCounters#empty()}.
 */
public final class KeypointJob {

    /** The output's schema. */
    public static final StructType SCHEMA = new StructType(new StructField[] {
        DataTypes.createStructField("path", DataTypes.StringType, false),
        DataTypes.createStructField("y", DataTypes.IntegerType, true),
        DataTypes.createStructField("x", DataTypes.IntegerType, true),
        DataTypes.createStructField("feature", DataTypes.createArrayType(DataTypes.FloatType, false), true),
        DataTypes.createStructField("error", DataTypes.StringType, true)
    });

    /**
     * Settings of the keypoint step.
     *
     * @param model the backbone, checked on the driver
     * @param batchSize images per {@code batchPredict}, at least 1
     * @param keypoints the most corners per image, at least 1
     * @param minDistance least distance between two corners in pixels (Chebyshev), at least 1
     * @param margin least distance of a corner from the border in pixels, at least 0
     * @param maxPixels the largest image accepted, width times height, at least 1
     */
    public record Options(ModelLocation model, int batchSize, int keypoints, int minDistance, int margin, long maxPixels)
            implements Serializable {

        /**
         * Checks the values.
         *
         * @throws IllegalArgumentException if a value is out of range or the model is not a backbone
         */
        public Options {
            if (model == null || model.kind() != ModelLocation.Kind.KEYPOINTS) {
                throw new IllegalArgumentException("keypoints: --model must be a "
                        + ModelLocation.Kind.KEYPOINTS.artifact() + " model; got " + model);
            }
            check("--batch-size", batchSize, 1);
            check("--keypoints", keypoints, 1);
            check("--min-distance", minDistance, 1);
            check("--margin", margin, 0);
            check("--max-pixels", maxPixels, 1);
        }

        private static void check(String option, long value, long least) {
            if (value < least) {
                throw new IllegalArgumentException("keypoints: " + option + " must be >= " + least + "; got " + value);
            }
        }
    }

    private KeypointJob() {}

    /**
     * Lists an image folder with Spark's {@code binaryFile} source, recursively.
     *
     * @param spark the session
     * @param folder the folder
     * @param glob file names to read, e.g. {@code *.png}; null for every file
     * @param partitions partitions of the result, or 0 for what the source gives
     * @return rows with at least {@code path} and {@code content}
     */
    public static Dataset<Row> readImages(SparkSession spark, String folder, String glob, int partitions) {
        var reader = spark.read().format("binaryFile").option("recursiveFileLookup", "true");
        if (glob != null) {
            reader = reader.option("pathGlobFilter", glob);
        }
        Dataset<Row> images = reader.load(folder).select("path", "content");
        return partitions > 0 ? images.repartition(partitions) : images;
    }

    /**
     * Extracts keypoint features. Lazy, like every Dataset transformation.
     *
     * @param images rows with {@code path} (string) and {@code content} (binary) columns
     * @param options the settings
     * @param counters where the tasks count images, rows, errors and images without corners
     * @return one row per keypoint, {@link #SCHEMA}
     */
    public static Dataset<Row> features(Dataset<Row> images, Options options, JobCounters counters) {
        return images.select("path", "content")
                .mapPartitions(new KeypointPartition(options, counters), Encoders.row(SCHEMA));
    }

    /**
     * Finds the corners of an image as the job does.
     *
     * @param image the decoded image
     * @param options the settings
     * @return the corners, strongest first
     */
    public static List<CornerDetector.Point> corners(BufferedImage image, Options options) {
        return CornerDetector.detect(image, options.keypoints(), options.minDistance(), options.margin());
    }

    /**
     * Returns the model's input for an image and its corners: DJL joints normalised so that 0 is
     * the first pixel and 1 the last ({@code x / (width - 1)}).
     *
     * @param image the image
     * @param corners pixel positions
     * @return the query
     */
    public static KeypointQuery query(BufferedImage image, List<CornerDetector.Point> corners) {
        List<Joints.Joint> joints = new ArrayList<>(corners.size());
        double w = Math.max(1, image.getWidth() - 1);
        double h = Math.max(1, image.getHeight() - 1);
        for (CornerDetector.Point p : corners) {
            joints.add(new Joints.Joint(p.x() / w, p.y() / h, 1.0));
        }
        return new KeypointQuery(ImageFactory.getInstance().fromImage(image), new Joints(joints));
    }

    /**
     * Decodes an image's bytes.
     *
     * @param content the file's bytes
     * @param maxPixels the largest width times height accepted
     * @return the image
     * @throws IOException if the bytes are no image ImageIO can read, or the image is too large
     */
    public static BufferedImage decode(byte[] content, long maxPixels) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(content));
        if (image == null) {
            throw new IOException("cannot decode image (" + content.length
                    + " bytes); expected a PNG, JPEG, BMP or GIF file");
        }
        long pixels = (long) image.getWidth() * image.getHeight();
        if (pixels > maxPixels) {
            throw new IOException("image is " + image.getWidth() + "x" + image.getHeight() + " = " + pixels
                    + " pixels; expected at most " + maxPixels + " (--max-pixels)");
        }
        return image;
    }

    /** One task's work: a predictor from the JVM's shared backbone, groups of images. */
    private static final class KeypointPartition implements MapPartitionsFunction<Row, Row> {
        private static final long serialVersionUID = 1L;
        private final Options options;
        private final JobCounters counters;

        KeypointPartition(Options options, JobCounters counters) {
            this.options = options;
            this.counters = counters;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> input) throws Exception {
            Predictor<KeypointQuery, KeypointFeatures> predictor = Models.keypoints(options.model()).newPredictor();
            return new BatchingIterator(input, options.batchSize()) {
                @Override
                List<Row> process(List<Row> group) {
                    return featuresOf(predictor, group);
                }

                @Override
                void finish() {
                    predictor.close();
                }
            };
        }

        private List<Row> featuresOf(Predictor<KeypointQuery, KeypointFeatures> predictor, List<Row> group) {
            List<List<Row>> perImage = new ArrayList<>(group.size());
            List<Integer> valid = new ArrayList<>();
            List<KeypointQuery> queries = new ArrayList<>();
            List<List<CornerDetector.Point>> points = new ArrayList<>();
            for (int i = 0; i < group.size(); i++) {
                counters.addRecord();
                String path = group.get(i).getString(0);
                byte[] content = (byte[]) group.get(i).get(1);
                perImage.add(List.of());
                BufferedImage image;
                try {
                    image = decode(content, options.maxPixels());
                } catch (IOException | RuntimeException e) {
                    perImage.set(i, List.of(errorRow(path, e.getMessage())));
                    continue;
                }
                List<CornerDetector.Point> corners = corners(image, options);
                if (corners.isEmpty()) {
                    counters.addEmpty();
                    continue;
                }
                valid.add(i);
                queries.add(query(image, corners));
                points.add(corners);
            }
            if (!queries.isEmpty()) {
                List<KeypointFeatures> features = null;
                try {
                    features = predictor.batchPredict(queries);
                } catch (TranslateException | RuntimeException e) {
                    // one image the model fails on must not cost the others: run each alone
                }
                for (int k = 0; k < valid.size(); k++) {
                    int i = valid.get(k);
                    String path = group.get(i).getString(0);
                    try {
                        KeypointFeatures f = features != null ? features.get(k) : predictor.predict(queries.get(k));
                        perImage.set(i, rows(path, points.get(k), f));
                    } catch (TranslateException | RuntimeException e) {
                        perImage.set(i, List.of(errorRow(path, "keypoint model failed: " + e.getMessage())));
                    }
                }
            }
            List<Row> out = new ArrayList<>();
            for (List<Row> rows : perImage) {
                for (Row r : rows) {
                    counters.addRow();
                    if (!r.isNullAt(4)) {
                        counters.addError();
                    }
                    out.add(r);
                }
            }
            return out;
        }

        private static List<Row> rows(String path, List<CornerDetector.Point> corners, KeypointFeatures features) {
            List<Row> rows = new ArrayList<>(corners.size());
            for (int j = 0; j < corners.size(); j++) {
                CornerDetector.Point p = corners.get(j);
                rows.add(RowFactory.create(path, p.y(), p.x(), features.bilinear()[j], null));
            }
            return rows;
        }

        private static Row errorRow(String path, String error) {
            return RowFactory.create(path, null, null, null, error);
        }
    }
}
