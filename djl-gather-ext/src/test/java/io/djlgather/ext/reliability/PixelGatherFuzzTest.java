package io.djlgather.ext.reliability;

import ai.djl.Device;
import ai.djl.modality.cv.output.Joints;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.djlgather.ext.cv.OutOfBounds;
import io.djlgather.ext.cv.Padding;
import io.djlgather.ext.cv.PixelGather;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random calls of {@link PixelGather}'s helpers, valid and invalid: {@code gatherPixels} under
 * each {@link OutOfBounds} policy (both overloads), {@code sampleBilinear} under each {@link
 * Padding}, with and without a mask (sub-pixel, integer, border, far-away and NaN points), and
 * {@code pixelPoints}/{@code paddedPixelPoints} (valid and invalid map sizes, null and ragged
 * poses). Judged by {@link HelperFuzz} against naive loops. Cases: {@code
 * -Ddjlgather.reliability.cases} (a third of it here).
 */
class PixelGatherFuzzTest {

    private static final List<DataType> INDEX_TYPES = List.of(DataType.INT32, DataType.INT64);
    private static final List<DataType> FLOATS = List.of(DataType.FLOAT32, DataType.FLOAT64);
    private static final List<DataType> ANY = List.of(DataType.FLOAT32, DataType.FLOAT64,
            DataType.INT32, DataType.INT64, DataType.FLOAT16, DataType.BOOLEAN);

    @Test
    void pixelHelpersMatchTheReferenceOrFailWithTheirOwnError() {
        int cases = HelperFuzz.cases(3);
        HelperFuzz.Tally tally = new HelperFuzz.Tally("pixels");
        try (NDManager base = NDManager.newBaseManager(Device.cpu())) {
            for (long i = 0; i < cases; i++) {
                SplittableRandom rnd = HelperFuzz.random(13, i);
                int which = rnd.nextInt(10);
                tally.run(base, i, which < 4 ? gatherPixels(rnd)
                        : which < 8 ? sampleBilinear(rnd) : pixelPoints(rnd));
            }
        }
        tally.report();
    }

    // ---------------------------------------------------------------------------------------
    // gatherPixels

    static HelperFuzz.Call gatherPixels(SplittableRandom rnd) {
        int b = rnd.nextInt(3);
        int ch = rnd.nextInt(4);
        int h = rnd.nextInt(10) == 0 ? 0 : 1 + rnd.nextInt(4);
        int w = rnd.nextInt(10) == 0 ? 0 : 1 + rnd.nextInt(4);
        int n = rnd.nextInt(4);
        OutOfBounds policy = OutOfBounds.values()[rnd.nextInt(3)];
        boolean overload = rnd.nextInt(4) == 0; // the two-argument form: ERROR
        if (overload) {
            policy = OutOfBounds.ERROR;
        }
        DataType type = HelperFuzz.pick(rnd, ANY);
        Arr features = type == DataType.BOOLEAN
                ? HelperFuzz.ints(rnd, type, new long[] {b, ch, h, w}, 0, 1)
                : HelperFuzz.ints(rnd, type, new long[] {b, ch, h, w}, -9, 9);
        double outside = policy == OutOfBounds.ERROR ? 0.03 : 0.3;
        double[] yx = new double[b * n * 2];
        for (int p = 0; p < b * n; p++) {
            boolean out = rnd.nextDouble() < outside;
            yx[2 * p] = out ? rnd.nextInt(h + 6) - 3 : rnd.nextInt(Math.max(1, h));
            yx[2 * p + 1] = out ? rnd.nextInt(w + 6) - 3 : rnd.nextInt(Math.max(1, w));
        }
        Arr coords = new Arr(HelperFuzz.pick(rnd, INDEX_TYPES), new long[] {b, n, 2}, yx);
        String mutation = "valid";
        boolean policyNull = false;
        if (rnd.nextDouble() < 0.35) {
            switch (rnd.nextInt(overload ? 7 : 8)) {
                case 0: features = null; mutation = "features null"; break;
                case 1: coords = null; mutation = "coords null"; break;
                case 2:
                    features = features.reshaped(new long[] {b, ch, (long) h * w});
                    mutation = "features rank 3";
                    break;
                case 3:
                    coords = coords.withType(rnd.nextBoolean() ? DataType.FLOAT32 : DataType.INT8);
                    mutation = "coords dtype";
                    break;
                case 4:
                    coords = rnd.nextBoolean() ? coords.reshaped(new long[] {b, 2L * n})
                            : coords.reshaped(new long[] {b, n, 2, 1});
                    mutation = "coords rank";
                    break;
                case 5:
                    coords = HelperFuzz.zeros(coords.type, rnd.nextBoolean()
                            ? new long[] {b + 1, n, 2} : new long[] {b, n, rnd.nextBoolean() ? 1 : 3});
                    mutation = "coords shape";
                    break;
                case 6:
                    if (b * n > 0) {
                        int p = rnd.nextInt(b * n);
                        yx[2 * p + rnd.nextInt(2)] = rnd.nextBoolean() ? -1 - rnd.nextInt(3)
                                : Math.max(h, w) + rnd.nextInt(3);
                    }
                    mutation = "point outside the map";
                    break;
                default: policyNull = true; mutation = "policy null"; break;
            }
        }
        OutOfBounds pol = policyNull ? null : policy;
        HelperFuzz.Call c = new HelperFuzz.Call("gatherPixels",
                List.of("features", "coords", "policy"), features, coords);
        c.mutation = mutation;
        c.extra = overload ? " (two-argument form)" : ", policy=" + pol;
        c.invalid = gatherPixelsInvalid(features, coords, pol);
        c.invoker = overload ? (scope, a) -> PixelGather.gatherPixels(a[0], a[1])
                : (scope, a) -> PixelGather.gatherPixels(a[0], a[1], pol);
        Arr f = features;
        Arr co = coords;
        c.judge = (scope, a, r) -> {
            double[] want = new double[b * n * ch];
            for (int bi = 0; bi < b; bi++) {
                for (int p = 0; p < n; p++) {
                    int y = (int) co.data[(bi * n + p) * 2];
                    int x = (int) co.data[(bi * n + p) * 2 + 1];
                    boolean inside = y >= 0 && y < h && x >= 0 && x < w;
                    if (!inside && pol == OutOfBounds.CLAMP) {
                        y = Math.min(Math.max(y, 0), h - 1);
                        x = Math.min(Math.max(x, 0), w - 1);
                        inside = true;
                    }
                    for (int ci = 0; ci < ch && inside; ci++) {
                        want[(bi * n + p) * ch + ci] = f.data[((bi * ch + ci) * h + y) * w + x];
                    }
                }
            }
            return HelperFuzz.expect("result", r[0], new long[] {b, n, ch}, f.type, scope, want,
                    0);
        };
        return c;
    }

    private static String gatherPixelsInvalid(Arr features, Arr coords, OutOfBounds policy) {
        if (features == null || coords == null || policy == null) {
            return "null";
        }
        if (features.rank() != 4) {
            return "features rank";
        }
        String points = pointsInvalid(coords, features, INDEX_TYPES);
        if (points != null) {
            return points;
        }
        long h = features.size(2);
        long w = features.size(3);
        if (policy == OutOfBounds.CLAMP && h * w == 0 && coords.numel() > 0) {
            return "CLAMP on an empty map";
        }
        if (policy == OutOfBounds.ERROR) {
            for (int p = 0; p < coords.numel(); p += 2) {
                double y = coords.data[p];
                double x = coords.data[p + 1];
                if (y < 0 || y >= h || x < 0 || x >= w) {
                    return "point outside the map";
                }
            }
        }
        return null;
    }

    private static String pointsInvalid(Arr points, Arr features, List<DataType> types) {
        if (!types.contains(points.type)) {
            return "points dtype";
        }
        if (points.rank() != 3 || points.size(2) != 2 || points.size(0) != features.size(0)) {
            return "points shape";
        }
        return null;
    }

    // ---------------------------------------------------------------------------------------
    // sampleBilinear

    static HelperFuzz.Call sampleBilinear(SplittableRandom rnd) {
        int b = rnd.nextInt(3);
        int ch = rnd.nextInt(4);
        int h = rnd.nextInt(10) == 0 ? 0 : 1 + rnd.nextInt(4);
        int w = rnd.nextInt(10) == 0 ? 0 : 1 + rnd.nextInt(4);
        int n = rnd.nextInt(4);
        boolean masked = rnd.nextBoolean();
        Padding padding = Padding.values()[rnd.nextInt(2)];
        DataType type = HelperFuzz.pick(rnd, FLOATS);
        Arr features = HelperFuzz.ints(rnd, type, new long[] {b, ch, h, w}, -9, 9);
        double[] xy = new double[b * n * 2];
        for (int p = 0; p < xy.length; p++) {
            int size = p % 2 == 0 ? w : h;
            switch (rnd.nextInt(8)) {
                case 0: xy[p] = rnd.nextInt(Math.max(1, size)); break; // a pixel
                case 1: xy[p] = rnd.nextBoolean() ? 0 : size - 1; break; // a border
                case 2: xy[p] = rnd.nextBoolean() ? 1e6 : -1e6; break; // far away
                case 3: xy[p] = rnd.nextInt(20) == 0 ? Double.NaN : -0.5; break;
                default: xy[p] = (float) (rnd.nextDouble() * (size + 3) - 1.5); break;
            }
        }
        Arr points = new Arr(HelperFuzz.pick(rnd, FLOATS), new long[] {b, n, 2}, xy);
        Arr mask = null;
        if (masked) {
            DataType mt = HelperFuzz.pick(rnd, List.of(DataType.BOOLEAN, DataType.INT32,
                    DataType.INT64, DataType.FLOAT32, DataType.FLOAT64, DataType.INT8));
            mask = HelperFuzz.ints(rnd, mt, new long[] {b, n}, mt == DataType.BOOLEAN ? 0 : -1,
                    mt == DataType.BOOLEAN ? 1 : 2);
            for (int p = 0; p < b * n; p++) {
                if (mask.data[p] == 0 && rnd.nextBoolean()) { // garbage at padded points
                    xy[2 * p] = Double.NaN;
                    xy[2 * p + 1] = 1e9;
                }
            }
        }
        String mutation = "valid";
        boolean paddingNull = false;
        if (rnd.nextDouble() < 0.4) {
            switch (rnd.nextInt(masked ? 10 : 8)) {
                case 0: features = null; mutation = "features null"; break;
                case 1: points = null; mutation = "points null"; break;
                case 2:
                    features = features.withType(rnd.nextBoolean() ? DataType.INT32 : DataType.INT64);
                    mutation = "int features";
                    break;
                case 3:
                    features = features.reshaped(new long[] {b, ch, h, w, 1});
                    mutation = "features rank 5";
                    break;
                case 4:
                    points = points.withType(rnd.nextBoolean() ? DataType.INT32 : DataType.INT64);
                    mutation = "int points";
                    break;
                case 5:
                    points = HelperFuzz.zeros(points.type, rnd.nextBoolean()
                            ? new long[] {b + 1, n, 2} : new long[] {b, n, rnd.nextBoolean() ? 1 : 3});
                    mutation = "points shape";
                    break;
                case 6:
                    points = points.reshaped(new long[] {b, 2L * n});
                    mutation = "points rank 2";
                    break;
                case 7: paddingNull = true; mutation = "padding null"; break;
                case 8: mask = null; mutation = "mask null"; break;
                default:
                    mask = HelperFuzz.zeros(mask.type, rnd.nextBoolean()
                            ? new long[] {b, n + 1} : new long[] {b, n, 1});
                    mutation = "mask shape";
                    break;
            }
        }
        Padding pad = paddingNull ? null : padding;
        HelperFuzz.Call c = new HelperFuzz.Call("sampleBilinear",
                List.of("features", "points", "mask", "padding"), features, points, mask);
        c.mutation = mutation;
        c.extra = ", padding=" + pad + (masked ? " (masked form)" : "");
        c.invalid = sampleBilinearInvalid(features, points, mask, masked, pad);
        c.invoker = masked ? (scope, a) -> PixelGather.sampleBilinear(a[0], a[1], a[2], pad)
                : (scope, a) -> PixelGather.sampleBilinear(a[0], a[1], pad);
        Arr f = features;
        Arr pt = points;
        Arr mk = mask;
        c.judge = (scope, a, r) -> {
            boolean single = f.type == DataType.FLOAT32;
            double[] want = new double[b * n * ch];
            for (int bi = 0; bi < b; bi++) {
                for (int p = 0; p < n; p++) {
                    if (mk != null && mk.data[bi * n + p] == 0) {
                        continue;
                    }
                    double x = pt.data[(bi * n + p) * 2];
                    double y = pt.data[(bi * n + p) * 2 + 1];
                    if (single) { // points are converted to the features' dtype first
                        x = (float) x;
                        y = (float) y;
                    }
                    for (int ci = 0; ci < ch; ci++) {
                        want[(bi * n + p) * ch + ci] = bilinear(f, bi, ci, h, w, x, y, pad);
                    }
                }
            }
            return HelperFuzz.expect("result", r[0], new long[] {b, n, ch}, f.type, scope, want,
                    single ? 1e-5 : 1e-12);
        };
        return c;
    }

    /** The formula of sampleBilinear's Javadoc, in double. */
    private static double bilinear(Arr f, int b, int c, int h, int w, double x, double y,
            Padding padding) {
        if (Double.isNaN(x) || Double.isNaN(y)) {
            return 0;
        }
        if (padding == Padding.BORDER) {
            x = Math.min(Math.max(x, 0), w - 1);
            y = Math.min(Math.max(y, 0), h - 1);
        }
        double x0 = Math.floor(x);
        double y0 = Math.floor(y);
        double x1 = x0 + 1;
        double y1 = y0 + 1;
        return (x1 - x) * (y1 - y) * pixel(f, b, c, h, w, y0, x0)
                + (x - x0) * (y1 - y) * pixel(f, b, c, h, w, y0, x1)
                + (x1 - x) * (y - y0) * pixel(f, b, c, h, w, y1, x0)
                + (x - x0) * (y - y0) * pixel(f, b, c, h, w, y1, x1);
    }

    private static double pixel(Arr f, int b, int c, int h, int w, double y, double x) {
        if (y < 0 || y > h - 1 || x < 0 || x > w - 1) {
            return 0;
        }
        int ch = (int) f.size(1);
        return f.data[(int) (((b * ch + c) * h + y) * w + x)];
    }

    private static String sampleBilinearInvalid(Arr features, Arr points, Arr mask,
            boolean masked, Padding padding) {
        if (features == null || points == null || padding == null || (masked && mask == null)) {
            return "null";
        }
        if (features.rank() != 4 || !FLOATS.contains(features.type)) {
            return "features rank or dtype";
        }
        String p = pointsInvalid(points, features, FLOATS);
        if (p != null) {
            return p;
        }
        if (masked && !Arrays.equals(mask.shape, new long[] {points.size(0), points.size(1)})) {
            return "mask shape";
        }
        return null;
    }

    // ---------------------------------------------------------------------------------------
    // pixelPoints, paddedPixelPoints

    static HelperFuzz.Call pixelPoints(SplittableRandom rnd) {
        int form = rnd.nextInt(3); // 0: one pose, 1: a list, 2: padded
        int b = form == 0 ? 1 : rnd.nextInt(4);
        int n = rnd.nextInt(4);
        boolean ragged = form == 2 ? rnd.nextBoolean() : rnd.nextInt(8) == 0;
        List<Joints> poses = new ArrayList<>();
        for (int p = 0; p < b; p++) {
            int size = ragged ? rnd.nextInt(4) : n;
            List<Joints.Joint> joints = new ArrayList<>();
            for (int j = 0; j < size; j++) {
                joints.add(new Joints.Joint(rnd.nextDouble() * 1.4 - 0.2, rnd.nextDouble(),
                        rnd.nextDouble()));
            }
            poses.add(new Joints(joints));
        }
        int height = rnd.nextInt(12) == 0 ? -rnd.nextInt(2) : 1 + rnd.nextInt(40);
        int width = rnd.nextInt(12) == 0 ? -rnd.nextInt(2) : 1 + rnd.nextInt(40);
        String mutation = "valid";
        boolean managerNull = false;
        if (rnd.nextDouble() < 0.25) {
            switch (rnd.nextInt(4)) {
                case 0: managerNull = true; mutation = "manager null"; break;
                case 1: poses = null; mutation = "joints null"; break;
                case 2:
                    if (form != 0) {
                        poses.add(rnd.nextInt(poses.size() + 1), null);
                    }
                    mutation = "a null pose";
                    break;
                default:
                    if (b > 0) {
                        List<Joints.Joint> joints = new ArrayList<>(poses.get(0).getJoints());
                        joints.add(rnd.nextInt(joints.size() + 1), null);
                        poses.set(0, new Joints(joints));
                    }
                    mutation = "a null joint";
                    break;
            }
        }
        String op = form == 2 ? "paddedPixelPoints" : "pixelPoints";
        HelperFuzz.Call c = new HelperFuzz.Call(op,
                List.of("manager", "joints", "height", "width"));
        c.mutation = mutation + (ragged ? ", ragged" : "");
        List<Joints> list = poses;
        String before = describe(list);
        c.extra = "poses=" + before + ", height=" + height + ", width=" + width + ", form=" + form;
        c.invalid = pixelPointsInvalid(list, form, height, width, managerNull);
        boolean noManager = managerNull;
        c.invoker = (scope, a) -> {
            NDManager m = noManager ? null : scope;
            if (form == 0) {
                return PixelGather.pixelPoints(m, list == null ? null : list.get(0), height, width);
            }
            return form == 1 ? PixelGather.pixelPoints(m, list, height, width)
                    : PixelGather.paddedPixelPoints(m, list, height, width);
        };
        c.judge = (scope, a, r) -> {
            if (!before.equals(describe(list))) {
                return "modified the joints";
            }
            int max = 0;
            for (Joints pose : list) {
                max = Math.max(max, pose.getJoints().size());
            }
            double[] want = new double[list.size() * max * 2];
            double[] mask = new double[list.size() * max];
            for (int p = 0; p < list.size(); p++) {
                List<Joints.Joint> joints = list.get(p).getJoints();
                for (int j = 0; j < joints.size(); j++) {
                    want[(p * max + j) * 2] = (float) (joints.get(j).getX() * (width - 1));
                    want[(p * max + j) * 2 + 1] = (float) (joints.get(j).getY() * (height - 1));
                    mask[p * max + j] = 1;
                }
            }
            long[] shape = {list.size(), max, 2};
            String failure = HelperFuzz.expect("points", r[0], shape, DataType.FLOAT32, scope,
                    want, 0);
            if (failure == null && form == 2) {
                failure = HelperFuzz.expect("mask", r[1], new long[] {list.size(), max},
                        DataType.BOOLEAN, scope, mask, 0);
            }
            return failure;
        };
        return c;
    }

    private static String pixelPointsInvalid(List<Joints> poses, int form, int height,
            int width, boolean managerNull) {
        if (managerNull || poses == null || height < 1 || width < 1) {
            return "null or map size";
        }
        int n = -1;
        for (Joints pose : poses) {
            if (pose == null || pose.getJoints().contains(null)) {
                return "null pose or joint";
            }
            if (form != 2 && n >= 0 && pose.getJoints().size() != n) {
                return "ragged poses";
            }
            n = pose.getJoints().size();
        }
        return null;
    }

    private static String describe(List<Joints> poses) {
        if (poses == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder("[");
        for (Joints pose : poses) {
            if (pose == null) {
                sb.append("null ");
                continue;
            }
            sb.append('(');
            for (Joints.Joint j : pose.getJoints()) {
                sb.append(j == null ? "null" : j.getX() + "," + j.getY()).append(' ');
            }
            sb.append(')');
        }
        return sb.append(']').toString();
    }
}
