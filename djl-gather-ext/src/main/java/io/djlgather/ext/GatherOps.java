package io.djlgather.ext;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.djlgather.ext.internal.Checks;
import io.djlgather.ext.internal.OpLibrary;

/**
 * PyTorch's gather/scatter/index op family for DJL {@link NDArray}s of the PyTorch engine, on
 * whatever device the input lives (CPU or CUDA).
 *
 * <p>Every op follows the torch function of the same name: argument order, shape rules and
 * values. Every op is out of place: it returns a new array on the input's device, of the input's
 * dtype, and never modifies its arguments.
 *
 * <p><b>Who owns a result</b> (the rule every op and helper of djl-gather follows): a result is
 * attached to the <em>youngest</em> of its array arguments' managers, the one that descends from
 * all the others; when they do not lie on one line of descent, to the input's manager (DJL's own
 * default). DJL makes each request's manager in a {@code Predictor} and each batch's manager in a
 * {@code Trainer} a descendant of the model's manager, so in the ordinary patterns the result
 * lives with the request or batch and is freed with it:
 *
 * <ul>
 *   <li>a {@code Block} whose {@code forwardInternal} applies an op to a parameter and request
 *       data ({@code indexSelect(embeddingTable, 0, wordIds)}): the result belongs to the word
 *       ids' manager, never to the model's;
 *   <li>a {@code Translator} that gathers from request arrays: the request's manager;
 *   <li>a {@code Trainer} step: the batch's manager, so the autograd graph goes with the batch.
 * </ul>
 *
 * The read ops also take the result's manager outright, as {@link NDArray#take(NDManager, NDArray)} does: {@link #gather(NDManager, NDArray, int, NDArray)}, {@link
 * #takeAlongAxis(NDManager, NDArray, NDArray, int)}, {@link #indexSelect(NDManager, NDArray, int,
 * NDArray)} and {@link #take(NDManager, NDArray, NDArray)}. Temporaries an op makes on the way
 * (an int32 index widened to int64, a copy moved to the input's device) are closed before it
 * returns.
 *
 * <p>Rules shared by all ops:
 *
 * <ul>
 *   <li>{@code axis} may be negative ({@code -1} is the last axis).
 *   <li>An index holds int32 or int64 (any other dtype is rejected, never cast). An index on
 *       another device than the input is copied to the input's device; so is {@code src}.
 *   <li>{@code src} must have the input's dtype.
 *   <li>Empty arrays work and give empty or unchanged results.
 *   <li>Bad arguments (null, wrong rank, shape mismatch, index out of range, index of a
 *       non-integer dtype, axis out of range, a {@link Reduction} the op does not take) throw an
 *       {@link IllegalArgumentException} of the form {@code "<op>: <argument> <problem>;
 *       expected <x>, got <y>"}. On CPU PyTorch's kernel finds an out-of-range index; on other
 *       devices it is checked before the kernel runs, so a bad index never poisons a CUDA
 *       context (djl-gather-cuda makes that check configurable).
 *   <li>The overloads with a last {@link IndexMode} argument clip, drop or fill out-of-range
 *       index values instead of raising, without a host sync; {@link #gatherNd} reads
 *       coordinate tuples (TensorFlow's layout), each checked against its own axis.
 *   <li>Inside a {@link ai.djl.training.GradientCollector} the ops record gradients with
 *       respect to {@code input} and {@code src} as PyTorch defines them.
 *   <li>Ops that write several values to one position without reducing them ({@link #scatter},
 *       {@link #indexCopy}, {@link #put} without accumulation) keep one of them, unspecified
 *       which, as in PyTorch. Sums are deterministic on CPU; on CUDA see djl-gather-cuda.
 * </ul>
 *
 * <p>Example (jshell):
 *
 * <pre>
 * jshell&gt; var x = manager.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3));
 * jshell&gt; var i = manager.create(new long[] {2, 0, 1, 1}, new Shape(2, 2));
 * jshell&gt; GatherOps.gather(x, 1, i);
 * ND: (2, 2) cpu() float32
 * [[3., 1.],
 *  [5., 5.],
 * ]
 * </pre>
 */
public final class GatherOps {

    private GatherOps() {}

    // ---------------------------------------------------------------------------------------
    // Operations: per-element gather and scatter

    /**
     * Gathers values along an axis: for a 3-D input and {@code axis = 1},
     *
     * <pre>
     * out[i][j][k] = input[i][index[i][j][k]][k]
     * </pre>
     *
     * <p>Shapes: {@code index} has the input's rank and {@code index.size(d) <= input.size(d)}
     * for every {@code d != axis}; the result has the index's shape. Index values lie in
     * {@code [0, input.size(axis))}. Gradient: a scatter-add of the output gradient into the
     * input's positions.
     *
     * @param input the values, any dtype, e.g. [B,T,C]
     * @param axis the axis to gather along, may be negative
     * @param index int32 or int64 positions along {@code axis}, e.g. [B,T,1]
     * @return the gathered values, index's shape, input's dtype and device
     * @throws IllegalArgumentException if an argument is null, the ranks differ, index does not
     *     fit in input, index is not int32/int64, axis or an index value is out of range
     * @see <a href="https://pytorch.org/docs/stable/generated/torch.gather.html">torch.gather</a>
     */
    public static NDArray gather(NDArray input, int axis, NDArray index) {
        return ScatterGather.gather(null, input, axis, index);
    }

    /**
     * {@link #gather(NDArray, int, NDArray)} with the result attached to {@code manager}: for a
     * gather from a long-lived array (a parameter, a cached table) whose result belongs to a
     * request.
     *
     * @param manager the result's manager; {@code null}: the rule in the class doc
     * @param input the values, any dtype, e.g. [B,T,C]
     * @param axis the axis to gather along, may be negative
     * @param index int32 or int64 positions along {@code axis}, e.g. [B,T,1]
     * @return the gathered values, index's shape, input's dtype and device, attached to manager
     * @throws IllegalArgumentException as {@link #gather(NDArray, int, NDArray)}
     */
    public static NDArray gather(NDManager manager, NDArray input, int axis, NDArray index) {
        return ScatterGather.gather(manager, input, axis, index);
    }

    /**
     * Writes {@code src} into a copy of {@code input} at the positions {@code index} gives
     * along an axis (the reverse of {@link #gather}): for a 3-D input and {@code axis = 1},
     *
     * <pre>
     * out = copy of input;  out[i][index[i][j][k]][k] = src[i][j][k]
     * </pre>
     *
     * <p>Shapes: index, src and input have the same rank; {@code index.size(d) <= src.size(d)}
     * for all d and {@code index.size(d) <= input.size(d)} for {@code d != axis}; the result has
     * the input's shape. When two index entries name the same position, one of the values is
     * kept, unspecified which.
     *
     * @param input the array to copy and write into
     * @param axis the axis along which index points, may be negative
     * @param index int32 or int64 positions in {@code [0, input.size(axis))}
     * @param src the values to write, input's dtype
     * @return the written copy, input's shape, dtype and device
     * @throws IllegalArgumentException on a null argument, rank or shape mismatch, dtype
     *     mismatch, non-integer index, axis or index value out of range
     * @see <a href="https://pytorch.org/docs/stable/generated/torch.scatter.html">torch.scatter</a>
     */
    public static NDArray scatter(NDArray input, int axis, NDArray index, NDArray src) {
        return ScatterGather.scatter(input, axis, index, src);
    }

    /**
     * Writes one value into a copy of {@code input} at the positions {@code index} gives along
     * an axis: for axis 1, {@code out[i][index[i][j][k]][k] = value}.
     *
     * @param input the array to copy and write into
     * @param axis the axis along which index points, may be negative
     * @param index int32 or int64 positions in {@code [0, input.size(axis))}, input's rank,
     *     {@code index.size(d) <= input.size(d)} for {@code d != axis}
     * @param value the value; for integer inputs it must be integral and fit the dtype
     * @return the written copy, input's shape, dtype and device
     * @throws IllegalArgumentException as {@link #scatter(NDArray, int, NDArray, NDArray)}, or
     *     if value does not fit the input's dtype
     * @see <a href="https://pytorch.org/docs/stable/generated/torch.scatter.html">torch.scatter</a>
     */
    public static NDArray scatter(NDArray input, int axis, NDArray index, Number value) {
        return ScatterGather.scatter(input, axis, index, value);
    }

    /**
     * Adds {@code src} into a copy of {@code input} at the positions {@code index} gives along
     * an axis; duplicate positions accumulate. For axis 1:
     *
     * <pre>
     * out[i][index[i][j][k]][k] += src[i][j][k]
     * </pre>
     *
     * <p>Shapes as {@link #scatter(NDArray, int, NDArray, NDArray)}. Positions no index names
     * keep the input's value. Deterministic on CPU. Gradient: the output gradient flows to
     * input unchanged and to src as a gather of it.
     *
     * @param input the array to copy and add into
     * @param axis the axis along which index points, may be negative
     * @param index int32 or int64 positions in {@code [0, input.size(axis))}
     * @param src the values to add, input's dtype
     * @return the sums, input's shape, dtype and device
     * @throws IllegalArgumentException as {@link #scatter(NDArray, int, NDArray, NDArray)}
     * @see <a href="https://pytorch.org/docs/stable/generated/torch.scatter_add.html">torch.scatter_add</a>
     */
    public static NDArray scatterAdd(NDArray input, int axis, NDArray index, NDArray src) {
        return ScatterGather.scatterAdd(input, axis, index, src);
    }

    /**
     * Reduces {@code src} into a copy of {@code input} at the positions {@code index} gives
     * along an axis. For axis 1, every output position {@code p = out[i][x][k]} becomes
     *
     * <pre>
     * reduce({input[i][x][k] if includeSelf} ∪ {src[i][j][k] : index[i][j][k] == x})
     * </pre>
     *
     * <p>Positions that receive no src value keep the input's value. With {@link
     * Reduction#MEAN} and {@code includeSelf} the input's value counts as one element; integer
     * dtypes round the mean down. Shapes as {@link #scatter(NDArray, int, NDArray, NDArray)}.
     * Gradients as PyTorch's: AMAX/AMIN share the gradient evenly among tied maxima/minima, PROD
     * handles zeros exactly.
     *
     * @param input the array to copy and reduce into
     * @param axis the axis along which index points, may be negative
     * @param index int32 or int64 positions in {@code [0, input.size(axis))}
     * @param src the values to reduce, input's dtype
     * @param reduce any {@link Reduction}
     * @param includeSelf whether the input's value takes part in the reduction
     * @return the reductions, input's shape, dtype and device
     * @throws IllegalArgumentException as {@link #scatter(NDArray, int, NDArray, NDArray)}, or
     *     if reduce is null
     * @see <a href="https://pytorch.org/docs/stable/generated/torch.scatter_reduce.html">torch.scatter_reduce</a>
     */
    public static NDArray scatterReduce(
            NDArray input,
            int axis,
            NDArray index,
            NDArray src,
            Reduction reduce,
            boolean includeSelf) {
        return ScatterGather.scatterReduce(input, axis, index, src, reduce, includeSelf);
    }

    /**
     * Gathers along an axis with broadcasting (PyTorch's {@code take_along_dim}, NumPy's
     * {@code take_along_axis}): input and index have the same rank and every dimension but
     * {@code axis} broadcasts (equal sizes, or one of them 1). For axis 1:
     *
     * <pre>
     * out[i][j][k] = input[i'][index[i''][j][k'']][k']    (primes: broadcast positions)
     * </pre>
     *
     * <p>The result's shape is the broadcast shape with {@code index.size(axis)} at axis. A
     * broadcast index is read without being materialized.
     *
     * @param input the values, e.g. [B,T,C]
     * @param index int32 or int64 positions in {@code [0, input.size(axis))}, e.g. [B,1,K]
     * @param axis the axis to take along, may be negative
     * @return the taken values
     * @throws IllegalArgumentException on a null argument, rank mismatch, shapes that do not
     *     broadcast, non-integer index, axis or index value out of range
     * @see <a href="https://pytorch.org/docs/stable/generated/torch.take_along_dim.html">torch.take_along_dim</a>
     */
    public static NDArray takeAlongAxis(NDArray input, NDArray index, int axis) {
        return ScatterGather.takeAlongAxis(null, input, index, axis);
    }

    /**
     * {@link #takeAlongAxis(NDArray, NDArray, int)} with the result attached to {@code manager}.
     *
     * @param manager the result's manager; {@code null}: the rule in the class doc
     * @param input the values, e.g. [B,T,C]
     * @param index int32 or int64 positions in {@code [0, input.size(axis))}, e.g. [B,1,K]
     * @param axis the axis to take along, may be negative
     * @return the taken values, attached to manager
     * @throws IllegalArgumentException as {@link #takeAlongAxis(NDArray, NDArray, int)}
     */
    public static NDArray takeAlongAxis(
            NDManager manager, NDArray input, NDArray index, int axis) {
        return ScatterGather.takeAlongAxis(manager, input, index, axis);
    }

    // ---------------------------------------------------------------------------------------
    // Operations: whole slices along an axis

    /**
     * Selects whole slices along an axis: for a 3-D input and {@code axis = 1},
     *
     * <pre>
     * out[i][j][k] = input[i][index[j]][k]
     * </pre>
     *
     * <p>The result has the input's shape with {@code index.size()} at axis.
     *
     * @param input the values, any rank
     * @param axis the axis to select along, may be negative
     * @param index a 0-d or 1-D int32/int64 array of positions in {@code [0, input.size(axis))}
     * @return the selected slices
     * @throws IllegalArgumentException on a null argument, index of rank above 1, non-integer
     *     index, axis or index value out of range
     * @see <a href="https://pytorch.org/docs/stable/generated/torch.index_select.html">torch.index_select</a>
     */
    public static NDArray indexSelect(NDArray input, int axis, NDArray index) {
        return IndexOps.indexSelect(null, input, axis, index);
    }

    /**
     * {@link #indexSelect(NDArray, int, NDArray)} with the result attached to {@code manager}:
     * e.g. rows of an embedding table [V,E] for a request's word ids [N], {@code out[j][e] =
     * table[ids[j]][e]}, owned by the request.
     *
     * @param manager the result's manager; {@code null}: the rule in the class doc
     * @param input the values, any rank
     * @param axis the axis to select along, may be negative
     * @param index a 0-d or 1-D int32/int64 array of positions in {@code [0, input.size(axis))}
     * @return the selected slices, attached to manager
     * @throws IllegalArgumentException as {@link #indexSelect(NDArray, int, NDArray)}
     */
    public static NDArray indexSelect(NDManager manager, NDArray input, int axis, NDArray index) {
        return IndexOps.indexSelect(manager, input, axis, index);
    }

    /**
     * Adds slices of {@code src} into a copy of {@code input}; duplicate indices accumulate.
     * For axis 1: {@code out[i][index[j]][k] += src[i][j][k]}.
     *
     * @param input the array to copy and add into
     * @param axis the axis, may be negative
     * @param index a 1-D int32/int64 array of positions in {@code [0, input.size(axis))}
     * @param src input's dtype and shape, except {@code src.size(axis) == index.size()}
     * @return the sums, input's shape, dtype and device
     * @throws IllegalArgumentException on a null argument, non-vector or non-integer index,
     *     shape or dtype mismatch, axis or index value out of range
     * @see <a href="https://pytorch.org/docs/stable/generated/torch.index_add.html">torch.index_add</a>
     */
    public static NDArray indexAdd(NDArray input, int axis, NDArray index, NDArray src) {
        return IndexOps.indexAdd(input, axis, index, src, null);
    }

    /**
     * Adds {@code alpha} times slices of {@code src} into a copy of {@code input}:
     * {@code out[i][index[j]][k] += alpha * src[i][j][k]} for axis 1.
     *
     * @param input the array to copy and add into
     * @param axis the axis, may be negative
     * @param index a 1-D int32/int64 array of positions in {@code [0, input.size(axis))}
     * @param src input's dtype and shape, except {@code src.size(axis) == index.size()}
     * @param alpha the scale; integral for integer inputs
     * @return the sums, input's shape, dtype and device
     * @throws IllegalArgumentException as {@link #indexAdd(NDArray, int, NDArray, NDArray)}, or
     *     if alpha is null or does not fit the input's dtype
     * @see <a href="https://pytorch.org/docs/stable/generated/torch.index_add.html">torch.index_add</a>
     */
    public static NDArray indexAdd(
            NDArray input, int axis, NDArray index, NDArray src, Number alpha) {
        return IndexOps.indexAdd(input, axis, index, src, Checks.notNull("indexAdd", "alpha", alpha));
    }

    /**
     * Copies slices of {@code src} into a copy of {@code input}: {@code out[i][index[j]][k] =
     * src[i][j][k]} for axis 1. With duplicate indices one slice is kept, unspecified which.
     *
     * @param input the array to copy and write into
     * @param axis the axis, may be negative
     * @param index a 1-D int32/int64 array of positions in {@code [0, input.size(axis))}
     * @param src input's dtype and shape, except {@code src.size(axis) == index.size()}
     * @return the written copy, input's shape, dtype and device
     * @throws IllegalArgumentException as {@link #indexAdd(NDArray, int, NDArray, NDArray)}
     * @see <a href="https://pytorch.org/docs/stable/generated/torch.index_copy.html">torch.index_copy</a>
     */
    public static NDArray indexCopy(NDArray input, int axis, NDArray index, NDArray src) {
        return IndexOps.indexCopy(input, axis, index, src);
    }

    /**
     * Fills slices of a copy of {@code input} with a value: {@code out[i][index[j]][k] = value}
     * for axis 1. As in PyTorch, negative index values count from the end of the axis.
     *
     * @param input the array to copy and fill
     * @param axis the axis, may be negative
     * @param index a 0-d or 1-D int32/int64 array of positions in
     *     {@code [-input.size(axis), input.size(axis))}
     * @param value the value; integral and within range for integer inputs
     * @return the filled copy, input's shape, dtype and device
     * @throws IllegalArgumentException on a null argument, non-vector or non-integer index, a
     *     value the dtype cannot hold, axis or index value out of range
     * @see <a href="https://pytorch.org/docs/stable/generated/torch.index_fill.html">torch.index_fill</a>
     */
    public static NDArray indexFill(NDArray input, int axis, NDArray index, Number value) {
        return IndexOps.indexFill(input, axis, index, value);
    }

    /**
     * Reduces slices of {@code src} into a copy of {@code input}. For axis 1 every slice
     * position {@code out[i][x][k]} becomes
     *
     * <pre>
     * reduce({input[i][x][k] if includeSelf} ∪ {src[i][j][k] : index[j] == x})
     * </pre>
     *
     * <p>Slices no index names keep the input's value. Takes {@link Reduction#PROD}, {@link
     * Reduction#MEAN}, {@link Reduction#AMAX} and {@link Reduction#AMIN}, as PyTorch's
     * index_reduce does (for sums use {@link #indexAdd}).
     *
     * @param input the array to copy and reduce into
     * @param axis the axis, may be negative
     * @param index a 1-D int32/int64 array of positions in {@code [0, input.size(axis))}
     * @param src input's dtype and shape, except {@code src.size(axis) == index.size()}
     * @param reduce PROD, MEAN, AMAX or AMIN
     * @param includeSelf whether the input's value takes part in the reduction
     * @return the reductions, input's shape, dtype and device
     * @throws IllegalArgumentException as {@link #indexAdd(NDArray, int, NDArray, NDArray)}, or
     *     if reduce is null or SUM
     * @see <a href="https://pytorch.org/docs/stable/generated/torch.Tensor.index_reduce_.html">torch.Tensor.index_reduce_</a>
     */
    public static NDArray indexReduce(
            NDArray input,
            int axis,
            NDArray index,
            NDArray src,
            Reduction reduce,
            boolean includeSelf) {
        return IndexOps.indexReduce(input, axis, index, src, reduce, includeSelf);
    }

    // ---------------------------------------------------------------------------------------
    // Operations: the flattened input

    /**
     * Reads the input as if flattened (row-major): {@code out[j...] = flat(input)[index[j...]]}.
     * Negative values count from the end, as in PyTorch.
     *
     * @param input the values, any shape
     * @param index int32/int64 positions in {@code [-input.size(), input.size())}, any shape
     * @return the values, index's shape, input's dtype and device
     * @throws IllegalArgumentException on a null argument, non-integer index or a value out of
     *     range
     * @see <a href="https://pytorch.org/docs/stable/generated/torch.take.html">torch.take</a>
     */
    public static NDArray take(NDArray input, NDArray index) {
        return FlatOps.take(null, input, index);
    }

    /**
     * {@link #take(NDArray, NDArray)} with the result attached to {@code manager}, as DJL's
     * {@link NDArray#take(NDManager, NDArray)}.
     *
     * @param manager the result's manager; {@code null}: the rule in the class doc
     * @param input the values, any shape
     * @param index int32/int64 positions in {@code [-input.size(), input.size())}, any shape
     * @return the values, index's shape, input's dtype and device, attached to manager
     * @throws IllegalArgumentException as {@link #take(NDArray, NDArray)}
     */
    public static NDArray take(NDManager manager, NDArray input, NDArray index) {
        return FlatOps.take(manager, input, index);
    }

    /**
     * Writes {@code src} into a copy of {@code input} read as if flattened (row-major):
     * {@code flat(out)[index[j]] = src[j]}, or {@code +=} with {@code accumulate} (duplicates
     * then add up; without it one of them is kept, unspecified which). Negative values count from
     * the end.
     *
     * @param input the array to copy and write into
     * @param index int32/int64 positions in {@code [-input.size(), input.size())}, any shape
     * @param src the values, input's dtype, as many elements as index
     * @param accumulate add instead of overwrite
     * @return the written copy, input's shape, dtype and device
     * @throws IllegalArgumentException on a null argument, dtype or size mismatch, non-integer
     *     index or a value out of range
     * @see <a href="https://pytorch.org/docs/stable/generated/torch.Tensor.put_.html">torch.Tensor.put_</a>
     */
    public static NDArray put(NDArray input, NDArray index, NDArray src, boolean accumulate) {
        return FlatOps.put(input, index, src, accumulate);
    }

    // ---------------------------------------------------------------------------------------
    // Operations: out-of-range modes (see IndexMode)
    //
    // Each overload below is the op above with the same arguments and one more, the mode. ERROR
    // is the op unchanged. CLIP, DROP and FILL never raise for an index value, never read the
    // index back to the host, and give the same result on every device.

    /**
     * {@link #gather(NDArray, int, NDArray)} with an out-of-range mode: for a 3-D input and
     * {@code axis = 1}, with {@code v = index[i][j][k]} and {@code n = input.size(axis)},
     *
     * <pre>
     * ERROR:   out[i][j][k] = input[i][v][k], v in [0, n) or IllegalArgumentException
     * CLIP:    out[i][j][k] = input[i][clamp(v, 0, n-1)][k]
     * FILL(f): out[i][j][k] = 0 &lt;= v &lt; n ? input[i][v][k] : f
     * </pre>
     *
     * <p>Shapes, dtypes and device as {@link #gather(NDArray, int, NDArray)}. Negative values are
     * out of range, as in torch.gather. Gradient: CLIP as a gather at the clamped index; a filled
     * element gives input no gradient.
     *
     * @param input the values, any dtype, e.g. [B,T,C]
     * @param axis the axis to gather along, may be negative
     * @param index int32 or int64 positions along {@code axis}, any values, e.g. [B,T,1]
     * @param mode ERROR, CLIP or {@link IndexMode#fill(double)}
     * @return the gathered values, index's shape, input's dtype and device
     * @throws IllegalArgumentException as {@link #gather(NDArray, int, NDArray)} (an
     *     out-of-range value under ERROR only); if mode is null or DROP; under CLIP if
     *     {@code input.size(axis) == 0} and index is not empty; under FILL if the fill value does
     *     not fit an integer input's dtype
     * @see <a href="https://docs.jax.dev/en/latest/_autosummary/jax.numpy.ndarray.at.html">JAX's
     *     .at[] modes</a>
     */
    public static NDArray gather(NDArray input, int axis, NDArray index, IndexMode mode) {
        return ModeOps.gather(null, input, axis, index, mode);
    }

    /**
     * {@link #gather(NDArray, int, NDArray, IndexMode)} with the result attached to
     * {@code manager}.
     *
     * @param manager the result's manager; {@code null}: the rule in the class doc
     * @param input the values, any dtype
     * @param axis the axis to gather along, may be negative
     * @param index int32 or int64 positions along {@code axis}, any values
     * @param mode ERROR, CLIP or {@link IndexMode#fill(double)}
     * @return the gathered values, attached to manager
     * @throws IllegalArgumentException as {@link #gather(NDArray, int, NDArray, IndexMode)}
     */
    public static NDArray gather(
            NDManager manager, NDArray input, int axis, NDArray index, IndexMode mode) {
        return ModeOps.gather(manager, input, axis, index, mode);
    }

    /**
     * {@link #takeAlongAxis(NDArray, NDArray, int)} with an out-of-range mode: with
     * {@code v = index[i''][j][k'']} and {@code n = input.size(axis)}, for axis 1,
     *
     * <pre>
     * CLIP:    out[i][j][k] = input[i'][clamp(v, 0, n-1)][k']
     * FILL(f): out[i][j][k] = 0 &lt;= v &lt; n ? input[i'][v][k'] : f
     * </pre>
     *
     * <p>Shapes (broadcasting), dtypes and device as without a mode; ERROR is the op unchanged.
     * Gradient as {@link #gather(NDArray, int, NDArray, IndexMode)}.
     *
     * @param input the values, e.g. [B,T,C]
     * @param index int32 or int64 positions along axis, any values, e.g. [B,1,K]
     * @param axis the axis to take along, may be negative
     * @param mode ERROR, CLIP or {@link IndexMode#fill(double)}
     * @return the taken values
     * @throws IllegalArgumentException as {@link #takeAlongAxis(NDArray, NDArray, int)} (an
     *     out-of-range value under ERROR only), or as {@link #gather(NDArray, int, NDArray,
     *     IndexMode)} for the mode
     */
    public static NDArray takeAlongAxis(NDArray input, NDArray index, int axis, IndexMode mode) {
        return ModeOps.takeAlongAxis(null, input, index, axis, mode);
    }

    /**
     * {@link #takeAlongAxis(NDArray, NDArray, int, IndexMode)} with the result attached to
     * {@code manager}.
     *
     * @param manager the result's manager; {@code null}: the rule in the class doc
     * @param input the values
     * @param index int32 or int64 positions along axis, any values
     * @param axis the axis to take along, may be negative
     * @param mode ERROR, CLIP or {@link IndexMode#fill(double)}
     * @return the taken values, attached to manager
     * @throws IllegalArgumentException as {@link #takeAlongAxis(NDArray, NDArray, int,
     *     IndexMode)}
     */
    public static NDArray takeAlongAxis(
            NDManager manager, NDArray input, NDArray index, int axis, IndexMode mode) {
        return ModeOps.takeAlongAxis(manager, input, index, axis, mode);
    }

    /**
     * {@link #indexSelect(NDArray, int, NDArray)} with an out-of-range mode: for axis 1, with
     * {@code v = index[j]} and {@code n = input.size(axis)},
     *
     * <pre>
     * CLIP:    out[i][j][k] = input[i][clamp(v, 0, n-1)][k]
     * FILL(f): out[i][j][k] = 0 &lt;= v &lt; n ? input[i][v][k] : f      (a whole slice of f)
     * </pre>
     *
     * <p>Negative values are out of range, as in torch.index_select. Shapes, dtypes and device as
     * without a mode; ERROR is the op unchanged.
     *
     * @param input the values, any rank, e.g. an embedding table [V,E]
     * @param axis the axis to select along, may be negative
     * @param index a 0-d or 1-D int32/int64 array, any values
     * @param mode ERROR, CLIP or {@link IndexMode#fill(double)}
     * @return the selected slices
     * @throws IllegalArgumentException as {@link #indexSelect(NDArray, int, NDArray)} (an
     *     out-of-range value under ERROR only), or as {@link #gather(NDArray, int, NDArray,
     *     IndexMode)} for the mode
     */
    public static NDArray indexSelect(NDArray input, int axis, NDArray index, IndexMode mode) {
        return ModeOps.indexSelect(null, input, axis, index, mode);
    }

    /**
     * {@link #indexSelect(NDArray, int, NDArray, IndexMode)} with the result attached to
     * {@code manager}: e.g. rows of an embedding table for a request's word ids, unknown ids
     * reading a row of zeros ({@code IndexMode.fill(0)}), owned by the request.
     *
     * @param manager the result's manager; {@code null}: the rule in the class doc
     * @param input the values, any rank
     * @param axis the axis to select along, may be negative
     * @param index a 0-d or 1-D int32/int64 array, any values
     * @param mode ERROR, CLIP or {@link IndexMode#fill(double)}
     * @return the selected slices, attached to manager
     * @throws IllegalArgumentException as {@link #indexSelect(NDArray, int, NDArray, IndexMode)}
     */
    public static NDArray indexSelect(
            NDManager manager, NDArray input, int axis, NDArray index, IndexMode mode) {
        return ModeOps.indexSelect(manager, input, axis, index, mode);
    }

    /**
     * {@link #take(NDArray, NDArray)} with an out-of-range mode: with {@code N = input.size()},
     * a value {@code v} in {@code [-N, 0)} first counts from the end ({@code w = v + N}, as in
     * torch.take; otherwise {@code w = v}), then
     *
     * <pre>
     * CLIP:    out[j] = flat(input)[clamp(w, 0, N-1)]
     * FILL(f): out[j] = 0 &lt;= w &lt; N ? flat(input)[w] : f
     * </pre>
     *
     * @param input the values, any shape
     * @param index int32/int64 positions, any shape and values
     * @param mode ERROR, CLIP or {@link IndexMode#fill(double)}
     * @return the values, index's shape, input's dtype and device
     * @throws IllegalArgumentException as {@link #take(NDArray, NDArray)} (an out-of-range value
     *     under ERROR only), or as {@link #gather(NDArray, int, NDArray, IndexMode)} for the mode
     */
    public static NDArray take(NDArray input, NDArray index, IndexMode mode) {
        return ModeOps.take(null, input, index, mode);
    }

    /**
     * {@link #take(NDArray, NDArray, IndexMode)} with the result attached to {@code manager}.
     *
     * @param manager the result's manager; {@code null}: the rule in the class doc
     * @param input the values, any shape
     * @param index int32/int64 positions, any shape and values
     * @param mode ERROR, CLIP or {@link IndexMode#fill(double)}
     * @return the values, attached to manager
     * @throws IllegalArgumentException as {@link #take(NDArray, NDArray, IndexMode)}
     */
    public static NDArray take(NDManager manager, NDArray input, NDArray index, IndexMode mode) {
        return ModeOps.take(manager, input, index, mode);
    }

    /**
     * {@link #scatter(NDArray, int, NDArray, NDArray)} with an out-of-range mode: for axis 1,
     * with {@code v = index[i][j][k]} and {@code n = input.size(axis)},
     *
     * <pre>
     * CLIP: out[i][clamp(v, 0, n-1)][k] = src[i][j][k]
     * DROP: out[i][v][k] = src[i][j][k] for 0 &lt;= v &lt; n; other updates are skipped
     * </pre>
     *
     * <p>Negative values are out of range. Shapes, dtypes and device as without a mode; ERROR is
     * the op unchanged. Several values for one position (clipping can make more of them): one is
     * kept, unspecified which. Gradient: a dropped src element gets none.
     *
     * @param input the array to copy and write into
     * @param axis the axis along which index points, may be negative
     * @param index int32 or int64 positions, any values
     * @param src the values to write, input's dtype
     * @param mode ERROR, CLIP or DROP
     * @return the written copy, input's shape, dtype and device
     * @throws IllegalArgumentException as {@link #scatter(NDArray, int, NDArray, NDArray)} (an
     *     out-of-range value under ERROR only); if mode is null or a FILL mode; under CLIP if
     *     {@code input.size(axis) == 0} and index is not empty
     */
    public static NDArray scatter(
            NDArray input, int axis, NDArray index, NDArray src, IndexMode mode) {
        return ModeOps.scatter(input, axis, index, src, mode);
    }

    /**
     * {@link #scatter(NDArray, int, NDArray, Number)} with an out-of-range mode, as {@link
     * #scatter(NDArray, int, NDArray, NDArray, IndexMode)}: CLIP writes the value at the clamped
     * position, DROP skips the out-of-range positions.
     *
     * @param input the array to copy and write into
     * @param axis the axis along which index points, may be negative
     * @param index int32 or int64 positions, any values
     * @param value the value; for integer inputs it must be integral and fit the dtype
     * @param mode ERROR, CLIP or DROP
     * @return the written copy, input's shape, dtype and device
     * @throws IllegalArgumentException as {@link #scatter(NDArray, int, NDArray, NDArray,
     *     IndexMode)}, or if value does not fit the input's dtype
     */
    public static NDArray scatter(
            NDArray input, int axis, NDArray index, Number value, IndexMode mode) {
        return ModeOps.scatter(input, axis, index, value, mode);
    }

    /**
     * {@link #scatterAdd(NDArray, int, NDArray, NDArray)} with an out-of-range mode: for axis 1,
     * with {@code v = index[i][j][k]} and {@code n = input.size(axis)},
     *
     * <pre>
     * CLIP: out[i][clamp(v, 0, n-1)][k] += src[i][j][k]
     * DROP: out[i][v][k] += src[i][j][k] for 0 &lt;= v &lt; n; other updates are skipped
     * </pre>
     *
     * <p>Shapes, dtypes, device and determinism as without a mode; ERROR is the op unchanged.
     * Gradient: to input unchanged, to src a gather of the output gradient at the (clamped)
     * position; a dropped src element gets none.
     *
     * @param input the array to copy and add into
     * @param axis the axis along which index points, may be negative
     * @param index int32 or int64 positions, any values
     * @param src the values to add, input's dtype
     * @param mode ERROR, CLIP or DROP
     * @return the sums, input's shape, dtype and device
     * @throws IllegalArgumentException as {@link #scatter(NDArray, int, NDArray, NDArray,
     *     IndexMode)}
     */
    public static NDArray scatterAdd(
            NDArray input, int axis, NDArray index, NDArray src, IndexMode mode) {
        return ModeOps.scatterAdd(input, axis, index, src, mode);
    }

    /**
     * {@link #scatterReduce(NDArray, int, NDArray, NDArray, Reduction, boolean)} with an
     * out-of-range mode: CLIP reduces each src value into the clamped position; DROP leaves out
     * the src values whose index is out of range (a position that then receives none keeps the
     * input's value, and MEAN counts only the values it received).
     *
     * @param input the array to copy and reduce into
     * @param axis the axis along which index points, may be negative
     * @param index int32 or int64 positions, any values
     * @param src the values to reduce, input's dtype
     * @param reduce any {@link Reduction}
     * @param includeSelf whether the input's value takes part in the reduction
     * @param mode ERROR, CLIP or DROP
     * @return the reductions, input's shape, dtype and device
     * @throws IllegalArgumentException as {@link #scatter(NDArray, int, NDArray, NDArray,
     *     IndexMode)}, or if reduce is null
     */
    public static NDArray scatterReduce(NDArray input, int axis, NDArray index, NDArray src,
            Reduction reduce, boolean includeSelf, IndexMode mode) {
        return ModeOps.scatterReduce(input, axis, index, src, reduce, includeSelf, mode);
    }

    /**
     * {@link #indexAdd(NDArray, int, NDArray, NDArray)} with an out-of-range mode: for axis 1,
     * with {@code v = index[j]} and {@code n = input.size(axis)},
     *
     * <pre>
     * CLIP: out[i][clamp(v, 0, n-1)][k] += src[i][j][k]
     * DROP: out[i][v][k] += src[i][j][k] for 0 &lt;= v &lt; n; other slices are skipped
     * </pre>
     *
     * @param input the array to copy and add into
     * @param axis the axis, may be negative
     * @param index a 1-D int32/int64 array, any values
     * @param src input's dtype and shape, except {@code src.size(axis) == index.size()}
     * @param mode ERROR, CLIP or DROP
     * @return the sums, input's shape, dtype and device
     * @throws IllegalArgumentException as {@link #indexAdd(NDArray, int, NDArray, NDArray)} (an
     *     out-of-range value under ERROR only), or as {@link #scatter(NDArray, int, NDArray,
     *     NDArray, IndexMode)} for the mode
     */
    public static NDArray indexAdd(
            NDArray input, int axis, NDArray index, NDArray src, IndexMode mode) {
        return ModeOps.indexAdd(input, axis, index, src, null, mode);
    }

    /**
     * {@link #indexAdd(NDArray, int, NDArray, NDArray, Number)} with an out-of-range mode, as
     * {@link #indexAdd(NDArray, int, NDArray, NDArray, IndexMode)} with {@code alpha * src}.
     *
     * @param input the array to copy and add into
     * @param axis the axis, may be negative
     * @param index a 1-D int32/int64 array, any values
     * @param src input's dtype and shape, except {@code src.size(axis) == index.size()}
     * @param alpha the scale; integral for integer inputs
     * @param mode ERROR, CLIP or DROP
     * @return the sums, input's shape, dtype and device
     * @throws IllegalArgumentException as {@link #indexAdd(NDArray, int, NDArray, NDArray,
     *     IndexMode)}, or if alpha is null or does not fit the input's dtype
     */
    public static NDArray indexAdd(
            NDArray input, int axis, NDArray index, NDArray src, Number alpha, IndexMode mode) {
        return ModeOps.indexAdd(
                input, axis, index, src, Checks.notNull("indexAdd", "alpha", alpha), mode);
    }

    /**
     * {@link #indexCopy(NDArray, int, NDArray, NDArray)} with an out-of-range mode: CLIP copies
     * slice j to position {@code clamp(index[j], 0, n-1)}; DROP skips the slices whose index is
     * out of range. With several slices for one position one is kept, unspecified which.
     *
     * @param input the array to copy and write into
     * @param axis the axis, may be negative
     * @param index a 1-D int32/int64 array, any values
     * @param src input's dtype and shape, except {@code src.size(axis) == index.size()}
     * @param mode ERROR, CLIP or DROP
     * @return the written copy, input's shape, dtype and device
     * @throws IllegalArgumentException as {@link #indexAdd(NDArray, int, NDArray, NDArray,
     *     IndexMode)}
     */
    public static NDArray indexCopy(
            NDArray input, int axis, NDArray index, NDArray src, IndexMode mode) {
        return ModeOps.indexCopy(input, axis, index, src, mode);
    }

    /**
     * {@link #put(NDArray, NDArray, NDArray, boolean)} with an out-of-range mode: with
     * {@code N = input.size()}, a value {@code v} in {@code [-N, 0)} first counts from the end
     * ({@code w = v + N}, as in torch.put; otherwise {@code w = v}), then
     *
     * <pre>
     * CLIP: flat(out)[clamp(w, 0, N-1)] = src[j]   (+= with accumulate)
     * DROP: flat(out)[w] = src[j] for 0 &lt;= w &lt; N; other updates are skipped
     * </pre>
     *
     * @param input the array to copy and write into
     * @param index int32/int64 positions, any shape and values
     * @param src the values, input's dtype, as many elements as index
     * @param accumulate add instead of overwrite
     * @param mode ERROR, CLIP or DROP
     * @return the written copy, input's shape, dtype and device
     * @throws IllegalArgumentException as {@link #put(NDArray, NDArray, NDArray, boolean)} (an
     *     out-of-range value under ERROR only), or as {@link #scatter(NDArray, int, NDArray,
     *     NDArray, IndexMode)} for the mode
     */
    public static NDArray put(
            NDArray input, NDArray index, NDArray src, boolean accumulate, IndexMode mode) {
        return ModeOps.put(input, index, src, accumulate, mode);
    }

    // ---------------------------------------------------------------------------------------
    // Operations: coordinates (TensorFlow's gather_nd)

    /**
     * Gathers the elements or slices of {@code input} named by coordinate tuples in the last
     * axis of {@code coords} (TensorFlow's {@code gather_nd} with {@code batch_dims = 0}): with
     * {@code K = coords.size(-1)},
     *
     * <pre>
     * out[m...][r...] = input[coords[m...][0]]...[coords[m...][K-1]][r...]
     * </pre>
     *
     * <p>Shapes: {@code K <= input rank}; the result is {@code coords.shape[:-1] +
     * input.shape[K:]}. Each coordinate is checked against its own axis: {@code coords[m...][j]}
     * must lie in {@code [0, input.size(j))} (no negative values, as in TensorFlow). DJL's
     * {@link NDArray#gatherNd} instead folds the coordinates into one row-major position without
     * checking them, so an out-of-range coordinate can read another, valid element. The check
     * costs one host sync. Gradient: an index-add of the output gradient into input's positions.
     *
     * @param input the values, any dtype, e.g. [H,W,C]
     * @param coords int32 or int64 coordinate tuples, e.g. [N,2] of (y, x)
     * @return the gathered elements or slices, e.g. [N,C], input's dtype and device
     * @throws IllegalArgumentException if an argument is null, coords is 0-d or not int32/int64,
     *     K exceeds input's rank, or a coordinate is out of range: the message names the first
     *     such coordinate (in row-major order), its position in coords, the axis and its size
     * @see <a href="https://www.tensorflow.org/api_docs/python/tf/gather_nd">tf.gather_nd</a>
     */
    public static NDArray gatherNd(NDArray input, NDArray coords) {
        return ModeOps.gatherNd(input, coords, 0, IndexMode.ERROR);
    }

    /**
     * {@link #gatherNd(NDArray, NDArray)} with leading batch axes (TensorFlow's
     * {@code batch_dims}): the first {@code batchDims} axes of input and coords are equal and
     * paired, and with {@code b...} those axes,
     *
     * <pre>
     * out[b...][m...][r...] = input[b...][coords[b...][m...][0]]...[coords[b...][m...][K-1]][r...]
     * </pre>
     *
     * <p>Shapes: {@code batchDims + K <= input rank}; the result is {@code coords.shape[:-1] +
     * input.shape[batchDims + K:]}. Coordinate j lies in {@code [0, input.size(batchDims + j))}.
     *
     * @param input the values, any dtype, e.g. [B,H,W,C]
     * @param coords int32 or int64 coordinate tuples, e.g. [B,N,2]
     * @param batchDims the number of leading batch axes, in {@code [0, coords rank)}
     * @return the gathered elements or slices, e.g. [B,N,C], input's dtype and device
     * @throws IllegalArgumentException as {@link #gatherNd(NDArray, NDArray)}, or if batchDims is
     *     out of range or a batch axis differs between input and coords
     * @see <a href="https://www.tensorflow.org/api_docs/python/tf/gather_nd">tf.gather_nd</a>
     */
    public static NDArray gatherNd(NDArray input, NDArray coords, int batchDims) {
        return ModeOps.gatherNd(input, coords, batchDims, IndexMode.ERROR);
    }

    /**
     * {@link #gatherNd(NDArray, NDArray, int)} with an out-of-range mode, applied to each
     * coordinate against its own axis:
     *
     * <pre>
     * CLIP:    coordinate j read as clamp(c_j, 0, input.size(batchDims + j) - 1)
     * FILL(f): an output element whose tuple has any coordinate out of range is f
     * </pre>
     *
     * <p>No host sync under CLIP and FILL. Gradient: CLIP as a read at the clamped coordinates; a
     * filled element gives input no gradient.
     *
     * @param input the values, any dtype
     * @param coords int32 or int64 coordinate tuples, any values
     * @param batchDims the number of leading batch axes, in {@code [0, coords rank)}
     * @param mode ERROR, CLIP or {@link IndexMode#fill(double)}
     * @return the gathered elements or slices, input's dtype and device
     * @throws IllegalArgumentException as {@link #gatherNd(NDArray, NDArray, int)} (an
     *     out-of-range coordinate under ERROR only); if mode is null or DROP; under CLIP if an
     *     indexed axis has size 0 and coords holds a tuple; under FILL if the fill value does not
     *     fit an integer input's dtype
     * @see <a href="https://www.tensorflow.org/api_docs/python/tf/gather_nd">tf.gather_nd</a>
     */
    public static NDArray gatherNd(NDArray input, NDArray coords, int batchDims, IndexMode mode) {
        return ModeOps.gatherNd(input, coords, batchDims, mode);
    }

    // ---------------------------------------------------------------------------------------
    // Resources

    /**
     * Frees the op libraries (one compiled TorchScript module per device, loaded on first use).
     * Optional: a long-lived service never needs to call it; the next op loads them again.
     *
     * <p>Safe to call at any time from any thread, also while other threads run ops: it does not
     * wait for them. Ops already running finish on the library they started with, which is freed
     * when the last of them returns (at once when none is running); ops that start after this
     * method returns run on a freshly loaded library. No op fails or gives a different result
     * because of a release.
     */
    public static void releaseOpLibraries() {
        OpLibrary.releaseAll();
    }
}
