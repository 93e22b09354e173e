/**
 * Internal machinery shared by the op family and the helpers: argument checks ({@code Checks}),
 * one call's story ({@code OpCall}), the per-device TorchScript op library ({@code OpLibrary}),
 * the TorchScript archive writer ({@code TorchScriptArchive}) and the bridge to DJL's PyTorch
 * JNI ({@code TorchBridge}). Public only because djl-gather-ext's own packages share it: no other
 * module may import it (an architecture test enforces this), and it may change in any release.
 * What other modules legitimately need has a public entry point in {@link io.djlgather.ext.spi}.
 */
package io.djlgather.ext.internal;
