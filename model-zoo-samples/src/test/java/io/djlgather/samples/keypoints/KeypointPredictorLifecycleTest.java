package io.djlgather.samples.keypoints;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.modality.cv.output.Joints;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import io.djlgather.samples.RssSlope;
import io.djlgather.samples.serve.ProcessMemory;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The saved keypoint feature model as users get it ({@link KeypointModels#load}) behind one
 * {@link Predictor} for 20,000 requests of mixed image sizes and keypoint counts, every tenth a
 * {@code batchPredict} of 2 to 4 queries: the model's manager holds as many arrays after request
 * 20,000 as after request 1,000, and the process's RSS grows by less than 8 MB over the second
 * 10,000 requests (a slope, not a level). Every answer's nearest-cell features are checked
 * against the backbone's feature map read in plain Java at the rounded keypoint.
 *
 * <p>On the code before the ownership rule (c0ec5a3) the count stayed at 83 but RSS grew 245 MB
 * over the second 10,000 requests: memory held outside any manager shows only in the slope.
 */
class KeypointPredictorLifecycleTest {

    static final int REQUESTS = 20_000;
    static final int SETTLED = 1_000;
    static final int HALF = 10_000;
    static final long MAX_RSS_SLOPE = 8_000_000;
    /** The backbone's image size: a 7x7 stride-2 stem and pooling, maps 1/8 of the side. */
    static final int IMAGE_SIZE = 40;

    @TempDir Path dir;

    /** A query and its reference: the feature map's values at each keypoint's nearest cell. */
    record Case(KeypointQuery query, float[][] nearest) {}

    @Test
    void twentyThousandRequestsLeaveTheModelsManagerAndRssFlat() throws Exception {
        Random random = new Random(3);
        List<Case> cases = new ArrayList<>();
        try (Model model = KeypointModels.create(IMAGE_SIZE, 3)) {
            for (int k = 0; k < 12; k++) {
                // 16 to 32 pixels a side: maps of 2x2 to 4x4 cells (the count of requests
                // matters here, not their size)
                int w = 16 + 4 * random.nextInt(5);
                int h = 16 + 4 * random.nextInt(5);
                Image image = ImageFactory.getInstance().fromImage(TestImages.scene(w, h, 100 + k));
                List<Joints.Joint> joints = new ArrayList<>();
                for (int j = 1 + random.nextInt(6); j > 0; j--) {
                    joints.add(new Joints.Joint(random.nextDouble(), random.nextDouble(), 1.0));
                }
                KeypointQuery query = new KeypointQuery(image, new Joints(joints));
                cases.add(new Case(query, nearestCells(model, query)));
            }
            KeypointModels.save(model, dir);
        }
        int[] counts = new int[3];
        double cpu;
        long[] rss = new long[3];
        // one reading every 1,000 requests over the second half, for the slope
        RssSlope secondHalf = new RssSlope();
        int mismatches = 0;
        int queries = 0;
        try (ZooModel<KeypointQuery, KeypointFeatures> model = KeypointModels.load(dir);
                Predictor<KeypointQuery, KeypointFeatures> predictor = model.newPredictor()) {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long cpu0 = threads.getCurrentThreadCpuTime();
            for (int request = 1; request <= REQUESTS; request++) {
                int size = request % 10 == 0 ? 2 + random.nextInt(3) : 1;
                List<Case> picked = new ArrayList<>();
                for (int i = 0; i < size; i++) {
                    picked.add(cases.get(random.nextInt(cases.size())));
                }
                List<KeypointFeatures> answers = size == 1
                        ? List.of(predictor.predict(picked.get(0).query()))
                        : predictor.batchPredict(picked.stream().map(Case::query).toList());
                for (int i = 0; i < size; i++) {
                    if (maxAbsDiff(answers.get(i).nearest(), picked.get(i).nearest()) > 1e-4) {
                        mismatches++;
                    }
                }
                queries += size;
                int checkpoint = request == SETTLED ? 0 : request == HALF ? 1 : request == REQUESTS ? 2 : -1;
                if (checkpoint >= 0) {
                    counts[checkpoint] = ProcessMemory.arrays(model);
                    rss[checkpoint] = ProcessMemory.rssBytes();
                }
                if (request >= HALF && request % 1_000 == 0) {
                    secondHalf.add(ProcessMemory.rssBytes());
                }
            }
            cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
        }
        System.out.printf(
                "Keypoint Predictor, %d requests (%d queries): model manager arrays after %d / %d / %d requests: %d / %d / %d;"
                        + " RSS %s / %s / %s, slope over the second %d requests %s; mismatches %d; loop CPU %.1f s%n",
                REQUESTS, queries, SETTLED, HALF, REQUESTS, counts[0], counts[1], counts[2],
                ProcessMemory.mb(rss[0]), ProcessMemory.mb(rss[1]), ProcessMemory.mb(rss[2]),
                REQUESTS - HALF, ProcessMemory.mb(secondHalf.growthBytes()), mismatches, cpu);
        assertEquals(0, mismatches, "answers whose nearest-cell features differ from the map read in Java");
        assertEquals(counts[0], counts[1], "model manager's arrays after " + HALF + " vs " + SETTLED + " requests");
        assertEquals(counts[0], counts[2], "model manager's arrays after " + REQUESTS + " vs " + SETTLED + " requests");
        assertTrue(secondHalf.growthBytes() < MAX_RSS_SLOPE,
                "RSS grew " + ProcessMemory.mb(secondHalf.growthBytes()) + " over requests " + HALF
                        + ".." + REQUESTS + " (median rise of the lower envelope x 10; readings "
                        + secondHalf.readings() + ")");
    }

    /**
     * The reference: the block's [1,C,h,w] map, computed without a Predictor or translator, read
     * in Java at each keypoint's nearest cell (x * (w - 1), y * (h - 1), rounded half up, clamped).
     */
    static float[][] nearestCells(Model model, KeypointQuery query) {
        try (NDManager manager = model.getNDManager().newSubManager()) {
            NDArray input = KeypointTranslator.normalise(manager, query.image());
            NDArray map = model.getBlock().forward(new ParameterStore(manager, false), new NDList(input), false).head();
            int c = (int) map.getShape().get(1);
            int h = (int) map.getShape().get(2);
            int w = (int) map.getShape().get(3);
            float[] values = map.toFloatArray();
            List<Joints.Joint> joints = query.keypoints().getJoints();
            float[][] out = new float[joints.size()][c];
            for (int n = 0; n < joints.size(); n++) {
                int x = clamp((int) Math.rint(joints.get(n).getX() * (w - 1)), w);
                int y = clamp((int) Math.rint(joints.get(n).getY() * (h - 1)), h);
                for (int ch = 0; ch < c; ch++) {
                    out[n][ch] = values[(ch * h + y) * w + x];
                }
            }
            return out;
        }
    }

    private static int clamp(int v, int size) {
        return Math.max(0, Math.min(size - 1, v));
    }

    private static double maxAbsDiff(float[][] a, float[][] b) {
        if (a.length != b.length) {
            return Double.POSITIVE_INFINITY;
        }
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i].length != b[i].length) {
                return Double.POSITIVE_INFINITY;
            }
            for (int j = 0; j < a[i].length; j++) {
                max = Math.max(max, Math.abs(a[i][j] - b[i][j]));
            }
        }
        return max;
    }
}
