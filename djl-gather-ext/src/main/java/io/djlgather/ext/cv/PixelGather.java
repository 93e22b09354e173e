package io.djlgather.ext.cv;

import ai.djl.Device;
import ai.djl.modality.cv.output.Joints;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import io.djlgather.ext.internal.Checks;
import io.djlgather.ext.internal.OpCall;

import java.util.List;

/**
 * Features at keypoints of a feature map, for pose, landmark and detection pipelines: exact
 * pixels ({@link #gatherPixels}), bilinear samples at sub-pixel points ({@link #sampleBilinear},
 * equal to {@code grid_sample} with {@code align_corners=True}). The bridge from DJL's pose
 * output to points lives in {@link PosePoints} ({@link #pixelPoints} delegates to it).
 *
 * <p>Feature maps are {@code [B,C,H,W]}. A pixel {@code (y, x)} of a map is read as position
 * {@code y * W + x} of the map flattened to {@code [B,C,H*W]}, by one {@code torch.gather} per
 * call whose index is expanded over the channels (a stride-0 view, never a {@code [B,C,N]} copy).
 * Each helper is one call of the op library, so its steps cost one round trip, on whatever device
 * the features live. Results are new arrays on the features' device, attached to the youngest of
 * the arguments' managers (the rule in {@link io.djlgather.ext.GatherOps}: a request's points on
 * a long-lived feature map give a result owned by the request); inputs are never modified. Coordinates, points and masks on another device are copied
 * to the features' device.
 *
 * <p>Example (jshell):
 *
 * <pre>
 * jshell&gt; var f = manager.arange(24f).reshape(1, 2, 3, 4);        // B=1, C=2, H=3, W=4
 * jshell&gt; var yx = manager.create(new int[] {0, 0, 2, 3}, new Shape(1, 2, 2));
 * jshell&gt; PixelGather.gatherPixels(f, yx);
 * ND: (1, 2, 2) cpu() float32
 * [[[ 0., 12.],
 *   [11., 23.],
 *  ],
 * ]
 * </pre>
 */
public final class PixelGather {

    private PixelGather() {}

    // ---------------------------------------------------------------------------------------
    // Operations: exact pixels

    /**
     * Gathers the feature vectors at integer pixels; a point outside the map is an error. Same as
     * {@link #gatherPixels(NDArray, NDArray, OutOfBounds)} with {@link OutOfBounds#ERROR}.
     *
     * @param features [B,C,H,W], any dtype
     * @param coords [B,N,2] int32 or int64 {@code (y, x)} pixel positions
     * @return [B,N,C], features' dtype and device
     * @throws IllegalArgumentException as {@link #gatherPixels(NDArray, NDArray, OutOfBounds)}
     */
    public static NDArray gatherPixels(NDArray features, NDArray coords) {
        return gatherPixels(features, coords, OutOfBounds.ERROR);
    }

    /**
     * Gathers the feature vectors at integer pixels:
     *
     * <pre>
     * out[b][n][c] = features[b][c][y][x]    with (y, x) = coords[b][n]
     * </pre>
     *
     * <p>Points outside the map ({@code y < 0 || y >= H || x < 0 || x >= W}) follow {@code
     * policy}: {@link OutOfBounds#ERROR} rejects the call naming the first such point (this
     * policy reads one int64 back to the host per call; the others never sync), {@link
     * OutOfBounds#CLAMP} reads the nearest pixel of the map, {@link OutOfBounds#ZERO} gives the
     * point zero features. The kernel never reads outside the map under any policy, so a bad
     * point cannot poison a CUDA context.
     *
     * <p>Implemented as one gather over the flattened map: features viewed as {@code [B,C,H*W]},
     * index {@code y * W + x} of shape {@code [B,1,N]} expanded (not copied) over C, the result
     * transposed to {@code [B,N,C]}. Features laid out channels-last (a {@code [B,C,H,W]} view
     * of contiguous {@code [B,H,W,C]} data, as from {@code nhwc.transpose(0, 3, 1, 2)}) are read
     * instead as rows of a {@code [B*H*W,C]} view, one {@code index_select} of whole rows, which
     * gives {@code [B,N,C]} without the transpose. Gradient w.r.t. features: the output gradient added into the
     * gathered pixels (zero for points given zeros by {@link OutOfBounds#ZERO}). A map with
     * {@code H*W == 0} gives zeros (ZERO) or an error (ERROR, CLAMP: no pixel to read).
     *
     * @param features [B,C,H,W], any dtype
     * @param coords [B,N,2] int32 or int64 {@code (y, x)} pixel positions (row first)
     * @param policy what to do with a point outside the map
     * @return [B,N,C], features' dtype and device, attached to the youngest of the arguments'
     *     managers (the rule in {@link io.djlgather.ext.GatherOps})
     * @throws IllegalArgumentException if an argument is null, features is not of rank 4, coords
     *     is not int32/int64, not of rank 3, its last dimension is not 2 or its batch size differs
     *     from features'; with {@link OutOfBounds#ERROR} if a point is outside the map (the
     *     message names its batch b, point n, its {@code (y, x)} and the valid ranges); with
     *     {@link OutOfBounds#CLAMP} if {@code H*W == 0} and {@code B*N > 0}
     * @see <a href="https://pytorch.org/docs/stable/generated/torch.gather.html">torch.gather</a>
     */
    public static NDArray gatherPixels(NDArray features, NDArray coords, OutOfBounds policy) {
        String op = "gatherPixels";
        PtNDArray f = Checks.array(op, "features", features);
        Checks.rank(op, "features", f, 4);
        PtNDArray c = Checks.index(op, "coords", coords);
        checkPoints(op, "coords", c, f, "(y, x)");
        Checks.notNull(op, "policy", policy);
        Shape fs = f.getShape();
        long batch = fs.get(0);
        long n = c.getShape().get(1);
        long height = fs.get(2);
        long width = fs.get(3);
        if (policy == OutOfBounds.CLAMP && height * width == 0 && batch * n > 0) {
            throw Checks.fail(op, "features", "has an empty map, so CLAMP has no pixel to read",
                    "H >= 1 and W >= 1", "shape " + fs);
        }
        int mode;
        switch (policy) {
            case ERROR: mode = 0; break;
            case CLAMP: mode = 1; break;
            default: mode = 2; break;
        }
        try (OpCall call = new OpCall(op, f)) {
            PtNDArray cd = call.onDevice(c);
            // the kernel masks every point outside the map itself (under every policy), so
            // there is no index read for the device runtime to check first
            NDList result = call.libraryTuple("pixel_gather", f, cd, mode);
            NDArray out = result.get(0);
            try (NDArray firstBad = result.get(1)) {
                long first = policy == OutOfBounds.ERROR ? firstBad.toLongArray()[0] : -1;
                if (first >= 0) {
                    out.close();
                    long b = first / n;
                    long p = first % n;
                    long[] yx = readPoint(c, b, p);
                    throw Checks.fail(op, "coords",
                            "has a point outside the feature map at batch " + b + ", point " + p,
                            "y in [0, " + height + ") and x in [0, " + width + ")",
                            "(y, x) = (" + yx[0] + ", " + yx[1] + ")");
                }
            }
            return out;
        }
    }

    // ---------------------------------------------------------------------------------------
    // Operations: bilinear samples

    /**
     * Samples the feature maps bilinearly at sub-pixel points, exactly as
     * {@code torch.nn.functional.grid_sample(features, grid, mode='bilinear',
     * padding_mode=padding, align_corners=True)} for the grid of the same points. With
     * {@code (x, y) = points[b][n]} in pixel units ({@code x} in {@code [0, W-1]} spans the map;
     * grid_sample's normalized coordinate is {@code 2 * x / (W-1) - 1}):
     *
     * <pre>
     * BORDER first clips: x = min(max(x, 0), W-1), y = min(max(y, 0), H-1)
     * x0 = floor(x), x1 = x0 + 1, y0 = floor(y), y1 = y0 + 1
     * out[b][n][c] =   (x1-x)(y1-y) v(y0,x0) + (x-x0)(y1-y) v(y0,x1)
     *                + (x1-x)(y-y0) v(y1,x0) + (x-x0)(y-y0) v(y1,x1)
     * v(i,j) = features[b][c][i][j] inside the map, 0 outside
     * </pre>
     *
     * <p>Gradients, as grid_sample's backward: w.r.t. features, each corner gets the output
     * gradient times its weight; w.r.t. points, through the weights only (the corners are
     * constants), so the result is piecewise linear in x and y. Exactly at an integer coordinate
     * {@code x = k} the corners are {@code k} and {@code k+1}, so {@code d out / dx} is the
     * one-sided difference {@code v(., k+1) - v(., k)} (with {@code v = 0} outside the map: at
     * {@code x = W-1} under ZEROS it is {@code -v(., W-1)}); likewise for y. Under BORDER the
     * derivative is 0 wherever the coordinate is clipped, the borders {@code x = 0} and {@code x
     * = W-1} themselves included. A point more than one pixel outside the map under ZEROS gives
     * zeros and zero gradient; a NaN coordinate gives zeros.
     *
     * <p>Implemented as one gather of the four neighbours of all N points ({@code [B,1,4N]}
     * index expanded over C) from the {@code [B,C,H*W]} view, then a weighted sum. A map with
     * {@code H*W == 0} gives zeros.
     *
     * @param features [B,C,H,W] float32 or float64
     * @param points [B,N,2] float32 or float64 {@code (x, y)} in pixel units (column first, as
     *     grid_sample's grid), converted to features' dtype
     * @param padding what pixels outside the map read as
     * @return [B,N,C], features' dtype and device, attached to the youngest of the arguments'
     *     managers (the rule in {@link io.djlgather.ext.GatherOps})
     * @throws IllegalArgumentException if an argument is null, features is not of rank 4 or not
     *     float32/float64, points is not float32/float64, not of rank 3, its last dimension is not
     *     2 or its batch size differs from features'
     * @see <a href="https://pytorch.org/docs/stable/generated/torch.nn.functional.grid_sample.html">torch.nn.functional.grid_sample</a>
     */
    public static NDArray sampleBilinear(NDArray features, NDArray points, Padding padding) {
        String op = "sampleBilinear";
        PtNDArray f = checkFeatures(op, features);
        PtNDArray p = checkFloatPoints(op, points, f);
        Checks.notNull(op, "padding", padding);
        try (OpCall call = new OpCall(op, f)) {
            return call.library("sample_bilinear", f, call.onDevice(p),
                    padding == Padding.BORDER);
        }
    }

    /**
     * {@link #sampleBilinear(NDArray, NDArray, Padding)} for padded point sets: where {@code
     * mask[b][n] == 0} the result is 0 and no gradient flows to features or to that point, and
     * the point's coordinates are never read (they may be garbage, NaN included).
     *
     * <pre>
     * out[b][n][c] = mask[b][n] != 0 ? sampleBilinear(...)[b][n][c] : 0
     * </pre>
     *
     * @param features [B,C,H,W] float32 or float64
     * @param points [B,N,2] float32 or float64 {@code (x, y)} in pixel units
     * @param mask [B,N] boolean or numeric, nonzero for a real point
     * @param padding what pixels outside the map read as
     * @return [B,N,C], features' dtype and device, attached to the youngest of the arguments'
     *     managers (the rule in {@link io.djlgather.ext.GatherOps})
     * @throws IllegalArgumentException as {@link #sampleBilinear(NDArray, NDArray, Padding)}, or
     *     if mask is null, not boolean/numeric or not of shape [B,N]
     * @see PixelPoints
     */
    public static NDArray sampleBilinear(
            NDArray features, NDArray points, NDArray mask, Padding padding) {
        String op = "sampleBilinear";
        PtNDArray f = checkFeatures(op, features);
        PtNDArray p = checkFloatPoints(op, points, f);
        PtNDArray m = Checks.array(op, "mask", mask);
        DataType mt = m.getDataType();
        if (!mt.isBoolean() && !mt.isInteger() && !mt.isFloating()) {
            throw Checks.fail(op, "mask", "must be boolean or numeric",
                    "dtype boolean, an integer or a float", mt);
        }
        Shape want = new Shape(p.getShape().get(0), p.getShape().get(1));
        if (!want.equals(m.getShape())) {
            throw Checks.fail(op, "mask", "must have one entry per point",
                    "shape " + want + " (points shape " + p.getShape() + ")", m.getShape());
        }
        Checks.notNull(op, "padding", padding);
        try (OpCall call = new OpCall(op, f)) {
            return call.library("sample_bilinear_masked", f, call.onDevice(p),
                    call.onDevice(m), padding == Padding.BORDER);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Bridge: DJL pose output to pixel points (the work lives in PosePoints)

    /**
     * Turns one pose of DJL's pose estimation output into points for {@link #sampleBilinear}.
     *
     * @param manager the manager (and so the device) of the result
     * @param joints one pose; its joints hold normalized coordinates
     * @param height H of the feature map the points will sample
     * @param width W of the feature map the points will sample
     * @return [1,N,2] float32 {@code (x, y)} in pixel units
     * @throws IllegalArgumentException as {@link PosePoints#pixelPoints(NDManager, Joints, int,
     *     int)}
     * @see PosePoints#pixelPoints(NDManager, Joints, int, int)
     */
    public static NDArray pixelPoints(NDManager manager, Joints joints, int height, int width) {
        return PosePoints.pixelPoints(manager, joints, height, width);
    }

    /**
     * Turns DJL's pose estimation output into points for {@link #sampleBilinear}.
     *
     * @param manager the manager (and so the device) of the result
     * @param joints B poses of N joints each
     * @param height H of the feature map the points will sample
     * @param width W of the feature map the points will sample
     * @return [B,N,2] float32 {@code (x, y)} in pixel units; [0,0,2] for an empty list
     * @throws IllegalArgumentException as {@link PosePoints#pixelPoints(NDManager, List, int,
     *     int)}
     * @see PosePoints#pixelPoints(NDManager, List, int, int)
     */
    public static NDArray pixelPoints(
            NDManager manager, List<Joints> joints, int height, int width) {
        return PosePoints.pixelPoints(manager, joints, height, width);
    }

    /**
     * Points and mask for poses of different lengths.
     *
     * @param manager the manager (and so the device) of the result
     * @param joints B poses
     * @param height H of the feature map the points will sample
     * @param width W of the feature map the points will sample
     * @return points [B,N,2] float32 and mask [B,N] boolean
     * @throws IllegalArgumentException as {@link PosePoints#paddedPixelPoints(NDManager, List,
     *     int, int)}
     * @see PosePoints#paddedPixelPoints(NDManager, List, int, int)
     */
    public static PixelPoints paddedPixelPoints(
            NDManager manager, List<Joints> joints, int height, int width) {
        return PosePoints.paddedPixelPoints(manager, joints, height, width);
    }

    // ---------------------------------------------------------------------------------------
    // Checks and helpers

    private static PtNDArray checkFeatures(String op, NDArray features) {
        PtNDArray f = Checks.array(op, "features", features);
        Checks.rank(op, "features", f, 4);
        DataType type = f.getDataType();
        if (type != DataType.FLOAT32 && type != DataType.FLOAT64) {
            throw Checks.fail(op, "features", "must hold floats", "dtype float32 or float64", type);
        }
        return f;
    }

    private static PtNDArray checkFloatPoints(String op, NDArray points, PtNDArray features) {
        PtNDArray p = Checks.array(op, "points", points);
        DataType type = p.getDataType();
        if (type != DataType.FLOAT32 && type != DataType.FLOAT64) {
            throw Checks.fail(op, "points", "must hold floats", "dtype float32 or float64", type);
        }
        checkPoints(op, "points", p, features, "(x, y)");
        return p;
    }

    /** Checks a [B,N,2] point array against [B,C,H,W] features. */
    private static void checkPoints(
            String op, String argument, PtNDArray points, PtNDArray features, String pair) {
        Checks.rank(op, argument, points, 3);
        Shape ps = points.getShape();
        long batch = features.getShape().get(0);
        if (ps.get(2) != 2 || ps.get(0) != batch) {
            throw Checks.fail(op, argument, "must hold one " + pair + " pair per point",
                    "shape (" + batch + ", N, 2) (features shape " + features.getShape() + ")",
                    ps);
        }
    }

    /** Reads coords[b][p] as (y, x) to the host, for an error message. */
    private static long[] readPoint(PtNDArray coords, long b, long p) {
        try (NDArray point = coords.get(b, p); NDArray asLong = point.toType(DataType.INT64, false)) {
            return asLong.toLongArray();
        }
    }
}
