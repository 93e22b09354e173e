/**
 * Internal machinery shared by the op family and the helpers: argument checks, the per-device
 * TorchScript op library, and the bridge to DJL's PyTorch JNI. Public for djl-gather's own
 * packages and modules; not an API, and it may change in any release.
 */
package io.djlgather.ext.internal;
