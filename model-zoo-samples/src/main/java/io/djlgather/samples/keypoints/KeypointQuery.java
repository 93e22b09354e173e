package io.djlgather.samples.keypoints;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.output.Joints;

/**
 * Input of the keypoint feature model: an image and the points to describe.
 *
 * @param image the image, any size (the backbone is fully convolutional)
 * @param keypoints the points in DJL's pose layout: coordinates normalised to the image, 0 at
 *     the first and 1 at the last pixel ({@code x / (width - 1)})
 */
public record KeypointQuery(Image image, Joints keypoints) {}
