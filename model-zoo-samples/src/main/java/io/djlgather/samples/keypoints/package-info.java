/** Keypoint features: test images, corner detector, ResNet trunk backbone, translator reading features with PixelGather, matching. */
package io.djlgather.samples.keypoints;
