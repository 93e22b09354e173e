package io.djlgather.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

/**
 * The CRF baseline of target 4: the same recursions as the fused TorchScript methods, written
 * the way a DJL user would without them, as a Java loop over T calling DJL NDArray ops per step.
 * Every sequence is all real steps (no mask). Temporaries live in a sub-manager closed at the
 * end of the call; the result is moved to the caller's manager.
 */
final class OpByOpCrf {

    private OpByOpCrf() {}

    /**
     * The log partition [B] of emissions [B,T,C] with transitions [C,C], start [C], end [C]:
     * <pre>
     * alpha_0[j] = start[j] + e[0][j]
     * alpha_t[j] = logsumexp_i(alpha_{t-1}[i] + transitions[i][j]) + e[t][j]
     * out        = logsumexp_j(alpha_{T-1}[j] + end[j])
     * </pre>
     */
    static NDArray logPartition(NDArray emissions, NDArray transitions, NDArray start,
            NDArray end) {
        NDManager caller = emissions.getManager();
        long steps = emissions.getShape().get(1);
        try (NDManager m = caller.newSubManager()) {
            // shape: (B, C)
            NDArray alpha = emissions.get(m, new NDIndex(":, 0, :")).add(start);
            for (long t = 1; t < steps; t++) {
                // shape: (B, C)
                NDArray emit = emissions.get(m, new NDIndex(":, {}, :", t));
                // shape: (B, C, 1) + (C, C) -> (B, C, C); logsumexp over the previous tag
                alpha = logSumExp(alpha.expandDims(2).add(transitions), 1).add(emit);
            }
            NDArray result = logSumExp(alpha.add(end), 1);
            result.attach(caller);
            return result;
        }
    }

    /**
     * log(sum(exp(x))) along an axis, stabilized by the maximum (DJL 0.36's NDArray has no
     * logsumexp): max + log(sum(exp(x - max))).
     */
    private static NDArray logSumExp(NDArray x, int axis) {
        NDArray max = x.max(new int[] {axis}, true);
        return x.sub(max).exp().sum(new int[] {axis}).log().add(max.squeeze(axis));
    }

    /**
     * The best paths [B,T] (int64) and their scores [B]: max/argmax per step, then backtracking
     * with one gather per step, all on the device.
     */
    static NDList viterbi(NDArray emissions, NDArray transitions, NDArray start, NDArray end) {
        NDManager caller = emissions.getManager();
        int steps = (int) emissions.getShape().get(1);
        try (NDManager m = caller.newSubManager()) {
            NDArray score = emissions.get(m, new NDIndex(":, 0, :")).add(start);
            NDArray[] back = new NDArray[steps];
            for (int t = 1; t < steps; t++) {
                NDArray emit = emissions.get(m, new NDIndex(":, {}, :", t));
                // shape: (B, C, C); best previous tag i for each tag j
                NDArray s = score.expandDims(2).add(transitions);
                back[t] = s.argMax(1);
                score = s.max(new int[] {1}).add(emit);
            }
            score = score.add(end);
            NDArray best = score.max(new int[] {1});
            // shape: (B, 1)
            NDArray tag = score.argMax(1).expandDims(1);
            NDArray[] path = new NDArray[steps];
            path[steps - 1] = tag;
            for (int t = steps - 1; t > 0; t--) {
                tag = back[t].gather(tag, 1);
                path[t - 1] = tag;
            }
            NDArray paths = NDArrays.concat(new NDList(path), 1);
            NDList result = new NDList(paths, best);
            result.attach(caller);
            return result;
        }
    }
}
