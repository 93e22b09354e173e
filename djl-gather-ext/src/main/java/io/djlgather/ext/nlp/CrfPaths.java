package io.djlgather.ext.nlp;

import ai.djl.ndarray.NDArray;

/**
 * The best tag paths of a batch and their scores, as Viterbi decoding leaves them: on the
 * emissions' device, attached to the youngest of the decoding arguments' managers (the rule in
 * {@link io.djlgather.ext.GatherOps}; for a block's own decoding, the emissions' manager). The paths stay on the device until
 * {@link #toJavaPaths()} copies them to the host in one transfer. Closing it closes both arrays.
 *
 * <p>{@link CrfBlock}'s decoding methods return its subclass {@link CrfBlock.Decoded}.
 */
public class CrfPaths implements AutoCloseable {

    private final NDArray paths;
    private final NDArray scores;

    CrfPaths(NDArray paths, NDArray scores) {
        this.paths = paths;
        this.scores = scores;
    }

    /**
     * Returns the best paths.
     *
     * @return [B,T], int64, -1 at padded steps, on the emissions' device
     */
    public NDArray paths() {
        return paths;
    }

    /**
     * Returns the best paths' scores.
     *
     * @return [B], emissions' dtype and device
     */
    public NDArray scores() {
        return scores;
    }

    /**
     * Copies the paths to the host (one transfer), keeping only real steps.
     *
     * @return one array per sequence with the tags of its real steps, in order
     */
    public long[][] toJavaPaths() {
        long[] flat = paths.toLongArray();
        int batch = (int) paths.getShape().get(0);
        int steps = (int) paths.getShape().get(1);
        long[][] result = new long[batch][];
        for (int b = 0; b < batch; b++) {
            int n = 0;
            for (int t = 0; t < steps; t++) {
                if (flat[b * steps + t] >= 0) {
                    n++;
                }
            }
            long[] path = new long[n];
            int k = 0;
            for (int t = 0; t < steps; t++) {
                long tag = flat[b * steps + t];
                if (tag >= 0) {
                    path[k++] = tag;
                }
            }
            result[b] = path;
        }
        return result;
    }

    @Override
    public void close() {
        paths.close();
        scores.close();
    }
}
