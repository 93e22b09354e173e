package io.djlgather.ext.nlp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import io.djlgather.ext.internal.OpCall;

/**
 * Per-token helpers for sequence labeling (NER, POS tagging): reading the score of each
 * token's label out of a [B,T,C] score array with one gather along the tag axis.
 *
 * <p>Example (jshell):
 *
 * <pre>
 * jshell&gt; var logits = manager.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(1, 2, 3));
 * jshell&gt; var labels = manager.create(new long[] {2, 0}, new Shape(1, 2));
 * jshell&gt; SequenceLabeling.labelScores(logits, labels);
 * ND: (1, 2) cpu() float32
 * [[3., 4.],
 * ]
 * </pre>
 */
public final class SequenceLabeling {

    private SequenceLabeling() {}

    /**
     * Returns the score of each token's label:
     *
     * <pre>
     * out[b][t] = logits[b][t][labels[b][t]]
     * </pre>
     *
     * <p>One {@link io.djlgather.ext.GatherOps#gather(NDArray, int, NDArray) GatherOps.gather}
     * along axis 2 with the labels as a [B,T,1] index. Every label must be a valid tag, padding
     * included: replace padding labels (e.g. with 0) first, as {@link TokenNllLoss} does. Gradient: flows to {@code logits} (a scatter-add of the
     * output gradient into the labelled positions).
     *
     * @param logits scores [B,T,C], any floating dtype, any device
     * @param labels int32 or int64 tags [B,T] in {@code [0, C)}; moved to logits' device if
     *     elsewhere
     * @return [B,T], logits' dtype, device and manager
     * @throws IllegalArgumentException if an argument is null; logits is not rank 3 or not
     *     floating; labels is not int32/int64; labels' shape is not [B,T]; a label lies outside
     *     {@code [0, C)}
     */
    public static NDArray labelScores(NDArray logits, NDArray labels) {
        String op = "labelScores";
        PtNDArray scores = Args.scores(op, "logits", logits);
        try (Args args = new Args(op, "logits", scores)) {
            PtNDArray tags = args.labels("labels", labels, batchTime(scores));
            return gatherTags(op, "labels", scores, tags);
        }
    }

    /** [B,T] of a [B,T,C] array. */
    static Shape batchTime(NDArray scores) {
        Shape shape = scores.getShape();
        return new Shape(shape.get(0), shape.get(1));
    }

    /**
     * The gather behind {@link #labelScores}, for labels already int64 on the scores' device;
     * an out-of-range label fails under the caller's op and argument name.
     */
    static NDArray gatherTags(String op, String argument, PtNDArray scores, PtNDArray tags) {
        try (OpCall call = new OpCall(op, scores)) {
            call.operand(tags);
            // shape: (B, T, 1)
            PtNDArray index = call.keep(tags.expandDims(2));
            call.reads(argument, index, 0, scores.getShape().get(2), 2);
            try (NDArray picked = call.djl(() -> scores.gather(index, 2))) {
                return picked.squeeze(2);
            }
        }
    }
}
