package io.djlgather.ext.cv;

/**
 * What {@link PixelGather#sampleBilinear} reads outside the feature map, as
 * {@code torch.nn.functional.grid_sample}'s {@code padding_mode}.
 */
public enum Padding {

    /** Pixels outside the map read as 0 ({@code padding_mode='zeros'}). */
    ZEROS,

    /**
     * The point is first clipped to the map, {@code x} to {@code [0, W-1]} and {@code y} to
     * {@code [0, H-1]}, so outside pixels read as the nearest border pixel
     * ({@code padding_mode='border'}).
     */
    BORDER
}
