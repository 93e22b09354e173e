package io.djlgather.ext.nlp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.training.loss.Loss;
import io.djlgather.ext.internal.Checks;

/**
 * Token-level negative log-likelihood for sequence labeling with padding: a softmax over the
 * tags of each token, the gold tag's log-probability read with one gather, averaged over the
 * real tokens only.
 *
 * <pre>
 * real[b][t] = labels[b][t] != ignoreLabel  and  (mask absent or mask[b][t] != 0)
 * loss = - sum_{b,t real} log_softmax(logits[b][t])[labels[b][t]]  /  max(1, #real)
 * </pre>
 *
 * <p>Inputs, as {@link #evaluate(NDList, NDList)} receives them from DJL's {@code Trainer}:
 *
 * <ul>
 *   <li>{@code predictions.get(0)}: logits [B,T,C], any floating dtype;
 *   <li>{@code labels.get(0)}: tags [B,T], int32 or int64, in {@code [0, C)} at real tokens;
 *       anything (e.g. -100, PyTorch's ignore index) at padded tokens;
 *   <li>{@code labels.get(1)}, optional: mask [B,T], bool, integer or floating; nonzero marks a
 *       real token.
 * </ul>
 *
 * <p>Labels at padded tokens are replaced by tag 0 before the gather and weighted 0 after it, so
 * they are never read as tags and give no gradient. A batch without a single real token has
 * loss 0 (never NaN) and zero gradient. The result is a scalar of the logits' dtype on their
 * device; gradients flow to the logits.
 *
 * <p>float16 and bfloat16 logits are computed in float32 (log-softmax, the token count and the
 * sums) and the loss is cast back to the logits' dtype: in float16 a count of 65,504 or more
 * real tokens would overflow to infinity, and long sums would round at every token. The casts
 * are differentiable, so gradients reach the half-precision logits.
 */
public class TokenNllLoss extends Loss {

    /** PyTorch's default {@code ignore_index}. */
    public static final int DEFAULT_IGNORE_LABEL = -100;

    private static final String OP = "TokenNllLoss";

    private final int ignoreLabel;

    /** Creates the loss named "TokenNllLoss", ignoring label -100. */
    public TokenNllLoss() {
        this("TokenNllLoss");
    }

    /**
     * Creates the loss, ignoring label -100.
     *
     * @param name the loss's name, default "TokenNllLoss"
     */
    public TokenNllLoss(String name) {
        this(name, DEFAULT_IGNORE_LABEL);
    }

    /**
     * Creates the loss.
     *
     * @param name the loss's name, default "TokenNllLoss"
     * @param ignoreLabel the label value that marks a padded token, default -100
     */
    public TokenNllLoss(String name, int ignoreLabel) {
        super(name);
        this.ignoreLabel = ignoreLabel;
    }

    /**
     * Returns the label value that marks a padded token.
     *
     * @return the ignored label
     */
    public int getIgnoreLabel() {
        return ignoreLabel;
    }

    /**
     * Computes the mean negative log-likelihood over the real tokens.
     *
     * @param labels tags [B,T] and optionally a mask [B,T]
     * @param predictions logits [B,T,C] first
     * @return the loss, a scalar of logits' dtype and device
     * @throws IllegalArgumentException if labels or predictions is null or empty; logits is not
     *     a floating rank-3 array or has no tags (C == 0); tags are not int32/int64 or not
     *     [B,T]; the mask is not [B,T]; a real token's tag lies outside {@code [0, C)}
     */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        first(OP, "predictions", predictions);
        first(OP, "labels", labels);
        String logitsName = "logits (predictions[0])";
        PtNDArray logits = Args.scores(OP, logitsName, predictions.get(0));
        if (logits.getShape().get(2) == 0) {
            // a padded token's tag is replaced by 0 before the gather, which C == 0 cannot read
            throw Checks.fail(OP, logitsName, "has no tags, so no token can be scored", "C >= 1",
                    "shape " + logits.getShape());
        }
        try (Args args = new Args(OP, logitsName, logits)) {
            PtNDArray tags = args.labels("tags (labels[0])", labels.get(0),
                    SequenceLabeling.batchTime(logits));
            PtNDArray real = args.keep(tags.neq(ignoreLabel));
            if (labels.size() > 1) {
                PtNDArray mask = args.mask("mask (labels[1])", labels.get(1),
                        SequenceLabeling.batchTime(logits));
                real = args.keep(real.logicalAnd(mask));
            }
            PtNDArray safe = args.where(real, tags);
            DataType dtype = logits.getDataType();
            // half precision computes in float32: see the class doc
            PtNDArray wide = isHalf(dtype) ? args.keep(args.library("loss_wide", logits))
                    : logits;
            PtNDArray logProbs = args.keep(wide.logSoftmax(2));
            NDArray picked = args.keep(
                    SequenceLabeling.gatherTags(OP, "tags (labels[0])", logProbs, safe));
            NDArray weights = args.keep(real.toType(wide.getDataType(), false));
            NDArray count = args.keep(args.keep(weights.sum()).maximum(1));
            NDArray total = args.keep(args.keep(picked.mul(weights)).sum());
            NDArray mean = args.keep(total.div(count));
            // 0 - mean rather than -mean, so a batch without real tokens gives +0, not -0
            NDArray loss = args.keep(mean.zerosLike()).sub(mean);
            if (wide == logits) {
                return loss;
            }
            try (NDArray wideLoss = loss) {
                return args.library("loss_cast_like", wideLoss, logits);
            }
        }
    }

    /** Whether a dtype is float16 or bfloat16, which the losses compute in float32. */
    static boolean isHalf(DataType type) {
        return type == DataType.FLOAT16 || type == DataType.BFLOAT16;
    }

    static void first(String op, String argument, NDList list) {
        if (list == null) {
            throw Checks.fail(op, argument, "is null", "an NDList of at least one array", "null");
        }
        if (list.isEmpty()) {
            throw Checks.fail(op, argument, "is empty", "an NDList of at least one array",
                    "an empty NDList");
        }
    }
}
