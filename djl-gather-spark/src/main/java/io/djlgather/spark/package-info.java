/**
 * The samples' two zoo models as Apache Spark batch jobs (Dataset API): {@link
 * io.djlgather.spark.TagJob} tags sentences with the NER tagger, {@link
 * io.djlgather.spark.KeypointJob} reads keypoint features from an image folder; {@link
 * io.djlgather.spark.Models} loads each model once per executor JVM, and {@link
 * io.djlgather.spark.Main} runs them from the command line or spark-submit.
 */
package io.djlgather.spark;
