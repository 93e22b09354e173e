package io.djlgather.spark;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code keypoints}: an image folder in, one row per keypoint out ({@link KeypointJob}). */
@Command(
        name = "keypoints",
        mixinStandardHelpOptions = true,
        description = {
            "Reads an image folder with Spark's binaryFile source, finds Harris corners in each image and reads "
                    + "the samples' keypoint backbone (keypoint-features) at them with PixelGather.sampleBilinear: "
                    + "one row per keypoint (path, y, x, feature[], error), as Parquet or JSON Lines.",
            "An image that cannot be decoded or is larger than --max-pixels gives one row with an error and is "
                    + "counted; it never fails the job."
        })
public final class KeypointsCommand implements Callable<Integer> {

    @Mixin JobOptions job = new JobOptions();

    @Option(names = "--input", required = true, paramLabel = "DIR", description = "The image folder (read recursively).")
    Path input;

    @Option(names = "--glob", defaultValue = "*.{png,jpg,jpeg,bmp,gif,PNG,JPG,JPEG}",
            description = "File names to read (default: ${DEFAULT-VALUE}).")
    String glob;

    @Option(names = "--model", required = true, paramLabel = "DIR|URL",
            description = "The keypoint-features model folder (path or file: URL), e.g. model-zoo-samples/build/zoo/keypoint-features.")
    String model;

    @Option(names = "--keypoints", defaultValue = "16", description = "Most corners per image (default: ${DEFAULT-VALUE}).")
    int keypoints;

    @Option(names = "--min-distance", defaultValue = "4", description = "Least distance between corners in pixels (default: ${DEFAULT-VALUE}).")
    int minDistance;

    @Option(names = "--margin", defaultValue = "2", description = "Least distance of a corner from the border (default: ${DEFAULT-VALUE}).")
    int margin;

    @Option(names = "--max-pixels", defaultValue = "16777216",
            description = "Largest image (width x height) accepted; larger ones give an error row (default: ${DEFAULT-VALUE}).")
    long maxPixels;

    @Override
    public Integer call() throws Exception {
        checkedOptions();  // a missing model or input fails before Spark starts
        SparkSession spark = job.session("djl-gather-spark keypoints");
        try {
            run(spark, System.out);
        } finally {
            spark.stop();
        }
        return 0;
    }

    /**
     * Checks everything on the driver, then runs the job in a session.
     *
     * @param spark the session
     * @param out where progress and the summary go
     * @return the summary
     * @throws Exception if the folder cannot be listed or the output written
     */
    public JobOptions.Summary run(SparkSession spark, PrintStream out) throws Exception {
        KeypointJob.Options options = checkedOptions();
        Dataset<Row> images = KeypointJob.readImages(spark, input.toAbsolutePath().toString(), glob, job.partitions);
        JobCounters counters = JobCounters.register(spark.sparkContext(), "keypoints");
        return job.write(spark, "keypoints", KeypointJob.features(images, options, counters), counters, out);
    }

    /** The driver's checks: model, input, output and counts, before any Spark work. */
    KeypointJob.Options checkedOptions() {
        ModelLocation location = ModelLocation.parse(ModelLocation.Kind.KEYPOINTS, "--model", model)
                .check("keypoints: --model");
        if (!Files.isDirectory(input)) {
            throw new IllegalArgumentException("keypoints: --input " + input + " is not a folder; expected a folder of images");
        }
        job.check("keypoints");
        return new KeypointJob.Options(location, job.batchSize, keypoints, minDistance, margin, maxPixels);
    }
}
