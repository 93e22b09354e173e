/**
 * JMH benchmarks for djl-gather and the runner that turns one run into the README's table.
 *
 * <p>Benchmarks are not tests: nothing here asserts a timing. Every figure reported is a ratio
 * (or a percentage) of two scores measured in the same run, so that it holds on a loaded
 * machine. {@link io.djlgather.benchmarks.BenchMain} runs the suite; {@link
 * io.djlgather.benchmarks.Report} turns JMH's JSON into the table; {@link
 * io.djlgather.benchmarks.ScalingPlot} draws the scaling plot.
 */
package io.djlgather.benchmarks;
