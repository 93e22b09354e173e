/**
 * PyTorch's gather/scatter/index op family for DJL ({@link io.djlgather.ext.GatherOps}), the
 * grouped reductions of pytorch_scatter ({@link io.djlgather.ext.GroupOps}), and the reductions
 * and out-of-range modes they take ({@link io.djlgather.ext.Reduction}, {@link
 * io.djlgather.ext.IndexMode}). The op families' work lives in
 * package-private classes, one per family; {@code internal} holds the op library and checks,
 * {@code spi} the device runtime plug-in point.
 */
package io.djlgather.ext;
