package io.djlgather.ext.attention;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import io.djlgather.ext.internal.Checks;
import io.djlgather.ext.internal.OpCall;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-head and per-beam selection for multi-head attention models and beam search: one head's
 * row per position ({@link #selectHeads}) and key/value caches reordered by beam ({@link
 * #reorderBeams}).
 *
 * <p>Index values are checked as by {@link io.djlgather.ext.GatherOps}: on CPU PyTorch's kernel
 * finds an out-of-range value, on other devices the device runtime checks it before the kernel
 * runs (see {@link io.djlgather.ext.spi.GatherRuntime}); either way the error is an {@link
 * IllegalArgumentException} naming this class's op. Results are new arrays on the input's
 * device, attached to the youngest of the arguments' managers (the rule in {@link
 * io.djlgather.ext.GatherOps}); inputs are never modified. Inside a {@link
 * ai.djl.training.GradientCollector} gradients flow to the selected values.
 *
 * <p>Example (jshell):
 *
 * <pre>
 * jshell&gt; var attn = manager.arange(16f).reshape(1, 2, 2, 4);    // B=1, H=2, T=2, D=4
 * jshell&gt; var heads = manager.create(new long[] {1, 0}, new Shape(1, 2));
 * jshell&gt; Heads.selectHeads(attn, heads);                        // head 1 at t=0, head 0 at t=1
 * ND: (1, 2, 4) cpu() float32
 * [[[ 8.,  9., 10., 11.],
 *   [ 4.,  5.,  6.,  7.],
 *  ],
 * ]
 * </pre>
 */
public final class Heads {

    private Heads() {}

    // ---------------------------------------------------------------------------------------
    // Operations: heads

    /**
     * Picks, for every batch entry and position, the rows of one head:
     *
     * <pre>
     * out[b][t][d] = attn[b][heads[b][t]][t][d]
     * </pre>
     *
     * <p>Implemented as a gather along the head axis with {@code heads} viewed as {@code
     * [B,1,T,1]} and broadcast (expanded, never copied to {@code [B,1,T,D]}) over D, then the
     * head axis squeezed away. (An index of shape {@code [B,T,1,D]} along axis 1, as some
     * tutorials write it, reads position 0's rows for every t: a different, wrong result.)
     * Gradient w.r.t. attn: the output gradient added into the selected rows.
     *
     * @param attn [B,H,T,D], any dtype
     * @param heads [B,T] int32 or int64 head numbers in {@code [0, H)}
     * @return [B,T,D], attn's dtype and device, attached to the youngest of attn's and heads'
     *     managers
     * @throws IllegalArgumentException if an argument is null, attn is not of rank 4, heads is
     *     not int32/int64, not of shape [B,T], or holds a value outside {@code [0, H)}
     * @see <a href="https://pytorch.org/docs/stable/generated/torch.take_along_dim.html">torch.take_along_dim</a>
     */
    public static NDArray selectHeads(NDArray attn, NDArray heads) {
        String op = "selectHeads";
        PtNDArray a = Checks.array(op, "attn", attn);
        Checks.rank(op, "attn", a, 4);
        PtNDArray h = Checks.index(op, "heads", heads);
        Shape as = a.getShape();
        Shape want = new Shape(as.get(0), as.get(2));
        if (!want.equals(h.getShape())) {
            throw Checks.fail(op, "heads", "must hold one head per batch entry and position",
                    "shape " + want + " (B, T of attn shape " + as + ")", h.getShape());
        }
        try (OpCall call = new OpCall(op, a)) {
            PtNDArray idx = call.index(h);
            // shape: (B, 1, T, 1), a view; take_along_dim expands it over D without a copy
            PtNDArray idx4 = call.keep((PtNDArray) idx.reshape(as.get(0), 1, as.get(2), 1));
            // an empty attn (D == 0) reads no row, so OpCall checks the heads itself
            call.reads("heads", idx, 0, as.get(1), 1);
            try (NDArray picked = call.library("take_along_dim", a, idx4, 1)) {
                return picked.squeeze(1);
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // Operations: beams

    /**
     * Reorders every key/value cache of a beam search by beam, as beam search does after each
     * step: along {@code axis} (the hypotheses axis, batch*beam, of the same size N in every
     * cache),
     *
     * <pre>
     * out.get(i) = index_select(caches.get(i), axis, beamIndex)
     * e.g. for axis 0:  out.get(i)[j][...] = caches.get(i)[beamIndex[j]][...]
     * </pre>
     *
     * <p>As in {@code torch.index_select}, {@code beamIndex} may have any length M: each result
     * has M entries along the axis, so a search that prunes finished hypotheses keeps its
     * caches to the live ones (M &lt; N), and one that widens repeats rows (M &gt; N). Its values
     * must lie in {@code [0, N)}. All caches must have the same size N along the axis: caches of
     * one search hold the same hypotheses, and a cache of another size is a bug that an index
     * whose values happen to fit would hide.
     *
     * <p>Example: four hypotheses (B=1, K=4); after a step, hypothesis 1 finished and the live
     * ones continue from hypotheses 3, 0 and 0:
     *
     * <pre>
     * jshell&gt; var keys = manager.arange(8f).reshape(4, 2);           // N=4 hypotheses
     * jshell&gt; var live = manager.create(new long[] {3, 0, 0});       // M=3 after pruning
     * jshell&gt; Heads.reorderBeams(new NDList(keys), live, 0).head();
     * ND: (3, 2) cpu() float32
     * [[6., 7.],
     *  [0., 1.],
     *  [0., 1.],
     * ]
     * </pre>
     *
     * <p>Caches may differ in rank, dtype and shape off the axis (e.g. keys [N,H,T,D] and a
     * length vector [N]); {@code axis} may be negative and is read against each cache's rank.
     * Each result keeps its cache's name, dtype and device; it is attached to the younger of the
     * cache's and beamIndex's managers (the rule in {@link io.djlgather.ext.GatherOps}). {@code
     * beamIndex} is checked once for the whole list (once per device if the caches live on
     * several). An empty list gives an empty list.
     *
     * @param caches the caches, each of the same size N along axis
     * @param beamIndex [M] int32 or int64 positions in {@code [0, N)} along axis, any M
     * @param axis the hypotheses axis, may be negative
     * @return the reordered caches, in the same order, each of size M along axis
     * @throws IllegalArgumentException if an argument or a cache is null, beamIndex is not
     *     int32/int64 or not a vector, a cache is of rank 0, axis is out of range for a cache, a
     *     cache's size along axis differs from the first cache's, or a beamIndex value is
     *     outside {@code [0, N)}
     * @see <a href="https://pytorch.org/docs/stable/generated/torch.index_select.html">torch.index_select</a>
     */
    public static NDList reorderBeams(NDList caches, NDArray beamIndex, int axis) {
        String op = "reorderBeams";
        Checks.notNull(op, "caches", caches);
        PtNDArray index = Checks.index(op, "beamIndex", beamIndex);
        Checks.rank(op, "beamIndex", index, 1);
        long hypotheses = -1; // N, the first cache's size along the axis
        int[] axes = new int[caches.size()];
        for (int i = 0; i < caches.size(); i++) {
            String name = "caches[" + i + "]";
            PtNDArray cache = Checks.array(op, name, caches.get(i));
            Shape shape = cache.getShape();
            if (shape.dimension() == 0) {
                // Checks.axis reads a scalar as rank 1; a scalar has no hypotheses axis
                throw Checks.fail(op, "axis", "is out of range for " + name + " of shape "
                        + shape, "a cache of rank >= 1", axis);
            }
            axes[i] = Checks.axis(op, axis, name, shape);
            long size = shape.get(axes[i]);
            if (hypotheses < 0) {
                hypotheses = size;
            } else if (size != hypotheses) {
                throw Checks.fail(op, name, "has the wrong size along axis " + axes[i],
                        hypotheses + " (caches[0]'s size, the hypotheses N)",
                        size + " (shape " + shape + ")");
            }
        }
        NDList out = new NDList(caches.size());
        Map<Device, OpCall> calls = new LinkedHashMap<>();
        Map<Device, PtNDArray> indices = new LinkedHashMap<>();
        try {
            for (int i = 0; i < caches.size(); i++) {
                PtNDArray cache = (PtNDArray) caches.get(i);
                Device device = cache.getDevice();
                OpCall call = calls.get(device);
                if (call == null) {
                    // one index conversion and one check per device, not per cache
                    call = new OpCall(op, cache);
                    calls.put(device, call);
                    PtNDArray idx = call.index(index);
                    call.reads("beamIndex", idx, 0, hypotheses, axes[i]);
                    indices.put(device, idx);
                }
                NDArray reordered = call.libraryFor(OpCall.younger(cache.getManager(),
                        index.getManager()), "index_select", cache, axes[i], indices.get(device));
                if (cache.getName() != null) {
                    reordered.setName(cache.getName());
                }
                out.add(reordered);
            }
            return out;
        } catch (RuntimeException e) {
            out.close();
            throw e;
        } finally {
            calls.values().forEach(OpCall::close);
        }
    }
}
