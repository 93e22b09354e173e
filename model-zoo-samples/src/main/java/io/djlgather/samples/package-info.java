/** The samples' entry point (a picocli command with ner, keypoints, serve-demo and all), output folders and plots. */
package io.djlgather.samples;
