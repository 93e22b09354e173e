package io.djlgather.ext.nlp;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;
import io.djlgather.ext.internal.Checks;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A linear-chain conditional random field over C tags, the usual last layer of a NER or POS
 * tagger (embedding -&gt; BiLSTM -&gt; Linear -&gt; CrfBlock), trained with {@link CrfLoss}.
 *
 * <p>Parameters (DJL {@link Parameter}s, type OTHER, initialized uniform(-0.1, 0.1)):
 *
 * <pre>
 * transitions [C,C]   transitions[i][j] = score of tag j following tag i
 * start       [C]     score of a sequence starting with a tag
 * end         [C]     score of a sequence ending with a tag
 * </pre>
 *
 * <p>The score of a tag path y over the real steps t_1 &lt; ... &lt; t_n of a sequence, with
 * emissions e [B,T,C] (the previous layer's output):
 *
 * <pre>
 * score(y) = start[y_1] + sum_k e[t_k][y_k] + sum_{k&gt;1} transitions[y_{k-1}][y_k] + end[y_n]
 * logPartition = log sum_{all C^n paths y} exp(score(y))        (forward algorithm)
 * NLL(gold)    = logPartition - score(gold)                      (CrfLoss)
 * Viterbi      = argmax_y score(y)
 * top-k        = the k paths of highest score(y), best first      (viterbiTopK)
 * </pre>
 *
 * <p><b>Masks.</b> A mask [B,T] (bool, integer or floating; nonzero = real step; {@code null} =
 * every step real) may pad on the right, on the left, or even between real steps: masked steps
 * leave the recursion's state unchanged and a sequence's first real step initialises it with
 * {@code start + emission}. Unlike pytorch-crf, the first step need not be real. A sequence
 * with no real step has log partition 0, gold score 0, NLL 0, Viterbi score 0 and an empty
 * path (all -1).
 *
 * <p><b>Constraints.</b> The builder may forbid transitions, start tags and end tags (e.g.
 * {@link CrfConstraints#bioTransitions(List)} or {@link CrfConstraints#bioesTransitions(List)};
 * {@link CrfConstraints} folds them in). Forbidden entries get {@link #FORBIDDEN} (-10000, not -inf,
 * so gradients stay finite) added to their score, in the likelihood and in Viterbi alike: the
 * instance methods and {@link #forward(NDList)} fold them into the parameters; the static
 * twins take arrays with the constraints already folded in (e.g. {@code forward}'s output).
 * The constraints are saved with the parameters ({@link #saveParameters}) and restored on
 * load, so a model reloaded through {@code Criteria} decodes with the constraints it was
 * trained with, whatever its block's builder said; the tag count must match.
 *
 * <p><b>Computation.</b> The forward algorithm, the gold score and Viterbi each run as one call
 * of a TorchScript method of the op library (the loop over T inside it), on the emissions'
 * device; autograd records through the likelihood methods. Viterbi's paths stay on the device
 * until {@link Decoded#toJavaPaths()} is called.
 *
 * <p><b>Errors.</b> Bad arguments throw {@link IllegalArgumentException} of the form {@code
 * "<op>: <argument> <problem>; expected <x>, got <y>"}: emissions not a floating rank-3 array,
 * a mask or tags not [B,T], tags not int32/int64 or outside [0, C) at a real step, parameters of
 * the wrong shape. Instance methods on a block that is not initialized throw {@link
 * IllegalStateException}.
 *
 * @see <a href="https://github.com/kmkurn/pytorch-crf">pytorch-crf</a>
 */
public class CrfBlock extends AbstractBlock {

    /** The parameter file format: 1 = input shapes, C, then the three constraint masks. */
    public static final byte VERSION = 1;

    /** The score added to a forbidden transition, start or end tag. */
    public static final double FORBIDDEN = -10000.0;

    private final int numTags;
    private volatile CrfConstraints constraints;
    private final Parameter transitions;
    private final Parameter start;
    private final Parameter end;
    private final CrfConstraints.PenaltyCache penaltyCache = new CrfConstraints.PenaltyCache();

    CrfBlock(Builder builder) {
        super(VERSION);
        this.numTags = builder.numTags;
        this.constraints = builder.constraints;
        UniformInitializer init = new UniformInitializer(0.1f);
        transitions = addParameter(Parameter.builder().setName("transitions")
                .setType(Parameter.Type.OTHER).optShape(new Shape(numTags, numTags))
                .optInitializer(init).build());
        start = addParameter(Parameter.builder().setName("start")
                .setType(Parameter.Type.OTHER).optShape(new Shape(numTags))
                .optInitializer(init).build());
        end = addParameter(Parameter.builder().setName("end")
                .setType(Parameter.Type.OTHER).optShape(new Shape(numTags))
                .optInitializer(init).build());
    }

    /**
     * Returns a builder; {@link Builder#setNumTags(int)} is required.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the number of tags C.
     *
     * @return C
     */
    public int getNumTags() {
        return numTags;
    }

    /**
     * Returns a copy of the allowed-transition matrix.
     *
     * @return [C][C], {@code [i][j]} true when tag j may follow tag i
     */
    public boolean[][] getAllowedTransitions() {
        boolean[][] allowed = constraints.transitions;
        boolean[][] copy = new boolean[allowed.length][];
        for (int i = 0; i < allowed.length; i++) {
            copy[i] = allowed[i].clone();
        }
        return copy;
    }

    /**
     * Returns a copy of the allowed start tags.
     *
     * @return [C], true for a tag that may start a sequence
     */
    public boolean[] getAllowedStart() {
        return constraints.start.clone();
    }

    /**
     * Returns a copy of the allowed end tags.
     *
     * @return [C], true for a tag that may end a sequence
     */
    public boolean[] getAllowedEnd() {
        return constraints.end.clone();
    }

    // ---------------------------------------------------------------------------------------
    // Block

    /**
     * Passes the emissions through and adds the constrained parameters, for {@link CrfLoss}:
     *
     * <pre>
     * inputs  = (emissions [B,T,C])
     * outputs = (emissions, transitions + penalty [C,C], start + penalty [C], end + penalty [C])
     * </pre>
     *
     * with {@code penalty} = {@link #FORBIDDEN} at forbidden entries and 0 elsewhere. The
     * parameters are the emissions' dtype and device; gradients flow into the block's
     * parameters. The three new arrays are attached to the emissions' manager (a Predictor's
     * request, a Trainer's batch), never to the parameters' (the model's): nothing of a forward
     * pass outlives its request or batch. The penalties are built once per device and dtype and
     * reused; they live in the parameters' manager.
     */
    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs,
            boolean training, PairList<String, Object> params) {
        NDArray emissions = emissions("forward", inputs);
        Device device = emissions.getDevice();
        return output(emissions, emissions.getManager(),
                parameterStore.getValue(transitions, device, training),
                parameterStore.getValue(start, device, training),
                parameterStore.getValue(end, device, training));
    }

    /**
     * The same as the block's {@code forward} with the block's own parameter arrays (moved to
     * the emissions' device if they live elsewhere), for use outside a Trainer.
     *
     * <p>Who owns the result (the rule of {@link io.djlgather.ext.GatherOps}): the first element
     * is the emissions array itself; the three constrained parameters are new arrays attached to
     * the emissions' manager, never to the parameters' (the model's), so they are freed with the
     * request or batch the emissions belong to, or when the caller closes them.
     *
     * @param inputs emissions [B,T,C]
     * @return (emissions, constrained transitions [C,C], start [C], end [C]); the last three
     *     attached to the emissions' manager
     * @throws IllegalArgumentException if inputs is empty or emissions is not [B,T,C]
     * @throws IllegalStateException if the block is not initialized
     */
    public NDList forward(NDList inputs) {
        NDArray emissions = emissions("forward", inputs);
        NDList out = new NDList(4);
        out.add(emissions);
        out.addAll(constrained(emissions));
        return out;
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {
            inputShapes[0], new Shape(numTags, numTags), new Shape(numTags), new Shape(numTags)
        };
    }

    /** Checks that the input is [B,T,C] with this block's C. */
    @Override
    protected void prepare(Shape[] inputShapes) {
        Shape shape = inputShapes.length == 0 ? null : inputShapes[0];
        if (shape == null || shape.dimension() != 3 || shape.get(2) != numTags) {
            throw Checks.fail("CrfBlock", "emissions", "has the wrong shape",
                    "[B,T," + numTags + "]", shape);
        }
    }

    /** Writes the input shapes, C and the constraints. */
    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        CrfConstraints c = constraints;
        os.writeInt(numTags);
        for (boolean[] row : c.transitions) {
            writeBooleans(os, row);
        }
        writeBooleans(os, c.start);
        writeBooleans(os, c.end);
    }

    /**
     * Reads what {@link #saveMetadata} wrote; the saved constraints replace this block's.
     *
     * @throws MalformedModelException if the version or the tag count differs
     */
    @Override
    protected void loadMetadata(byte loadVersion, DataInputStream is)
            throws IOException, MalformedModelException {
        if (loadVersion != VERSION) {
            throw new MalformedModelException("CrfBlock: cannot load parameters of version "
                    + loadVersion + "; expected version " + VERSION);
        }
        readInputShapes(is);
        int saved = is.readInt();
        if (saved != numTags) {
            throw new MalformedModelException("CrfBlock: the saved block has " + saved
                    + " tags; expected " + numTags);
        }
        boolean[][] allowed = new boolean[numTags][];
        for (int i = 0; i < numTags; i++) {
            allowed[i] = readBooleans(is, numTags);
        }
        boolean[] allowedStart = readBooleans(is, numTags);
        boolean[] allowedEnd = readBooleans(is, numTags);
        constraints = new CrfConstraints(allowed, allowedStart, allowedEnd);
    }

    private static void writeBooleans(DataOutputStream os, boolean[] values) throws IOException {
        for (boolean v : values) {
            os.writeBoolean(v);
        }
    }

    private static boolean[] readBooleans(DataInputStream is, int n) throws IOException {
        boolean[] values = new boolean[n];
        for (int i = 0; i < n; i++) {
            values[i] = is.readBoolean();
        }
        return values;
    }

    // ---------------------------------------------------------------------------------------
    // The CRF with this block's parameters and constraints

    /**
     * The log partition function (forward algorithm in log space) with this block's constrained
     * parameters; see {@link #logPartition(NDArray, NDArray, NDArray, NDArray, NDArray)}.
     *
     * @param emissions [B,T,C], floating
     * @param mask [B,T] (nonzero = real step) or null (all real)
     * @return [B], emissions' dtype, device and manager
     * @throws IllegalArgumentException on bad arguments (see the class doc)
     * @throws IllegalStateException if the block is not initialized
     */
    public NDArray logPartition(NDArray emissions, NDArray mask) {
        String op = "logPartition";
        NDArray e = checkEmissions(op, emissions);
        try (NDList p = constrained(e)) {
            return CrfOps.logPartition(op, e, mask, p.get(0), p.get(1), p.get(2));
        }
    }

    /**
     * The score of the given tag paths with this block's constrained parameters; see {@link
     * #goldScore(NDArray, NDArray, NDArray, NDArray, NDArray, NDArray)}.
     *
     * @param emissions [B,T,C], floating
     * @param tags [B,T] int32/int64, in [0, C) at real steps (anything at padded steps)
     * @param mask [B,T] (nonzero = real step) or null (all real)
     * @return [B], emissions' dtype, device and manager
     * @throws IllegalArgumentException on bad arguments (see the class doc)
     * @throws IllegalStateException if the block is not initialized
     */
    public NDArray goldScore(NDArray emissions, NDArray tags, NDArray mask) {
        String op = "goldScore";
        NDArray e = checkEmissions(op, emissions);
        try (NDList p = constrained(e)) {
            return CrfOps.goldScore(op, e, tags, mask, p.get(0), p.get(1), p.get(2));
        }
    }

    /**
     * The best tag path of each sequence with this block's constrained parameters; see {@link
     * #viterbiDecode(NDArray, NDArray, NDArray, NDArray, NDArray)}.
     *
     * @param emissions [B,T,C], floating
     * @param mask [B,T] (nonzero = real step) or null (all real)
     * @return the paths [B,T] (int64, -1 at padded steps) and their scores [B]
     * @throws IllegalArgumentException on bad arguments (see the class doc)
     * @throws IllegalStateException if the block is not initialized
     */
    public Decoded viterbiDecode(NDArray emissions, NDArray mask) {
        String op = "viterbiDecode";
        NDArray e = checkEmissions(op, emissions);
        try (NDList p = constrained(e)) {
            return CrfOps.viterbi(op, e, mask, p.get(0), p.get(1), p.get(2));
        }
    }

    /**
     * The k best tag paths of each sequence with this block's constrained parameters; see {@link
     * #viterbiTopK(NDArray, NDArray, NDArray, NDArray, NDArray, int)}.
     *
     * @param emissions [B,T,C], floating
     * @param mask [B,T] (nonzero = real step) or null (all real)
     * @param k how many paths per sequence, 1 &lt;= k &lt;= 65536
     * @return paths [B,k,T] (int64) and scores [B,k], on the emissions' device and manager
     * @throws IllegalArgumentException on bad arguments (see the class doc) or k out of range
     * @throws IllegalStateException if the block is not initialized
     */
    public CrfTopPaths viterbiTopK(NDArray emissions, NDArray mask, int k) {
        String op = "viterbiTopK";
        NDArray e = checkEmissions(op, emissions);
        try (NDList p = constrained(e)) {
            return CrfOps.viterbiTopK(op, e, mask, p.get(0), p.get(1), p.get(2), k);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Functional twins: the same computations on given arrays (constraints already folded in)

    /**
     * The log partition function of each sequence, by the forward algorithm in log space (one
     * fused TorchScript call, the loop over T inside):
     *
     * <pre>
     * alpha_1[j] = start[j] + e[t_1][j]                          (t_1: first real step)
     * alpha_k[j] = logsumexp_i(alpha_{k-1}[i] + transitions[i][j]) + e[t_k][j]
     * out[b]     = logsumexp_j(alpha_n[j] + end[j])             (0 if no real step)
     * </pre>
     *
     * <p>Masked steps leave alpha unchanged. Gradients flow to all five arrays' sources (e.g.
     * the block's parameters) inside a {@link ai.djl.training.GradientCollector}.
     *
     * @param emissions [B,T,C], floating, any device
     * @param mask [B,T] bool/integer/floating (nonzero = real step), or null (all real)
     * @param transitions [C,C]
     * @param start [C]
     * @param end [C]
     * @return [B], emissions' dtype, device and manager (other arrays are moved and cast to
     *     them)
     * @throws IllegalArgumentException if emissions is null, not rank 3 or not floating; mask
     *     is not [B,T]; a parameter is null or of the wrong shape
     */
    public static NDArray logPartition(NDArray emissions, NDArray mask, NDArray transitions,
            NDArray start, NDArray end) {
        return CrfOps.logPartition("logPartition", emissions, mask, transitions, start, end);
    }

    /**
     * The score of each sequence's given tag path, built from gathers (one fused TorchScript
     * call): with t_1 &lt; ... &lt; t_n the real steps of a sequence and y = tags,
     *
     * <pre>
     * out[b] = start[y_{t_1}] + sum_k e[t_k][y_{t_k}] + sum_{k&gt;1} transitions[y_{t_{k-1}}][y_{t_k}]
     *          + end[y_{t_n}]                                     (0 if no real step)
     * </pre>
     *
     * @param emissions [B,T,C], floating, any device
     * @param tags [B,T] int32/int64, in [0, C) at real steps; values at padded steps are never
     *     read
     * @param mask [B,T] bool/integer/floating (nonzero = real step), or null (all real)
     * @param transitions [C,C]
     * @param start [C]
     * @param end [C]
     * @return [B], emissions' dtype, device and manager
     * @throws IllegalArgumentException as {@link #logPartition(NDArray, NDArray, NDArray,
     *     NDArray, NDArray)}, or if emissions has no tags (C == 0), or if tags is null, not
     *     int32/int64, not [B,T], or has a real step's tag outside [0, C)
     */
    public static NDArray goldScore(NDArray emissions, NDArray tags, NDArray mask,
            NDArray transitions, NDArray start, NDArray end) {
        return CrfOps.goldScore("goldScore", emissions, tags, mask, transitions, start, end);
    }

    /**
     * The highest-scoring tag path of each sequence (Viterbi, max-sum; one fused TorchScript
     * call with the backtracking inside, so the paths never leave the device).
     *
     * <pre>
     * paths[b]  = argmax_y score(y)   over the real steps, -1 at padded steps
     * scores[b] = max_y score(y)      (0 and an all -1 path if no real step)
     * </pre>
     *
     * <p>Where several paths share the best score, which of them is returned is not specified
     * (the forward and backward halves of the recursion meet in the middle); {@link
     * #viterbiTopK} orders ties by a stated rule and, for k = 1, gives a best path too.
     *
     * @param emissions [B,T,C], floating, any device
     * @param mask [B,T] bool/integer/floating (nonzero = real step), or null (all real)
     * @param transitions [C,C]
     * @param start [C]
     * @param end [C]
     * @return paths [B,T] int64 and scores [B] (emissions' dtype), on emissions' device and
     *     manager; close it to free both
     * @throws IllegalArgumentException as {@link #logPartition(NDArray, NDArray, NDArray,
     *     NDArray, NDArray)}, or if emissions has no tags (C == 0)
     */
    public static Decoded viterbiDecode(NDArray emissions, NDArray mask, NDArray transitions,
            NDArray start, NDArray end) {
        return CrfOps.viterbi("viterbiDecode", emissions, mask, transitions, start, end);
    }

    /**
     * The k highest-scoring tag paths of each sequence and their scores (top-k Viterbi, as
     * AllenNLP's {@code viterbi_tags(top_k)}; one fused TorchScript call with the
     * backtracking inside). The state keeps the k best partial paths ending in each tag; a
     * step extends each by every tag and keeps the k best of the C*k candidates.
     *
     * <pre>
     * paths[b][r]  = the path y with the (r+1)-th highest score(y) over the real steps of
     *                sequence b, -1 at padded steps                       [B,k,T] int64
     * scores[b][r] = its score, non-increasing in r                      [B,k], emissions' dtype
     * ranks beyond the C^n paths of a sequence with n real steps: path all -1, score -inf
     * a sequence with no real step: one path (the empty one, all -1) scored 0, then -inf
     * </pre>
     *
     * <p>Ties are broken deterministically: among paths of equal score, the one whose tags,
     * read from the last real step backwards, are lexicographically smaller ranks first (with
     * k = 1, the same path as {@link #viterbiDecode(NDArray, NDArray, NDArray, NDArray,
     * NDArray)}). Forbidden transitions carry {@link #FORBIDDEN}, a finite penalty, so paths
     * through them are ranked (last) rather than left out; a transition of -inf leaves its paths
     * out. Cost per step: a sort of C*k candidates for each of B*C tags; memory B*T*C*k int64
     * backpointers. float16 and bfloat16 are computed in float32, the scores returned in the
     * input's dtype.
     *
     * @param emissions [B,T,C], floating, any device
     * @param mask [B,T] bool/integer/floating (nonzero = real step), or null (all real)
     * @param transitions [C,C]
     * @param start [C]
     * @param end [C]
     * @param k how many paths per sequence, 1 &lt;= k &lt;= 65536
     * @return paths [B,k,T] and scores [B,k] on emissions' device and manager; close it to free
     *     both
     * @throws IllegalArgumentException as {@link #logPartition(NDArray, NDArray, NDArray,
     *     NDArray, NDArray)}, or if emissions has no tags (C == 0), or if k is out of range
     */
    public static CrfTopPaths viterbiTopK(NDArray emissions, NDArray mask, NDArray transitions,
            NDArray start, NDArray end, int k) {
        return CrfOps.viterbiTopK("viterbiTopK", emissions, mask, transitions, start, end, k);
    }

    /**
     * Top-k Viterbi on the output of the block's forward pass (e.g. a model's prediction).
     *
     * @param crfOutput (emissions, transitions, start, end) as {@code forward} returns them
     * @param mask [B,T] (nonzero = real step) or null (all real)
     * @param k how many paths per sequence, 1 &lt;= k &lt;= 65536
     * @return as {@link #viterbiTopK(NDArray, NDArray, NDArray, NDArray, NDArray, int)}
     * @throws IllegalArgumentException if crfOutput does not hold four arrays, or as {@link
     *     #viterbiTopK(NDArray, NDArray, NDArray, NDArray, NDArray, int)}
     */
    public static CrfTopPaths viterbiTopK(NDList crfOutput, NDArray mask, int k) {
        String op = "viterbiTopK";
        if (crfOutput == null || crfOutput.size() != 4) {
            throw Checks.fail(op, "crfOutput", "is not a CrfBlock output",
                    "4 arrays (emissions, transitions, start, end)",
                    crfOutput == null ? "null" : crfOutput.size() + " arrays");
        }
        return CrfOps.viterbiTopK(op, crfOutput.get(0), mask, crfOutput.get(1), crfOutput.get(2),
                crfOutput.get(3), k);
    }

    /**
     * Viterbi on the output of the block's forward pass (e.g. a model's prediction).
     *
     * @param crfOutput (emissions, transitions, start, end) as {@code forward} returns them
     * @param mask [B,T] (nonzero = real step) or null (all real)
     * @return as {@link #viterbiDecode(NDArray, NDArray, NDArray, NDArray, NDArray)}
     * @throws IllegalArgumentException if crfOutput does not hold four arrays, or as {@link
     *     #viterbiDecode(NDArray, NDArray, NDArray, NDArray, NDArray)}
     */
    public static Decoded viterbiDecode(NDList crfOutput, NDArray mask) {
        String op = "viterbiDecode";
        if (crfOutput == null || crfOutput.size() != 4) {
            throw Checks.fail(op, "crfOutput", "is not a CrfBlock output",
                    "4 arrays (emissions, transitions, start, end)",
                    crfOutput == null ? "null" : crfOutput.size() + " arrays");
        }
        return CrfOps.viterbi(op, crfOutput.get(0), mask, crfOutput.get(1), crfOutput.get(2),
                crfOutput.get(3));
    }

    // ---------------------------------------------------------------------------------------
    // BIO constraints (the work lives in CrfConstraints)

    /**
     * Returns the allowed transitions of the BIO scheme.
     *
     * @param tagNames the tag names, index = tag id, e.g. [O, B-PER, I-PER, B-LOC, I-LOC]
     * @return allowed[i][j]: whether tag j may follow tag i
     * @throws IllegalArgumentException if tagNames or one of its names is null
     * @see CrfConstraints#bioTransitions(List)
     */
    public static boolean[][] bioConstraints(List<String> tagNames) {
        return CrfConstraints.bioTransitions("bioConstraints", tagNames);
    }

    /**
     * Returns the allowed start tags of the BIO scheme: every tag but {@code I-*}.
     *
     * @param tagNames the tag names, index = tag id
     * @return allowed[j]: whether a sequence may start with tag j
     * @throws IllegalArgumentException if tagNames or one of its names is null
     * @see CrfConstraints#bioStart(List)
     */
    public static boolean[] bioStartConstraints(List<String> tagNames) {
        return CrfConstraints.bioStart("bioStartConstraints", tagNames);
    }

    /**
     * Returns the allowed transitions of the BIOES (BILOU) scheme: after {@code B-X} or {@code
     * I-X} only {@code I-X} or {@code E-X}; after anything else no {@code I-*} or {@code E-*}.
     *
     * @param tagNames the tag names, index = tag id
     * @return allowed[i][j]: whether tag j may follow tag i
     * @throws IllegalArgumentException if tagNames or one of its names is null
     * @see CrfConstraints#bioesTransitions(List)
     */
    public static boolean[][] bioesConstraints(List<String> tagNames) {
        return CrfConstraints.bioesTransitions("bioesConstraints", tagNames);
    }

    /**
     * Returns the allowed start tags of the BIOES scheme: every tag but {@code I-*} and {@code
     * E-*} ({@code L-*}).
     *
     * @param tagNames the tag names, index = tag id
     * @return allowed[j]: whether a sequence may start with tag j
     * @throws IllegalArgumentException if tagNames or one of its names is null
     * @see CrfConstraints#bioesStart(List)
     */
    public static boolean[] bioesStartConstraints(List<String> tagNames) {
        return CrfConstraints.bioesStart("bioesStartConstraints", tagNames);
    }

    /**
     * Returns the allowed end tags of the BIOES scheme: every tag but {@code B-*} and {@code
     * I-*}.
     *
     * @param tagNames the tag names, index = tag id
     * @return allowed[j]: whether a sequence may end with tag j
     * @throws IllegalArgumentException if tagNames or one of its names is null
     * @see CrfConstraints#bioesEnd(List)
     */
    public static boolean[] bioesEndConstraints(List<String> tagNames) {
        return CrfConstraints.bioesEnd("bioesEndConstraints", tagNames);
    }

    // ---------------------------------------------------------------------------------------
    // Internals

    private NDArray emissions(String op, NDList inputs) {
        if (inputs == null || inputs.isEmpty()) {
            throw Checks.fail("CrfBlock." + op, "inputs", "is empty", "(emissions [B,T,C])",
                    inputs == null ? "null" : "an empty NDList");
        }
        return checkEmissions("CrfBlock." + op, inputs.get(0));
    }

    private NDArray checkEmissions(String op, NDArray array) {
        NDArray emissions = Args.scores(op, "emissions", array);
        if (emissions.getShape().get(2) != numTags) {
            throw Checks.fail(op, "emissions", "has the wrong number of tags",
                    "[B,T," + numTags + "]", emissions.getShape());
        }
        return emissions;
    }

    /**
     * The constrained parameters for the emissions' device, attached to the emissions' manager;
     * a parameter living on another device is moved there through a temporary copy, closed here
     * (autograd keeps what the backward pass needs).
     */
    private NDList constrained(NDArray emissions) {
        if (!isInitialized()) {
            throw new IllegalStateException(
                    "CrfBlock: the block is not initialized; call initialize(manager, dataType,"
                            + " new Shape(B, T, " + numTags + ")) or train it first");
        }
        NDArray[] arrays = {transitions.getArray(), start.getArray(), end.getArray()};
        List<NDArray> moved = new ArrayList<>(3);
        try {
            for (int i = 0; i < arrays.length; i++) {
                if (!arrays[i].getDevice().equals(emissions.getDevice())) {
                    arrays[i] = arrays[i].toDevice(emissions.getDevice(), false);
                    moved.add(arrays[i]);
                }
            }
            return output(null, emissions.getManager(), arrays[0], arrays[1], arrays[2]);
        } finally {
            moved.forEach(NDArray::close);
        }
    }

    /**
     * (emissions?, transitions + penalty, start + penalty, end + penalty), the sums attached to
     * {@code owner}.
     */
    private NDList output(NDArray emissions, NDManager owner, NDArray tr, NDArray st,
            NDArray en) {
        NDArray[] penalties = penaltyCache.get(constraints, tr, numTags);
        NDList out = new NDList(4);
        if (emissions != null) {
            out.add(emissions);
        }
        try {
            out.add(CrfConstraints.constrain(tr, penalties[0], owner));
            out.add(CrfConstraints.constrain(st, penalties[1], owner));
            out.add(CrfConstraints.constrain(en, penalties[2], owner));
        } catch (RuntimeException e) {
            for (int i = emissions == null ? 0 : 1; i < out.size(); i++) {
                out.get(i).close();
            }
            throw e;
        }
        return out;
    }

    /**
     * Builds a {@link CrfBlock}: {@link #setNumTags(int)} is required; every transition, start
     * and end tag is allowed unless an {@code optAllowed...} option says otherwise.
     */
    public static final class Builder {
        private int numTags;
        private boolean[][] allowedTransitions;
        private boolean[] allowedStart;
        private boolean[] allowedEnd;
        private CrfConstraints constraints;

        Builder() {}

        /**
         * Sets the number of tags C.
         *
         * @param numTags C, at least 1
         * @return this builder
         */
        public Builder setNumTags(int numTags) {
            this.numTags = numTags;
            return this;
        }

        /**
         * Sets which transitions are allowed (default: all).
         *
         * @param allowed [C][C], allowed[i][j]: whether tag j may follow tag i (copied)
         * @return this builder
         */
        public Builder optAllowedTransitions(boolean[][] allowed) {
            this.allowedTransitions = allowed;
            return this;
        }

        /**
         * Sets which tags may start a sequence (default: all).
         *
         * @param allowed [C] (copied)
         * @return this builder
         */
        public Builder optAllowedStart(boolean[] allowed) {
            this.allowedStart = allowed;
            return this;
        }

        /**
         * Sets which tags may end a sequence (default: all).
         *
         * @param allowed [C] (copied)
         * @return this builder
         */
        public Builder optAllowedEnd(boolean[] allowed) {
            this.allowedEnd = allowed;
            return this;
        }

        /**
         * Builds the block (parameters are created on initialization).
         *
         * @return the block
         * @throws IllegalArgumentException if numTags &lt; 1 or a constraint array is not
         *     [C][C] / [C]
         */
        public CrfBlock build() {
            String op = "CrfBlock.builder";
            if (numTags < 1) {
                throw Checks.fail(op, "numTags", "must be positive", "numTags >= 1", numTags);
            }
            constraints = CrfConstraints.of(op, numTags, allowedTransitions, allowedStart,
                    allowedEnd);
            return new CrfBlock(this);
        }
    }

    /**
     * The result of Viterbi decoding, as {@link #viterbiDecode} returns it; everything it does is
     * {@link CrfPaths}'s. Closing it closes both arrays.
     */
    public static final class Decoded extends CrfPaths {

        Decoded(NDArray paths, NDArray scores) {
            super(paths, scores);
        }
    }
}
