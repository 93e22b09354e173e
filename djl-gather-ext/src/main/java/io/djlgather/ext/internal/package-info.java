/**
 * Internal machinery shared by the op family and the helpers: argument checks ({@code Checks}),
 * one call's story ({@code OpCall}), the per-device TorchScript op library ({@code OpLibrary}),
 * the runtime choice ({@code Runtimes}) and the bridge to DJL's PyTorch JNI ({@code
 * TorchBridge}). Public for djl-gather's own packages and modules; not an API, and it may change
 * in any release.
 */
package io.djlgather.ext.internal;
