package io.djlgather.ext.cv;

import ai.djl.modality.cv.output.Joints;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.djlgather.ext.internal.Checks;

import java.util.List;

/**
 * The bridge from DJL's pose estimation output ({@link Joints}, normalized coordinates) to the
 * pixel points that {@link PixelGather#sampleBilinear} samples a feature map at. Pure Java on the
 * host: one array creation per call, on the given manager's device. {@link PixelGather}'s
 * {@code pixelPoints} and {@code paddedPixelPoints} delegate here.
 */
public final class PosePoints {

    private PosePoints() {}

    /**
     * Turns one pose of DJL's pose estimation output into points for {@link PixelGather#sampleBilinear}.
     * Same as {@link #pixelPoints(NDManager, List, int, int)} for a one-element list.
     *
     * @param manager the manager (and so the device) of the result
     * @param joints one pose; its joints hold normalized coordinates
     * @param height H of the feature map the points will sample
     * @param width W of the feature map the points will sample
     * @return [1,N,2] float32 {@code (x, y)} in pixel units
     * @throws IllegalArgumentException if an argument or a joint is null, height or width is
     *     below 1
     */
    public static NDArray pixelPoints(NDManager manager, Joints joints, int height, int width) {
        Checks.notNull("pixelPoints", "joints", joints);
        return pixelPoints(manager, List.of(joints), height, width);
    }

    /**
     * Turns DJL's pose estimation output into points for {@link PixelGather#sampleBilinear}. DJL's {@link
     * Joints.Joint}s hold coordinates normalized to [0, 1]; this maps 0 and 1 onto the centers of
     * the first and last pixels of a feature map of the given size (the {@code
     * align_corners=True} convention of sampleBilinear):
     *
     * <pre>
     * out[b][n] = (x * (width - 1), y * (height - 1))    with (x, y) = joints.get(b).getJoints().get(n)
     * </pre>
     *
     * <p>Values outside {@code [0, 1]} map the same way, to points outside the map. Confidences
     * are dropped. Every pose must have the same number of joints; for poses of different
     * lengths use {@link #paddedPixelPoints}.
     *
     * <p>Two things to know about DJL 0.36's pose translators. They normalize by the full size
     * ({@code SimplePoseTranslator}: heatmap column / heatmap width; {@code YoloPoseTranslator}:
     * pixel / image width), so a joint at heatmap column {@code c} of a {@code W}-wide heatmap
     * comes back here as {@code c * (W-1) / W}, up to one pixel left of {@code c} at the far
     * edge. And {@code SimplePoseTranslator} drops joints below its confidence threshold, so
     * position n of a pose is then not joint type n, and poses differ in length.
     *
     * @param manager the manager (and so the device) of the result
     * @param joints B poses of N joints each
     * @param height H of the feature map the points will sample
     * @param width W of the feature map the points will sample
     * @return [B,N,2] float32 {@code (x, y)} in pixel units; [0,0,2] for an empty list
     * @throws IllegalArgumentException if an argument, a pose or a joint is null, height or width
     *     is below 1, or the poses have different numbers of joints
     */
    public static NDArray pixelPoints(
            NDManager manager, List<Joints> joints, int height, int width) {
        String op = "pixelPoints";
        checkPoses(op, manager, joints, height, width);
        int n = joints.isEmpty() ? 0 : joints.get(0).getJoints().size();
        for (int b = 1; b < joints.size(); b++) {
            int size = joints.get(b).getJoints().size();
            if (size != n) {
                throw Checks.fail(op, "joints",
                        "holds poses of different lengths (use paddedPixelPoints)",
                        n + " joints in every pose, as in pose 0",
                        size + " joints in pose " + b);
            }
        }
        return manager.create(flatten(joints, n, height, width), new Shape(joints.size(), n, 2));
    }

    /**
     * {@link #pixelPoints(NDManager, List, int, int)} for poses of different lengths: each pose
     * is padded with {@code (0, 0)} points to the longest pose's length N, and the mask marks the
     * real joints. Pass both to {@link PixelGather#sampleBilinear(NDArray, NDArray, NDArray, Padding)}.
     *
     * <pre>
     * points[b][n] = (x * (width - 1), y * (height - 1)), mask[b][n] = true   for n &lt; joints.get(b) size
     * points[b][n] = (0, 0),                              mask[b][n] = false  otherwise
     * </pre>
     *
     * @param manager the manager (and so the device) of the result
     * @param joints B poses
     * @param height H of the feature map the points will sample
     * @param width W of the feature map the points will sample
     * @return points [B,N,2] float32 and mask [B,N] boolean
     * @throws IllegalArgumentException if an argument, a pose or a joint is null, or height or
     *     width is below 1
     */
    public static PixelPoints paddedPixelPoints(
            NDManager manager, List<Joints> joints, int height, int width) {
        String op = "paddedPixelPoints";
        int n = checkPoses(op, manager, joints, height, width);
        boolean[] mask = new boolean[joints.size() * n];
        for (int b = 0; b < joints.size(); b++) {
            int size = joints.get(b).getJoints().size();
            for (int j = 0; j < size; j++) {
                mask[b * n + j] = true;
            }
        }
        NDArray points =
                manager.create(flatten(joints, n, height, width), new Shape(joints.size(), n, 2));
        return new PixelPoints(points, manager.create(mask, new Shape(joints.size(), n)));
    }

    // ---------------------------------------------------------------------------------------
    // Checks and helpers

    /** Checks the pixelPoints arguments; returns the longest pose's joint count. */
    private static int checkPoses(
            String op, NDManager manager, List<Joints> joints, int height, int width) {
        Checks.notNull(op, "manager", manager);
        Checks.notNull(op, "joints", joints);
        if (height < 1 || width < 1) {
            throw Checks.fail(op, height < 1 ? "height" : "width", "is not a map size",
                    "a size >= 1", height < 1 ? height : width);
        }
        int n = 0;
        for (int b = 0; b < joints.size(); b++) {
            Joints pose = joints.get(b);
            if (pose == null || pose.getJoints() == null) {
                throw Checks.fail(op, "joints", "holds a null pose", "a Joints", "null at " + b);
            }
            List<Joints.Joint> list = pose.getJoints();
            for (int j = 0; j < list.size(); j++) {
                if (list.get(j) == null) {
                    throw Checks.fail(op, "joints", "holds a null joint", "a Joint",
                            "null at pose " + b + ", joint " + j);
                }
            }
            n = Math.max(n, list.size());
        }
        return n;
    }

    /** (x, y) pixel pairs of every pose, each padded with zeros to n joints. */
    private static float[] flatten(List<Joints> joints, int n, int height, int width) {
        float[] data = new float[joints.size() * n * 2];
        for (int b = 0; b < joints.size(); b++) {
            List<Joints.Joint> list = joints.get(b).getJoints();
            for (int j = 0; j < list.size(); j++) {
                int at = (b * n + j) * 2;
                data[at] = (float) (list.get(j).getX() * (width - 1));
                data[at + 1] = (float) (list.get(j).getY() * (height - 1));
            }
        }
        return data;
    }
}
