/**
 * Keypoint features: test images, corner detector, ResNet trunk backbone, its self-supervised
 * training (InfoNCE through PixelGather.sampleBilinear), translator reading features with
 * PixelGather, matching.
 */
package io.djlgather.samples.keypoints;
