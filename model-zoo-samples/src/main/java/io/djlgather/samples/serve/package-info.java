/** Serving: a micro-batching queue in front of a model and latency percentiles. */
package io.djlgather.samples.serve;
