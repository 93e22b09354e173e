package io.djlgather.samples.keypoints;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * Symmetric InfoNCE (contrastive) loss of matched descriptors: row i of the first image's
 * descriptors should be most similar to row i of the second's, and unlike every other row.
 * With {@code a} and {@code b} the [N,C] descriptors L2-normalised per row and temperature t:
 *
 * <pre>
 * s[i][j] = (a[i] . b[j]) / t                                  (cosine similarity / t)
 * loss    = -(1 / 2N) sum_i ( log softmax_j(s[i][.])[i] + log softmax_j(s[.][i])[i] )
 * </pre>
 *
 * <p>The other keypoints of the same pair are the negatives. Predictions are {@code [a, b]}, each
 * [N,C] float32, or [1,N,C]; labels are not read (the correspondence is the row order). An optional
 * third prediction {@code n}, [M,C] or [1,M,C], adds M further negatives for the rows (hard
 * negatives, e.g. points beside the true match): with {@code r[i][m] = (a[i] . n[m]) / t}, the first
 * term becomes {@code log softmax over [s[i][.], r[i][.]]} at {@code s[i][i]}; the column term is
 * unchanged.
 */
public final class InfoNceLoss extends Loss {

    private final float temperature;

    /** A loss with temperature 0.1. */
    public InfoNceLoss() {
        this(0.1f);
    }

    /**
     * A loss with a given temperature.
     *
     * @param temperature the softmax temperature t, above 0 (default 0.1)
     */
    public InfoNceLoss(float temperature) {
        super("InfoNCE");
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("InfoNceLoss: temperature must be > 0; got " + temperature);
        }
        this.temperature = temperature;
    }

    /** Returns the temperature. */
    public float temperature() {
        return temperature;
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray a = unit(predictions.get(0));
        NDArray b = unit(predictions.get(1));
        long n = a.getShape().get(0);
        // shape: (N, N)
        NDArray logits = times(a.matMul(b.transpose()), 1f / temperature);
        NDArray eye = a.getManager().eye((int) n);
        NDArray rowLogits = logits;
        if (predictions.size() > 2) {
            // shape: (N, N + M)
            rowLogits = logits.concat(times(a.matMul(unit(predictions.get(2)).transpose()), 1f / temperature), 1);
        }
        NDArray rows = rowLogits.logSoftmax(1).get(":, 0:" + n).mul(eye).sum();
        NDArray cols = logits.logSoftmax(0).mul(eye).sum();
        return times(rows.add(cols), -1f / (2f * n));
    }

    /**
     * x * factor, with the factor as a scalar tensor that PyTorch allocates and owns. Not {@code
     * x.mul(factor)} or {@code x.div(t)}: DJL 0.36 makes that scalar from a Java direct buffer
     * (shared, not copied, by {@code from_blob}) and closes it at once, while autograd keeps it
     * for the backward pass (the gradient of x is grad * factor). Once a garbage collection frees
     * the buffer, the backward pass reads whatever memory took its place: one garbage gradient
     * at a random step, a jump in the weights, sometimes NaN. Training the keypoint backbone
     * diverged between identical runs that way, and stopped doing so without garbage collection.
     */
    static NDArray times(NDArray x, float factor) {
        return x.mul(x.getManager().full(new ai.djl.ndarray.types.Shape(), factor, x.getDataType()));
    }

    /** Rows divided by their L2 norms: [N,C] (a leading batch axis of 1 is dropped). */
    private static NDArray unit(NDArray x) {
        NDArray rows = x.getShape().dimension() == 3 ? x.squeeze(0) : x;
        return rows.div(rows.square().sum(new int[] {1}, true).add(1e-12f).sqrt());
    }
}
