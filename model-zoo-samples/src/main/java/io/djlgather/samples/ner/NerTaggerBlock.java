package io.djlgather.samples.ner;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.djlgather.ext.GatherOps;
import io.djlgather.ext.nlp.CrfBlock;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.List;

/**
 * The sequence labeller: word and word-shape embeddings, character features of each word (a
 * character CNN with max-pooling over the word, as in Ma and Hovy 2016), a bidirectional LSTM
 * (DJL's), a linear layer to per-tag emission scores, and a {@link CrfBlock} holding the tag
 * transition scores.
 *
 * <pre>
 * words [B,T], shapes [B,T], chars [B,T,L]  (int64; chars 0 = padding)
 *   -&gt; embed: indexSelect(wordTable, 0, words) ++ indexSelect(shapeTable, 0, shapes)
 *              ++ charFeatures(chars)                                        [B,T,Dw+Ds+F]
 *   -&gt; dropout -&gt; forward LSTM ++ backward LSTM over reversed sentences [B,T,2H] -&gt; dropout -&gt; linear [B,T,C]
 *   -&gt; CrfBlock: NDList(emissions [B,T,C], transitions [C,C], start [C], end [C])
 *
 * charFeatures: all B*T words of the batch at once, no loop over words:
 *   indexSelect(charTable, 0, chars) x (chars != 0) [B*T,L,Dc] -&gt; transpose [B*T,Dc,L] -&gt; dropout
 *   -&gt; Conv1d (F filters, width w, padding w/2) [B*T,F,L]
 *   -&gt; + (-10000 where the character is padding) -&gt; max over L [B*T,F]
 *   -&gt; x 0 at padded words -&gt; [B,T,F]
 * </pre>
 *
 * <p>Without character features ({@link NerConfig#chars()} false, as in folders saved before
 * the character CNN) the block reads only words and shapes and ignores a third input.
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

    /** 2: the character CNN (its parameters are saved only when {@link NerConfig#chars()}). */
    private static final byte VERSION = 2;

    /** Added to the CNN's output at padded character positions, so max-pooling never picks them. */
    private static final float PAD_PENALTY = -10000f;

    private final Parameter wordTable;
    private final Parameter shapeTable;
    private final Parameter charTable;
    private final Dropout charDrop;
    private final Conv1d charConv;
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
        if (config.chars()) {
            charTable =
                    addParameter(
                            Parameter.builder()
                                    .setName("charTable")
                                    .setType(Parameter.Type.WEIGHT)
                                    .optShape(new Shape(vocab.charCount(), config.charDim()))
                                    .build());
            charDrop = addChildBlock("charDrop", Dropout.builder().optRate(config.dropout()).build());
            charConv =
                    addChildBlock(
                            "charConv",
                            Conv1d.builder()
                                    .setKernelShape(new Shape(config.charWidth()))
                                    .setFilters(config.charFilters())
                                    .optPadding(new Shape(config.charWidth() / 2))
                                    .build());
        } else {
            charTable = null;
            charDrop = null;
            charConv = null;
        }
        dropIn = addChildBlock("dropIn", Dropout.builder().optRate(config.dropout()).build());
        forwardLstm = addChildBlock("forwardLstm", lstm(config.hidden()));
        backwardLstm = addChildBlock("backwardLstm", lstm(config.hidden()));
        dropOut = addChildBlock("dropOut", Dropout.builder().optRate(config.dropout()).build());
        linear = addChildBlock("linear", Linear.builder().setUnits(vocab.tagCount()).build());
        CrfBlock.Builder crfBuilder = CrfBlock.builder().setNumTags(vocab.tagCount());
        if (config.bioConstraints()) {
            List<String> tags = vocab.tags();
            if (TagScheme.of(tags) == TagScheme.BIOES) {
                crfBuilder
                        .optAllowedTransitions(CrfBlock.bioesConstraints(tags))
                        .optAllowedStart(CrfBlock.bioesStartConstraints(tags))
                        .optAllowedEnd(CrfBlock.bioesEndConstraints(tags));
            } else {
                crfBuilder
                        .optAllowedTransitions(CrfBlock.bioConstraints(tags))
                        .optAllowedStart(CrfBlock.bioStartConstraints(tags));
            }
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

    /**
     * Returns true when the CRF's constraints apply to the tags: BIO tags ({@link #isBio}), or
     * BIOES tags (O, B-X, I-X, E-X, S-X, at least one S-X or B-X).
     */
    public static boolean hasScheme(List<String> tags) {
        return isBio(tags)
                || (tags.stream().allMatch(t -> t.equals("O") || t.matches("[BIES]-.+"))
                        && tags.stream().anyMatch(t -> t.startsWith("B-") || t.startsWith("S-")));
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
        if (config.chars() && inputs.size() < 3) {
            throw new IllegalArgumentException(
                    "NerTaggerBlock.forward: inputs lack the characters; expected (words [B,T], shapes [B,T], chars [B,T,L]),"
                            + " got " + inputs.size() + " arrays");
        }
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
        if (config.chars()) {
            embedded = embedded.concat(charFeatures(ps, words, inputs.get(2), training), -1);
        }
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

    /**
     * The character CNN over every word of the batch at once: [B,T,L] ids -&gt; [B,T,F], each
     * word's filters max-pooled over its real characters, 0 at padded words.
     */
    NDArray charFeatures(ParameterStore ps, NDArray words, NDArray chars, boolean training) {
        long batch = words.getShape().get(0);
        long steps = words.getShape().get(1);
        Shape shape = chars.getShape();
        if (shape.dimension() != 3 || shape.get(0) != batch || shape.get(1) != steps) {
            throw new IllegalArgumentException(
                    "NerTaggerBlock.forward: chars has the wrong shape; expected [" + batch + "," + steps + ",L], got " + shape);
        }
        long length = shape.get(2);
        NDArray charVectors = ps.getValue(charTable, words.getDevice(), training);
        NDManager data = words.getManager();
        // shape: (B*T, L, 1); padding characters read as zero vectors, as the convolution's
        // own zero padding past position L-1, so that a word's features do not depend on the
        // longest word of its batch
        NDArray realChars = chars.reshape(batch * steps, length, 1).neq(0L);
        // shape: (B*T, Dc, L), the layout Conv1d reads (channels before positions)
        NDArray embedded =
                GatherOps.indexSelect(data, charVectors, 0, chars.flatten())
                        .reshape(batch * steps, length, config.charDim())
                        .mul(realChars.toType(charVectors.getDataType(), false))
                        .transpose(0, 2, 1);
        NDArray x = charDrop.forward(ps, new NDList(embedded), training).head();
        // shape: (B*T, F, L)
        NDArray filtered = charConv.forward(ps, new NDList(x), training).head();
        // shape: (B*T, 1, L); padded characters can never win the max
        NDArray padding = realChars.reshape(batch * steps, 1, length).logicalNot().toType(filtered.getDataType(), false).mul(PAD_PENALTY);
        // shape: (B*T, F) -> (B, T, F); padded words (no character) become 0
        NDArray pooled = filtered.add(padding).max(new int[] {2});
        NDArray real = words.neq(Vocab.PAD).reshape(batch * steps, 1).toType(pooled.getDataType(), false);
        return pooled.mul(real).reshape(batch, steps, config.charFilters());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return crf.getOutputShapes(new Shape[] {new Shape(in.get(0), in.get(1), tagCount())});
    }

    private long tagCount() {
        return numTags;
    }

    /**
     * Reads the input shapes of version 2 and of version 1 (saved before the character CNN; its
     * folders load with {@link NerConfig#chars()} false, so the parameters that follow match).
     */
    @Override
    protected void loadMetadata(byte loadVersion, DataInputStream is) throws IOException, MalformedModelException {
        if (loadVersion != 1 && loadVersion != VERSION) {
            throw new MalformedModelException(
                    "NerTaggerBlock: cannot load parameters of version " + loadVersion + "; expected version 1 or " + VERSION);
        }
        readInputShapes(is);
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        long charFeatures = 0;
        if (config.chars()) {
            long length = inputShapes.length > 2 ? inputShapes[2].get(2) : Vocab.MAX_WORD_CHARS;
            Shape chars = new Shape(in.get(0) * in.get(1), config.charDim(), length);
            charDrop.initialize(manager, dataType, chars);
            charConv.initialize(manager, dataType, chars);
            charFeatures = config.charFilters();
        }
        Shape embedded = new Shape(in.get(0), in.get(1), config.wordDim() + config.shapeDim() + charFeatures);
        dropIn.initialize(manager, dataType, embedded);
        forwardLstm.initialize(manager, dataType, embedded);
        backwardLstm.initialize(manager, dataType, embedded);
        Shape hidden = new Shape(in.get(0), in.get(1), 2L * config.hidden());
        dropOut.initialize(manager, dataType, hidden);
        linear.initialize(manager, dataType, hidden);
        crf.initialize(manager, dataType, new Shape(in.get(0), in.get(1), tagCount()));
    }
}
