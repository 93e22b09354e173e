package io.djlgather.cuda;

/**
 * How ops on a CUDA array treat the values of an index before the kernel reads them.
 *
 * @see CudaPolicies#setIndexCheck(IndexCheck)
 * @see CudaPolicies#indexCheck(IndexCheck)
 */
public enum IndexCheck {

    /**
     * The default. Before the kernel runs, the index range is checked on the device with one
     * fused min/max reduction and a single host sync; an out-of-range value ends as the same
     * {@link IllegalArgumentException} as on CPU, and the CUDA context stays usable.
     */
    CHECKED,

    /**
     * No check and no host sync, for callers that validate their indices upstream. An
     * out-of-range value on CUDA then triggers a device-side assert, which leaves the CUDA
     * context of the process unusable: use only with indices known to be in range.
     */
    TRUSTED
}
