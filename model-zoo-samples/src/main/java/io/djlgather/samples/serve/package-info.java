/** Serving: a micro-batching queue in front of a model, latency percentiles, and the memory figures serve-demo prints. */
package io.djlgather.samples.serve;
