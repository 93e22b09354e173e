/**
 * The service-provider interface through which device-specific runtimes (djl-gather-cuda) plug
 * index checks and deterministic accumulation into the op family.
 */
package io.djlgather.ext.spi;
