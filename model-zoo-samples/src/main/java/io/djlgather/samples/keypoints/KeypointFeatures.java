package io.djlgather.samples.keypoints;

/**
 * Output of the keypoint feature model: one feature vector per keypoint, read from the backbone's
 * feature map in two ways.
 *
 * @param bilinear [N][C] bilinear samples at the keypoints' sub-pixel positions on the map
 *     ({@code PixelGather.sampleBilinear})
 * @param nearest [N][C] the map's cell nearest to each keypoint ({@code PixelGather.gatherPixels})
 * @param mapHeight H of the feature map
 * @param mapWidth W of the feature map
 */
public record KeypointFeatures(float[][] bilinear, float[][] nearest, int mapHeight, int mapWidth) {

    /** Returns the number of channels C. */
    public int channels() {
        return bilinear.length == 0 ? 0 : bilinear[0].length;
    }
}
