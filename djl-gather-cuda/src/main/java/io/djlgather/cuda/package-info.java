/**
 * CUDA behaviour for djl-gather, plugged into djl-gather-ext's op family through {@link
 * java.util.ServiceLoader}: {@link io.djlgather.cuda.CudaGatherRuntime} (index checks that keep
 * the CUDA context usable, deterministic sums), the policies that steer it ({@link
 * io.djlgather.cuda.CudaPolicies}, {@link io.djlgather.cuda.IndexCheck}), and {@link
 * io.djlgather.cuda.IndexUpload} (Java index values to a device in one copy).
 */
package io.djlgather.cuda;
