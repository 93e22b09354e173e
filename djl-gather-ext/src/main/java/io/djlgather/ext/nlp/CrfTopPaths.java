package io.djlgather.ext.nlp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * The k best tag paths of each sequence of a batch and their scores, as top-k Viterbi decoding
 * ({@link CrfBlock#viterbiTopK}) leaves them: on the emissions' device, attached to the youngest
 * of the decoding arguments' managers (the rule in {@link io.djlgather.ext.GatherOps}; for a
 * block's own decoding, the emissions' manager). Closing it closes both arrays.
 *
 * <pre>
 * paths  [B,K,T] int64   paths[b][r] = the (r+1)-th best path of sequence b; -1 at padded steps
 *                        and everywhere for a rank the sequence has no path for
 * scores [B,K]           its score (emissions' dtype), descending along K; -inf for a missing rank
 * </pre>
 *
 * <p>A sequence with n real steps has C^n paths; with fewer than K of them, ranks C^n..K-1 are
 * missing. A sequence with no real step has one path, the empty one, scored 0.
 */
public final class CrfTopPaths implements AutoCloseable {

    private final NDArray paths;
    private final NDArray scores;

    CrfTopPaths(NDArray paths, NDArray scores) {
        this.paths = paths;
        this.scores = scores;
    }

    /**
     * Returns the paths.
     *
     * @return [B,K,T], int64, -1 at padded steps and for missing ranks, on the emissions' device
     */
    public NDArray paths() {
        return paths;
    }

    /**
     * Returns the paths' scores.
     *
     * @return [B,K], emissions' dtype and device, descending along K, -inf for missing ranks
     */
    public NDArray scores() {
        return scores;
    }

    /**
     * Copies the paths to the host (one transfer each for paths and scores), keeping only the
     * ranks that exist and only real steps.
     *
     * @return [b][r] = the tags of the real steps of sequence b's (r+1)-th best path; as many
     *     ranks as the sequence has paths, up to K
     */
    public long[][][] toJavaPaths() {
        long[] flat = paths.toLongArray();
        double[] score = hostScores();
        int batch = (int) paths.getShape().get(0);
        int ranks = (int) paths.getShape().get(1);
        int steps = (int) paths.getShape().get(2);
        long[][][] result = new long[batch][][];
        for (int b = 0; b < batch; b++) {
            int present = present(score, b, ranks);
            result[b] = new long[present][];
            for (int r = 0; r < present; r++) {
                int base = (b * ranks + r) * steps;
                int n = 0;
                for (int t = 0; t < steps; t++) {
                    n += flat[base + t] >= 0 ? 1 : 0;
                }
                long[] path = new long[n];
                int i = 0;
                for (int t = 0; t < steps; t++) {
                    if (flat[base + t] >= 0) {
                        path[i++] = flat[base + t];
                    }
                }
                result[b][r] = path;
            }
        }
        return result;
    }

    /**
     * Copies the scores of the ranks that exist to the host.
     *
     * @return [b][r] = the score of sequence b's (r+1)-th best path, as many ranks as {@link
     *     #toJavaPaths()} gives
     */
    public double[][] toJavaScores() {
        double[] score = hostScores();
        int batch = (int) scores.getShape().get(0);
        int ranks = (int) scores.getShape().get(1);
        double[][] result = new double[batch][];
        for (int b = 0; b < batch; b++) {
            result[b] = java.util.Arrays.copyOfRange(score, b * ranks, b * ranks + present(score, b, ranks));
        }
        return result;
    }

    private double[] hostScores() {
        if (scores.getDataType() == DataType.FLOAT64) {
            return scores.toDoubleArray();
        }
        // float32 (half-precision scores are widened by the op library before they leave it)
        try (NDArray wide = scores.toType(DataType.FLOAT64, false)) {
            return wide.toDoubleArray();
        }
    }

    private static int present(double[] score, int b, int ranks) {
        int n = 0;
        while (n < ranks && score[b * ranks + n] != Double.NEGATIVE_INFINITY) {
            n++;
        }
        return n;
    }

    @Override
    public void close() {
        paths.close();
        scores.close();
    }
}
