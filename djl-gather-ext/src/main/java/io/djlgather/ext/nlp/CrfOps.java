package io.djlgather.ext.nlp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import io.djlgather.ext.internal.Checks;

/**
 * The linear-chain CRF's computations for {@link CrfBlock}'s static twins and {@link CrfLoss}:
 * validation, then one fused method of the op library each ({@code crf_log_partition},
 * {@code crf_gold_score}, {@code crf_viterbi} in {@code ops/crf.torchscript}, where the loop
 * over time runs). Every method takes the op name its messages use.
 */
final class CrfOps {

    private CrfOps() {}

    /**
     * The arguments of one CRF call, validated and normalized (device, dtype, bool mask): the
     * sequence-labeling {@link Args} plus the CRF's own arrays, over one {@code OpCall}.
     */
    private static final class Call extends Args {
        final PtNDArray emissions;
        final PtNDArray mask;
        final PtNDArray transitions;
        final PtNDArray start;
        final PtNDArray end;
        final long numTags;

        Call(String op, NDArray emissionsArray, NDArray maskArray, NDArray transitionsArray,
                NDArray startArray, NDArray endArray) {
            super(op, "emissions", Args.scores(op, "emissions", emissionsArray));
            emissions = anchor();
            numTags = emissions.getShape().get(2);
            try {
                Shape batchTime = SequenceLabeling.batchTime(emissions);
                mask = mask("mask", maskArray, batchTime);
                transitions = parameter("transitions", transitionsArray,
                        new Shape(numTags, numTags));
                start = parameter("start", startArray, new Shape(numTags));
                end = parameter("end", endArray, new Shape(numTags));
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }

        /**
         * Fails for C == 0: there is no tag to score or choose (and the padded steps' tag 0,
         * which is never read, would otherwise be range-checked against [0, 0)).
         */
        void requireTags(String op) {
            if (numTags == 0) {
                throw Checks.fail(op, "emissions", "has no tags, so there is no tag path",
                        "C >= 1", "shape " + emissions.getShape());
            }
        }

        /** Tags as int64 on device, 0 at padded steps, range-checked at real ones. */
        PtNDArray tags(NDArray tagsArray) {
            PtNDArray tags = labels("tags", tagsArray, SequenceLabeling.batchTime(emissions));
            PtNDArray safe = where(mask, tags);
            reads("tags", safe, numTags);
            return safe;
        }

        PtNDArray logPartition() {
            return library("crf_log_partition", emissions, mask, transitions, start, end);
        }

        PtNDArray goldScore(PtNDArray tags) {
            return library("crf_gold_score", emissions, tags, mask, transitions, start, end);
        }
    }

    static NDArray logPartition(String op, NDArray emissions, NDArray mask,
            NDArray transitions, NDArray start, NDArray end) {
        try (Call call = new Call(op, emissions, mask, transitions, start, end)) {
            return call.logPartition();
        }
    }

    static NDArray goldScore(String op, NDArray emissions, NDArray tags, NDArray mask,
            NDArray transitions, NDArray start, NDArray end) {
        try (Call call = new Call(op, emissions, mask, transitions, start, end)) {
            call.requireTags(op);
            return call.goldScore(call.tags(tags));
        }
    }

    /** Per sequence: logPartition - goldScore, [B]. */
    static NDArray negativeLogLikelihood(String op, NDArray emissions, NDArray tags,
            NDArray mask, NDArray transitions, NDArray start, NDArray end) {
        try (Call call = new Call(op, emissions, mask, transitions, start, end)) {
            call.requireTags(op);
            PtNDArray safe = call.tags(tags);
            try (NDArray partition = call.logPartition();
                    NDArray gold = call.goldScore(safe)) {
                return partition.sub(gold);
            }
        }
    }

    static CrfBlock.Decoded viterbi(String op, NDArray emissions, NDArray mask,
            NDArray transitions, NDArray start, NDArray end) {
        try (Call call = new Call(op, emissions, mask, transitions, start, end)) {
            call.requireTags(op);
            NDList result = call.libraryTuple(
                    "crf_viterbi", call.emissions, call.mask, call.transitions, call.start,
                    call.end);
            return new CrfBlock.Decoded(result.get(0), result.get(1));
        }
    }

    /** The largest k top-k Viterbi takes: its state holds B x C x k scores per step. */
    static final int MAX_TOP_K = 1 << 16;

    /**
     * Top-k Viterbi ({@code crf_viterbi_top_k} in {@code ops/crf_topk.torchscript}): paths
     * [B,k,T] and scores [B,k].
     */
    static CrfTopPaths viterbiTopK(String op, NDArray emissions, NDArray mask,
            NDArray transitions, NDArray start, NDArray end, int k) {
        if (k < 1 || k > MAX_TOP_K) {
            throw Checks.fail(op, "k", "is out of range", "1 <= k <= " + MAX_TOP_K, k);
        }
        try (Call call = new Call(op, emissions, mask, transitions, start, end)) {
            call.requireTags(op);
            NDList result = call.libraryTuple(
                    "crf_viterbi_top_k", call.emissions, call.mask, call.transitions, call.start,
                    call.end, (long) k);
            return new CrfTopPaths(result.get(0), result.get(1));
        }
    }
}
