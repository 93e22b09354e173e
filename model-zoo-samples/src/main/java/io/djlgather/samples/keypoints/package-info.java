/**
 * Keypoint features: test images and the committed CC0 photographs ({@link
 * io.djlgather.samples.keypoints.Photos}), homographies and warping by them with
 * PixelGather.sampleBilinear, corner detector, ResNet trunk backbone, its self-supervised training
 * (InfoNCE through PixelGather.sampleBilinear on random homographies of photo crops and generated
 * scenes), translator reading features with PixelGather, matching and its 1.5-pixel criterion.
 */
package io.djlgather.samples.keypoints;
