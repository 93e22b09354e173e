package io.djlgather.samples.keypoints;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.djlgather.ext.cv.Padding;
import io.djlgather.ext.cv.PixelGather;
import java.awt.image.BufferedImage;

/**
 * Warping images by a homography with DJL ops: inverse mapping (each output pixel asks where it
 * comes from) and bilinear sampling there with {@link PixelGather#sampleBilinear}, all pixels of
 * all images in one call:
 *
 * <pre>
 * out[b][c][y][x] = bilinear(images[b][c], sourceOf_b(x, y))        (0 outside the source)
 * </pre>
 *
 * <p>To warp an image by {@code H} (so that a feature at {@code p} lands at {@code H(p)}), pass
 * {@code sourceOf = H.inverse()}.
 */
public final class Warp {

    /** A source position for output pixels whose homogeneous w is not positive: far outside. */
    private static final float FAR = -1e6f;

    private Warp() {}

    /**
     * Warps a batch of images.
     *
     * @param images [B,C,H,W] float32
     * @param sourceOf for each image, the map from output pixel to source pixel (B entries)
     * @param outHeight height of the output
     * @param outWidth width of the output
     * @return [B,C,outHeight,outWidth] float32, in images' manager
     * @throws IllegalArgumentException if images is not [B,C,H,W] float32, the number of
     *     homographies is not B, or an output side is below 1
     */
    public static NDArray warp(NDArray images, Homography[] sourceOf, int outHeight, int outWidth) {
        if (images == null || images.getShape().dimension() != 4 || images.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException("Warp.warp: images must be [B,C,H,W] float32; got "
                    + (images == null ? "null" : images.getShape() + " " + images.getDataType()));
        }
        long batch = images.getShape().get(0);
        if (sourceOf == null || sourceOf.length != batch) {
            throw new IllegalArgumentException("Warp.warp: sourceOf must have one homography per image; expected " + batch
                    + ", got " + (sourceOf == null ? "null" : sourceOf.length));
        }
        if (outHeight < 1 || outWidth < 1) {
            throw new IllegalArgumentException("Warp.warp: output size must be >= 1; got " + outHeight + "x" + outWidth);
        }
        NDManager manager = images.getManager();
        long channels = images.getShape().get(1);
        int n = outHeight * outWidth;
        try (NDManager scratch = manager.newSubManager()) {
            float[] entries = new float[(int) batch * 9];
            for (int b = 0; b < batch; b++) {
                double[] m = sourceOf[b].matrix();
                for (int k = 0; k < 9; k++) {
                    entries[9 * b + k] = (float) m[k];
                }
            }
            // shape: (B, 3, 3), each transposed so that [x, y, 1] . M^T is the mapped row
            NDArray mt = scratch.create(entries, new Shape(batch, 3, 3)).transpose(0, 2, 1);
            // shape: (N,) x and y of every output pixel, row by row
            NDArray xs = scratch.arange(0f, outWidth).tile(outHeight);
            NDArray ys = scratch.arange(0f, outHeight).repeat(outWidth);
            // shape: (B, N, 3)
            NDArray grid = NDArrays.stack(new NDList(xs, ys, scratch.ones(new Shape(n))), 1)
                    .expandDims(0).broadcast(new Shape(batch, n, 3));
            NDArray mapped = grid.matMul(mt);
            NDArray w = mapped.get(":, :, 2:3");
            NDArray ok = w.gt(1e-12f);
            NDArray safe = NDArrays.where(ok, w, scratch.ones(w.getShape()));
            // shape: (B, N, 2) source (x, y); behind the camera: far outside, so 0
            NDArray points = NDArrays.where(
                    ok.broadcast(new Shape(batch, n, 2)), mapped.get(":, :, 0:2").div(safe), scratch.full(new Shape(batch, n, 2), FAR));
            // shape: (B, N, C)
            NDArray sampled = PixelGather.sampleBilinear(images, points, Padding.ZEROS);
            NDArray out = sampled.transpose(0, 2, 1).reshape(batch, channels, outHeight, outWidth);
            out.attach(manager);
            return out;
        }
    }

    /**
     * Warps one image by {@code h}, so that what is at {@code p} in {@code in} is at {@code h(p)}
     * in the result (black where nothing maps).
     *
     * @param in the image (RGB)
     * @param h the homography
     * @param width width of the result
     * @param height height of the result
     * @return the warped image
     */
    public static BufferedImage warp(BufferedImage in, Homography h, int width, int height) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray out = warp(toArray(manager, in), new Homography[] {h.inverse()}, height, width);
            return toImage(out.get(0));
        }
    }

    /**
     * An RGB image as a [1,3,H,W] float32 array of values in [0, 255].
     *
     * @param manager where the array lives
     * @param image the image
     * @return the array
     */
    public static NDArray toArray(NDManager manager, BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] rgb = image.getRGB(0, 0, w, h, null, 0, w);
        float[] planes = new float[3 * w * h];
        for (int i = 0; i < rgb.length; i++) {
            planes[i] = (rgb[i] >> 16) & 255;
            planes[w * h + i] = (rgb[i] >> 8) & 255;
            planes[2 * w * h + i] = rgb[i] & 255;
        }
        return manager.create(planes, new Shape(1, 3, h, w));
    }

    /**
     * A [3,H,W] array of values in [0, 255] as an RGB image (rounded, clamped).
     *
     * @param planes the array
     * @return the image
     */
    public static BufferedImage toImage(NDArray planes) {
        int h = (int) planes.getShape().get(1);
        int w = (int) planes.getShape().get(2);
        float[] v = planes.toType(DataType.FLOAT32, false).toFloatArray();
        int[] rgb = new int[w * h];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (byte255(v[i]) << 16) | (byte255(v[w * h + i]) << 8) | byte255(v[2 * w * h + i]);
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, w, h, rgb, 0, w);
        return out;
    }

    private static int byte255(float v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
