/**
 * Command-line tools of djl-gather-cuda: {@link io.djlgather.cuda.tools.ExportOpLibrary} writes
 * the op library archive for the GPU check ({@code djl-gather-cuda/tools/gpu-check.sh}).
 */
package io.djlgather.cuda.tools;
