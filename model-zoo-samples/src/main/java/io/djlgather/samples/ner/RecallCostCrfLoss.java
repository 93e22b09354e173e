package io.djlgather.samples.ner;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import io.djlgather.ext.nlp.CrfLoss;

/**
 * A CRF loss that costs a missed entity more than a false one (softmax-margin training, Gimpel
 * and Smith 2010, with the recall-oriented cost of Mohit et al. 2012): before {@link CrfLoss}
 * runs, {@code cost} is added to the {@code O} emission of every token whose gold tag is not
 * {@code O}:
 *
 * <pre>
 * emissions'[b][t][O] = emissions[b][t][O] + cost   where tags[b][t] != O
 * loss = CrfLoss(tags, emissions', transitions, start, end)
 * </pre>
 *
 * <p>The gold path never takes {@code O} at those tokens, so its score is unchanged; every path
 * that does gains {@code cost} per such token in the partition function, so training pushes
 * {@code O} further below the entity tags there than plain likelihood would. With {@code cost}
 * 0 this is {@link CrfLoss}. Decoding is unchanged (plain Viterbi). Inputs, shapes, dtypes and
 * errors are {@link CrfLoss}'s; the arrays made here belong to the emissions' manager.
 */
public final class RecallCostCrfLoss extends CrfLoss {

    private final long outsideTag;
    private final float cost;

    /**
     * Creates the loss.
     *
     * @param outsideTag the id of the {@code O} tag
     * @param cost what a path pays per entity token it tags {@code O}, in the emissions' units
     *     (log-potentials); at least 0
     * @throws IllegalArgumentException if {@code outsideTag} is negative or {@code cost} is
     *     negative or not finite
     */
    public RecallCostCrfLoss(long outsideTag, float cost) {
        super("CrfLoss");
        if (outsideTag < 0) {
            throw new IllegalArgumentException("RecallCostCrfLoss: outsideTag is negative; expected a tag id >= 0, got " + outsideTag);
        }
        if (!(cost >= 0 && Float.isFinite(cost))) {
            throw new IllegalArgumentException("RecallCostCrfLoss: cost is out of range; expected a finite cost >= 0, got " + cost);
        }
        this.outsideTag = outsideTag;
        this.cost = cost;
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        if (cost == 0 || predictions == null || predictions.size() != 4 || labels == null || labels.isEmpty()) {
            return super.evaluate(labels, predictions);
        }
        NDArray emissions = predictions.get(0);
        NDArray tags = labels.get(0);
        long numTags = emissions.getShape().get(emissions.getShape().dimension() - 1);
        if (outsideTag >= numTags) {
            throw new IllegalArgumentException("RecallCostCrfLoss.evaluate: outsideTag is out of range; expected below the "
                    + numTags + " tags of the emissions, got " + outsideTag);
        }
        DataType type = emissions.getDataType();
        // shape: (B, T, 1): cost at tokens whose gold tag is an entity tag
        NDArray missed = tags.neq(outsideTag).toType(type, false).mul(cost).expandDims(-1);
        // shape: (C,): 1 at O
        NDArray column = tags.getManager().arange(0L, numTags, 1L, DataType.INT64).eq(outsideTag).toType(type, false);
        NDArray augmented = emissions.add(missed.mul(column));
        return super.evaluate(labels, new NDList(augmented, predictions.get(1), predictions.get(2), predictions.get(3)));
    }
}
