package io.djlgather.samples.keypoints;

import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import io.djlgather.ext.cv.OutOfBounds;
import io.djlgather.ext.cv.Padding;
import io.djlgather.ext.cv.PixelGather;

/**
 * Image and keypoints in, feature vectors out: normalises the image (ImageNet mean and std),
 * runs the backbone to a [1,C,h,w] feature map, and reads the map at the keypoints with {@link
 * PixelGather#sampleBilinear} (sub-pixel) and {@link PixelGather#gatherPixels} (nearest cell),
 * after {@link PixelGather#pixelPoints} maps DJL's normalised joints onto the map.
 */
public final class KeypointTranslator implements NoBatchifyTranslator<KeypointQuery, KeypointFeatures> {

    private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] STD = {0.229f, 0.224f, 0.225f};
    private static final String QUERY = "query";

    @Override
    public NDList processInput(TranslatorContext ctx, KeypointQuery input) {
        ctx.setAttachment(QUERY, input);
        return new NDList(normalise(ctx.getNDManager(), input.image()));
    }

    /**
     * The backbone's input: the image as float32 RGB in [0, 1], minus the ImageNet mean, over the
     * ImageNet standard deviation, channels first.
     *
     * @param manager where the array lives
     * @param input the image
     * @return [1,3,H,W] float32
     */
    static NDArray normalise(NDManager manager, Image input) {
        NDArray image = input.toNDArray(manager, Image.Flag.COLOR).toType(DataType.FLOAT32, false);
        return image.div(255f)
                .sub(manager.create(MEAN))
                .div(manager.create(STD))
                .transpose(2, 0, 1)
                .expandDims(0);
    }

    @Override
    public KeypointFeatures processOutput(TranslatorContext ctx, NDList list) {
        KeypointQuery query = (KeypointQuery) ctx.getAttachment(QUERY);
        NDArray map = list.get(0);
        int h = (int) map.getShape().get(2);
        int w = (int) map.getShape().get(3);
        int n = query.keypoints().getJoints().size();
        // shape: (1, N, 2) as (x, y) on the map's pixel grid
        NDArray points = PixelGather.pixelPoints(ctx.getNDManager(), query.keypoints(), h, w);
        NDArray bilinear = PixelGather.sampleBilinear(map, points, Padding.BORDER);
        // shape: (1, N, 2) as (y, x), rounded to the nearest cell
        NDArray cells = points.get(":, :, 1:2").concat(points.get(":, :, 0:1"), -1).round()
                .toType(DataType.INT64, false);
        NDArray nearest = PixelGather.gatherPixels(map, cells, OutOfBounds.CLAMP);
        return new KeypointFeatures(rows(bilinear, n), rows(nearest, n), h, w);
    }

    private static float[][] rows(NDArray features, int n) {
        float[] flat = features.toType(DataType.FLOAT32, false).toFloatArray();
        int c = n == 0 ? 0 : flat.length / n;
        float[][] out = new float[n][c];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * c, out[i], 0, c);
        }
        return out;
    }
}
