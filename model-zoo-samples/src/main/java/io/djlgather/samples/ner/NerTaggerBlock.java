package io.djlgather.samples.ner;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.djlgather.ext.GatherOps;
import io.djlgather.ext.nlp.CrfBlock;
import java.util.List;

/**
 * The sequence labeller: word and word-shape embeddings, a bidirectional LSTM (DJL's), a linear
 * layer to per-tag emission scores, and a {@link CrfBlock} holding the tag transition scores.
 *
 * <pre>
 * words [B,T], shapes [B,T]  (int64)
 *   -&gt; embed: indexSelect(wordTable, 0, words) ++ indexSelect(shapeTable, 0, shapes)  [B,T,Dw+Ds]
 *   -&gt; dropout -&gt; forward LSTM ++ backward LSTM over reversed sentences [B,T,2H] -&gt; dropout -&gt; linear [B,T,C]
 *   -&gt; CrfBlock: NDList(emissions [B,T,C], transitions [C,C], start [C], end [C])
 * </pre>
 *
 * <p>The embedding lookup is {@link GatherOps#indexSelect}: its gradient is an index-add of the
 * output gradient into the table's rows, so training goes through the op library. The BiLSTM is
 * two one-directional DJL LSTMs; the backward one reads each sentence reversed within its own
 * length through {@link GatherOps#takeAlongAxis}, so padding never comes first (and because
 * PyTorch 2.7.1's oneDNN kernel for a bidirectional LSTM's backward pass corrupts the heap on
 * CPU here; the one-directional kernel does not).
 * Train it with {@link io.djlgather.ext.nlp.CrfLoss}; decode with {@link #crf()}'s Viterbi.
 *
 * <p>What {@code forward} computes belongs to the words' manager, never to the model's: the
 * embedding rows are read with {@link GatherOps#indexSelect(NDManager, NDArray, int, NDArray)}
 * naming that manager, every other op takes request data as its first operand, and the
 * {@link CrfBlock} attaches its outputs to the emissions' manager. So a {@code Predictor}'s
 * requests and a {@code Trainer}'s batches free all of it (the lifecycle tests count the model
 * manager's arrays over 20,000 requests and over 5 epochs).
 */
public final class NerTaggerBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Parameter wordTable;
    private final Parameter shapeTable;
    private final Dropout dropIn;
    private final LSTM forwardLstm;
    private final LSTM backwardLstm;
    private final Dropout dropOut;
    private final Linear linear;
    private final CrfBlock crf;
    private final NerConfig config;
    private final int numTags;

    /**
     * Builds the block for a vocabulary.
     *
     * @param vocab the word and tag tables
     * @param config the sizes
     */
    public NerTaggerBlock(Vocab vocab, NerConfig config) {
        super(VERSION);
        this.config = config;
        this.numTags = vocab.tagCount();
        wordTable =
                addParameter(
                        Parameter.builder()
                                .setName("wordTable")
                                .setType(Parameter.Type.WEIGHT)
                                .optShape(new Shape(vocab.wordCount(), config.wordDim()))
                                .build());
        shapeTable =
                addParameter(
                        Parameter.builder()
                                .setName("shapeTable")
                                .setType(Parameter.Type.WEIGHT)
                                .optShape(new Shape(Vocab.SHAPES, config.shapeDim()))
                                .build());
        dropIn = addChildBlock("dropIn", Dropout.builder().optRate(config.dropout()).build());
        forwardLstm = addChildBlock("forwardLstm", lstm(config.hidden()));
        backwardLstm = addChildBlock("backwardLstm", lstm(config.hidden()));
        dropOut = addChildBlock("dropOut", Dropout.builder().optRate(config.dropout()).build());
        linear = addChildBlock("linear", Linear.builder().setUnits(vocab.tagCount()).build());
        CrfBlock.Builder crfBuilder = CrfBlock.builder().setNumTags(vocab.tagCount());
        if (config.bioConstraints()) {
            List<String> tags = vocab.tags();
            crfBuilder
                    .optAllowedTransitions(CrfBlock.bioConstraints(tags))
                    .optAllowedStart(CrfBlock.bioStartConstraints(tags));
        }
        crf = addChildBlock("crf", crfBuilder.build());
    }

    private static LSTM lstm(int hidden) {
        return LSTM.builder()
                .setStateSize(hidden)
                .setNumLayers(1)
                .optBatchFirst(true)
                .optReturnState(false)
                .build();
    }

    /** Returns true when every tag is O, B-X or I-X, so BIO constraints apply. */
    public static boolean isBio(List<String> tags) {
        return tags.stream().allMatch(t -> t.equals("O") || t.startsWith("B-") || t.startsWith("I-"))
                && tags.stream().anyMatch(t -> t.startsWith("B-"));
    }

    /** Returns the CRF layer (for Viterbi decoding). */
    public CrfBlock crf() {
        return crf;
    }

    /** Returns the sizes. */
    public NerConfig config() {
        return config;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray words = inputs.get(0);
        NDArray shapes = inputs.get(1);
        long batch = words.getShape().get(0);
        long steps = words.getShape().get(1);
        NDArray wordVectors = ps.getValue(wordTable, words.getDevice(), training);
        NDArray shapeVectors = ps.getValue(shapeTable, words.getDevice(), training);
        // The tables are the model's; the rows read from them belong to the words' manager (a
        // request's or a batch's), named outright so that it holds even when the caller's data
        // manager is unrelated to the model's. Every later op has request data first.
        NDManager data = words.getManager();
        // shape: (batch, steps, wordDim + shapeDim)
        NDArray embedded =
                GatherOps.indexSelect(data, wordVectors, 0, words.flatten())
                        .reshape(batch, steps, config.wordDim())
                        .concat(
                                GatherOps.indexSelect(data, shapeVectors, 0, shapes.flatten())
                                        .reshape(batch, steps, config.shapeDim()),
                                -1);
        NDArray x = dropIn.forward(ps, new NDList(embedded), training).head();
        // The backward direction reads each sentence reversed within its own length, so that
        // it starts at the sentence's last word, not at padding: rev[b][t] = len[b]-1-t for
        // t < len[b], else t (padding stays in place). Reversal is its own inverse.
        NDArray lengths = words.neq(Vocab.PAD).toType(DataType.INT64, false).sum(new int[] {1}, true);
        NDArray t = data.arange(0L, steps, 1L, DataType.INT64).expandDims(0);
        NDArray rev = t.lt(lengths).toType(DataType.INT64, false).mul(lengths.sub(1).sub(t).sub(t)).add(t).expandDims(2);
        NDArray ahead = forwardLstm.forward(ps, new NDList(x), training).head();
        NDArray reversed = GatherOps.takeAlongAxis(x, rev, 1);
        NDArray behind = GatherOps.takeAlongAxis(backwardLstm.forward(ps, new NDList(reversed), training).head(), rev, 1);
        NDList h = dropOut.forward(ps, new NDList(ahead.concat(behind, -1)), training);
        NDList emissions = linear.forward(ps, h, training);
        return crf.forward(ps, emissions, training, params);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return crf.getOutputShapes(new Shape[] {new Shape(in.get(0), in.get(1), tagCount())});
    }

    private long tagCount() {
        return numTags;
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        Shape embedded = new Shape(in.get(0), in.get(1), config.wordDim() + config.shapeDim());
        dropIn.initialize(manager, dataType, embedded);
        forwardLstm.initialize(manager, dataType, embedded);
        backwardLstm.initialize(manager, dataType, embedded);
        Shape hidden = new Shape(in.get(0), in.get(1), 2L * config.hidden());
        dropOut.initialize(manager, dataType, hidden);
        linear.initialize(manager, dataType, hidden);
        crf.initialize(manager, dataType, new Shape(in.get(0), in.get(1), tagCount()));
    }
}
