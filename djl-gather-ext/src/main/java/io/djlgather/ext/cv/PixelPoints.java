package io.djlgather.ext.cv;

import ai.djl.ndarray.NDArray;

/**
 * Points of several poses padded to one length, with the mask that tells real points from
 * padding; made by {@link PixelGather#paddedPixelPoints} and taken by {@link
 * PixelGather#sampleBilinear(NDArray, NDArray, NDArray, Padding)}. Closing it closes both
 * arrays.
 *
 * @param points [B,N,2] float32 {@code (x, y)} in pixel units, N the longest pose's joint count;
 *     padding points are {@code (0, 0)}
 * @param mask [B,N] boolean, true for a real joint, false for padding
 */
public record PixelPoints(NDArray points, NDArray mask) implements AutoCloseable {

    @Override
    public void close() {
        points.close();
        mask.close();
    }
}
