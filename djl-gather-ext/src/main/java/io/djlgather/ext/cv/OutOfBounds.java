package io.djlgather.ext.cv;

/**
 * What {@link PixelGather#gatherPixels(ai.djl.ndarray.NDArray, ai.djl.ndarray.NDArray,
 * OutOfBounds)} does with a point {@code (y, x)} outside the feature map, that is with
 * {@code y < 0 || y >= H || x < 0 || x >= W}.
 */
public enum OutOfBounds {

    /**
     * Reject the call with an {@link IllegalArgumentException} naming the first such point (in
     * row-major {@code (b, n)} order). The default. Costs one host sync per call.
     */
    ERROR,

    /** Read the nearest pixel of the map: {@code y} clamped to {@code [0, H-1]}, {@code x} to {@code [0, W-1]}. */
    CLAMP,

    /** Give the point all-zero features (and no gradient). */
    ZERO
}
