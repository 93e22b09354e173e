/**
 * The samples' models behind HTTP: {@link io.djlgather.samples.http.InferenceServer} (the JDK's
 * built-in server, loopback), {@link io.djlgather.samples.http.ModelBackend} (the saved tagger and
 * keypoint model behind micro-batching queues), request checking in {@link
 * io.djlgather.samples.http.NerRequest} and {@link io.djlgather.samples.http.KeypointRequest}, and
 * {@link io.djlgather.samples.http.LoadTest}, which drives a server with valid and invalid requests.
 */
package io.djlgather.samples.http;
