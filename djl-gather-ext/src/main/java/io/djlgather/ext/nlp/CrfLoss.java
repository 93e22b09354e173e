package io.djlgather.ext.nlp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.training.loss.Loss;
import io.djlgather.ext.internal.Checks;

/**
 * The negative log-likelihood of a linear-chain CRF ({@link CrfBlock}), averaged over the
 * sequences of a batch:
 *
 * <pre>
 * loss = (1/B) sum_b (logPartition[b] - goldScore[b])
 * </pre>
 *
 * <p>Inputs, as {@link #evaluate(NDList, NDList)} receives them from DJL's {@code Trainer}:
 *
 * <ul>
 *   <li>{@code predictions}: {@link CrfBlock}'s forward output (emissions [B,T,C], transitions
 *       [C,C], start [C], end [C], constraints folded in);
 *   <li>{@code labels.get(0)}: gold tags [B,T], int32 or int64, in [0, C) at real steps
 *       (anything at padded steps: they are never read);
 *   <li>{@code labels.get(1)}, optional: mask [B,T], bool/integer/floating, nonzero = real
 *       step; absent = every step real. Padding may sit on either side.
 * </ul>
 *
 * <p>A gold path that crosses a forbidden transition (or starts/ends with a forbidden tag)
 * scores about {@link CrfBlock#FORBIDDEN} lower, so its NLL is about 10^4: keep training tags
 * consistent with the block's constraints. A sequence with no real step contributes 0 (and still counts in B); an empty batch gives
 * 0. The result is a scalar of the emissions' dtype on their device; gradients flow to the
 * emissions and to the block's parameters. Each term is a fused TorchScript call.
 *
 * <p>float16 and bfloat16 emissions are computed in float32 (with the parameters cast to it)
 * and the loss is cast back to their dtype: log Z and the gold score are large and nearly equal,
 * so rounding each to half precision before subtracting would lose the difference. The casts
 * are differentiable.
 */
public class CrfLoss extends Loss {

    private static final String OP = "CrfLoss";

    /** Creates the loss named "CrfLoss". */
    public CrfLoss() {
        this("CrfLoss");
    }

    /**
     * Creates the loss.
     *
     * @param name the loss's name, default "CrfLoss"
     */
    public CrfLoss(String name) {
        super(name);
    }

    /**
     * Computes the mean negative log-likelihood of the gold tag paths.
     *
     * @param labels tags [B,T] and optionally a mask [B,T]
     * @param predictions (emissions, transitions, start, end) from {@link CrfBlock}
     * @return the loss, a scalar of the emissions' dtype and device
     * @throws IllegalArgumentException if predictions does not hold four arrays; labels is
     *     null or empty; or as {@link CrfBlock#goldScore(NDArray, NDArray, NDArray, NDArray,
     *     NDArray, NDArray)}
     */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        if (predictions == null || predictions.size() != 4) {
            throw Checks.fail(OP, "predictions", "is not a CrfBlock output",
                    "4 arrays (emissions, transitions, start, end)",
                    predictions == null ? "null" : predictions.size() + " arrays");
        }
        TokenNllLoss.first(OP, "labels", labels);
        NDArray mask = labels.size() > 1 ? labels.get(1) : null;
        NDArray emissions = predictions.get(0);
        if (emissions != null && TokenNllLoss.isHalf(emissions.getDataType())) {
            // log Z - gold score cancels: computed per term in half precision, each term's
            // rounding (|log Z| * 2^-11 in float16) would swamp the difference. So the whole
            // loss runs in float32 (the parameters are cast to the emissions' float32) and is
            // cast back.
            PtNDArray half = (PtNDArray) emissions;
            try (Args args = new Args(OP, "emissions", half);
                    NDArray wide = args.library("loss_wide", half);
                    NDArray loss = evaluate(labels, new NDList(wide, predictions.get(1),
                            predictions.get(2), predictions.get(3)))) {
                return args.library("loss_cast_like", loss, half);
            }
        }
        try (NDArray nll = CrfOps.negativeLogLikelihood(OP, emissions, labels.get(0),
                mask, predictions.get(1), predictions.get(2), predictions.get(3))) {
            // the mean of an empty batch is NaN; a sum over it is 0
            return nll.size() == 0 ? nll.sum() : nll.mean();
        }
    }
}
