/**
 * Computer-vision helpers built on the gather family: features at integer keypoints ({@link
 * io.djlgather.ext.cv.PixelGather#gatherPixels}, with an {@link io.djlgather.ext.cv.OutOfBounds}
 * policy), bilinear samples at sub-pixel keypoints equal to {@code grid_sample} with {@code
 * align_corners=True} ({@link io.djlgather.ext.cv.PixelGather#sampleBilinear}, with a {@link
 * io.djlgather.ext.cv.Padding}), and the bridge from DJL's pose output ({@link
 * io.djlgather.ext.cv.PosePoints}, {@link io.djlgather.ext.cv.PixelPoints}). The
 * TorchScript behind them is {@code io/djlgather/ext/ops/pixels.torchscript}.
 */
package io.djlgather.ext.cv;
