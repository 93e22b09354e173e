package io.djlgather.ext;

import ai.djl.ndarray.NDArray;

/**
 * Grouped reductions: reduce the elements of {@code src} that share a group id into one output
 * slot per group, and the inverses, with pytorch_scatter's semantics and defaults (its
 * {@code scatter}, {@code scatter_max}, {@code scatter_softmax}, {@code segment_csr}, ...).
 * The building blocks of graph pooling, attention over variable-length sets and pointer
 * networks.
 *
 * <p>Two ways to name the groups:
 *
 * <ul>
 *   <li><b>an index</b> (the {@code scatter*} ops): element {@code j} along {@code axis} belongs
 *       to group {@code index[j]}, in any order. The index broadcasts as pytorch_scatter's does:
 *       a 1-D index of {@code src.size(axis)} entries applies along {@code axis} to every other
 *       position; an index of lower rank gains trailing axes; then every size-1 axis expands to
 *       src's size (a view, never copied). For 2-D src {@code [N, F]} and axis 0, an index
 *       {@code [N]} groups whole rows.
 *   <li><b>contiguous runs</b> (the {@code segment*} and {@code gather*} ops): a CSR
 *       {@code indptr} whose segment {@code s} is {@code [indptr[s], indptr[s+1])}, or a sorted
 *       COO index. They reduce along {@code axis = indptr.dim() - 1} (resp. {@code
 *       sortedIndex.dim() - 1}); the leading sizes equal src's (or are 1 and broadcast).
 * </ul>
 *
 * <p>Rules shared by all ops:
 *
 * <ul>
 *   <li>{@code src} has rank 1 or more and dtype float16, float32 or float64, or for the
 *       reductions without exponentials also int32 or int64; the result has src's dtype and
 *       device. Index, indptr and sortedIndex hold int32 or int64 (any other dtype is rejected,
 *       never cast) and are moved to src's device.
 *   <li>{@code dimSize}: the number of groups; {@code dimSize < 0} means {@code max(index) + 1}
 *       (0 for an empty index), which costs one host sync.
 *   <li>An empty group (no element) holds 0, 1 for {@link Reduction#PROD}, {@code -inf} for
 *       {@link #scatterLogSumExp}; its arg is {@code src.size(axis)}.
 *   <li>Bad arguments (null, wrong rank or shape, an index value that is negative or not below
 *       dimSize, an indptr that decreases or points outside src, an unsorted sortedIndex, a
 *       dtype the op does not take, axis out of range) throw an {@link
 *       IllegalArgumentException} of the form {@code "<op>: <argument> <problem>; expected <x>,
 *       got <y>"}. Inputs are never modified.
 *   <li>Inside a {@link ai.djl.training.GradientCollector} every floating-point result records
 *       gradients with respect to {@code src}, as PyTorch's autograd gives them through the
 *       composition each op's doc names.
 *   <li>Results attach to the youngest of the argument managers (the rule of {@link
 *       GatherOps}' class doc).
 *   <li>Determinism: on CPU every op gives the same bits on every run and intra-op thread
 *       count (tested with 1 and 2 threads). The segment ops run {@code torch.segment_reduce},
 *       which reduces each segment without atomic adds on every device; on other devices the
 *       scatter sums (SUM, MEAN, the softmax family's sums) use djl-gather's deterministic
 *       sort-based sums, while PROD scatters there use PyTorch's atomic kernels. Only the CPU is
 *       tested here.
 * </ul>
 *
 * <p>Example (jshell):
 *
 * <pre>
 * jshell&gt; var src = manager.create(new float[] {1, 5, 2, 4});
 * jshell&gt; var group = manager.create(new long[] {0, 1, 0, 1});
 * jshell&gt; GroupOps.scatter(src, group, 0, 3, Reduction.SUM);
 * ND: (3) cpu() float32
 * [3., 9., 0.]
 * jshell&gt; GroupOps.scatterMax(src, group, 0, -1).arg();
 * ND: (2) cpu() int64
 * [2, 1]
 * </pre>
 *
 * @see <a href="https://pytorch-scatter.readthedocs.io/">pytorch_scatter</a>
 */
public final class GroupOps {

    private GroupOps() {}

    /**
     * Values and their positions: the result of {@link #scatterMax} and {@link #scatterMin}.
     * Closing it closes both arrays.
     *
     * @param values the group extremes, src's dtype, shape src.shape with dimSize at axis; 0 for
     *     an empty group
     * @param arg int64 positions along axis in src of the extremes (ties: the lowest position);
     *     src.size(axis) for an empty group
     */
    public record ArgReduced(NDArray values, NDArray arg) implements AutoCloseable {
        @Override
        public void close() {
            values.close();
            arg.close();
        }
    }

    // ---------------------------------------------------------------------------------------
    // Operations: reductions over groups named by an index

    /**
     * Reduces the elements of each group into a new array of {@code dimSize} groups along
     * {@code axis}. For a 3-D src and {@code axis = 1}:
     *
     * <pre>
     * out[i][g][k] = reduce({src[i][j][k] : index[i][j][k] == g})     (index broadcast to src)
     * </pre>
     *
     * <p>Shapes: src {@code [..., N, ...]}, index broadcasting to it (see the class doc), out
     * {@code [..., dimSize, ...]}. SUM, MEAN (integer dtypes round down), PROD, AMAX, AMIN; an
     * empty group holds 0 (PROD: 1). Gradient: as {@code torch.zeros(shape).scatter_add} for SUM
     * (divided by the count for MEAN), {@code torch.scatter_reduce(..., include_self=True)} on
     * ones for PROD, and {@code torch.scatter_reduce(..., include_self=False)} on zeros for
     * AMAX/AMIN (tied extremes share the gradient evenly).
     *
     * @param src the values, e.g. node features [N, F]
     * @param index int32/int64 group ids in {@code [0, dimSize)}, e.g. [N]
     * @param axis the axis of src the index runs along, may be negative
     * @param dimSize the number of groups; negative: {@code max(index) + 1}
     * @param reduce the reduction
     * @return the reductions, src's dtype and device, e.g. [dimSize, F]
     * @throws IllegalArgumentException on a null argument, a dtype src or index may not have,
     *     an index that does not broadcast to src, an index value negative or not below dimSize,
     *     axis out of range
     * @see <a href="https://pytorch-scatter.readthedocs.io/en/latest/functions/scatter.html">torch_scatter.scatter</a>
     */
    public static NDArray scatter(
            NDArray src, NDArray index, int axis, long dimSize, Reduction reduce) {
        return Groups.scatter(src, index, axis, dimSize, reduce);
    }

    /**
     * The maximum of each group and where it is: {@code values()} as {@link #scatter} with
     * AMAX; {@code arg()} the lowest position {@code j} along axis with {@code src[j] ==
     * values[g]} (a NaN matches a NaN maximum), {@code src.size(axis)} for an empty group.
     * Gradient: {@code values = gather(src, axis, arg)}, so it flows to the element at arg only,
     * as pytorch_scatter's.
     *
     * @param src the values, e.g. [N, F]
     * @param index int32/int64 group ids in {@code [0, dimSize)}, broadcasting to src
     * @param axis the axis of src the index runs along, may be negative
     * @param dimSize the number of groups; negative: {@code max(index) + 1}
     * @return values (src's dtype) and arg (int64), both of shape src.shape with dimSize at axis
     * @throws IllegalArgumentException as {@link #scatter}
     * @see <a href="https://pytorch-scatter.readthedocs.io/en/latest/functions/scatter.html">torch_scatter.scatter_max</a>
     */
    public static ArgReduced scatterMax(NDArray src, NDArray index, int axis, long dimSize) {
        return Groups.scatterArg("scatterMax", src, index, axis, dimSize, "amax");
    }

    /**
     * The minimum of each group and where it is; as {@link #scatterMax} with min for max.
     *
     * @param src the values, e.g. [N, F]
     * @param index int32/int64 group ids in {@code [0, dimSize)}, broadcasting to src
     * @param axis the axis of src the index runs along, may be negative
     * @param dimSize the number of groups; negative: {@code max(index) + 1}
     * @return values (src's dtype) and arg (int64), both of shape src.shape with dimSize at axis
     * @throws IllegalArgumentException as {@link #scatter}
     */
    public static ArgReduced scatterMin(NDArray src, NDArray index, int axis, long dimSize) {
        return Groups.scatterArg("scatterMin", src, index, axis, dimSize, "amin");
    }

    /**
     * The softmax within each group, for every element of src:
     *
     * <pre>
     * m = max over the group of src;   out[j] = exp(src[j] - m) / sum over the group of exp(src[k] - m)
     * </pre>
     *
     * <p>Stable: the shift keeps every exponential in [0, 1], so large finite values do not
     * overflow. A {@code -inf} element gets 0. In a group holding {@code +inf}, its {@code +inf}
     * elements share the weight (1/k each) and the others get 0 (the limit). A group whose
     * elements are all {@code -inf}, or that holds a NaN, gives NaN, as {@code torch.softmax}.
     * Gradient: that of the formula, the shift detached (it cancels).
     *
     * @param src float16/32/64 scores, e.g. attention logits [E, H]
     * @param index int32/int64 non-negative group ids broadcasting to src, e.g. target nodes [E]
     * @param axis the axis of src the index runs along, may be negative
     * @return the weights, src's shape, dtype and device
     * @throws IllegalArgumentException as {@link #scatter}, or if src is not floating-point
     * @see <a href="https://pytorch-scatter.readthedocs.io/en/latest/functions/composite.html">torch_scatter.composite.scatter_softmax</a>
     */
    public static NDArray scatterSoftmax(NDArray src, NDArray index, int axis) {
        return Groups.softmax("scatterSoftmax", "group_softmax", src, index, axis);
    }

    /**
     * The log-softmax within each group: {@code out[j] = (src[j] - m) - log(sum over the group
     * of exp(src[k] - m))}, m the group's maximum; infinities as {@link #scatterSoftmax} ({@code
     * -inf} where the softmax is 0).
     *
     * @param src float16/32/64 scores
     * @param index int32/int64 non-negative group ids broadcasting to src
     * @param axis the axis of src the index runs along, may be negative
     * @return the log-weights, src's shape, dtype and device
     * @throws IllegalArgumentException as {@link #scatterSoftmax}
     * @see <a href="https://pytorch-scatter.readthedocs.io/en/latest/functions/composite.html">torch_scatter.composite.scatter_log_softmax</a>
     */
    public static NDArray scatterLogSoftmax(NDArray src, NDArray index, int axis) {
        return Groups.softmax("scatterLogSoftmax", "group_log_softmax", src, index, axis);
    }

    /**
     * The log-sum-exp of each group: {@code out[g] = m + log(sum over group g of exp(src[k] -
     * m))}, m the group's maximum. An empty group, or one of only {@code -inf}, gives {@code
     * -inf}; a group holding {@code +inf} gives {@code +inf}; one holding NaN gives NaN.
     * Gradient: the group softmax of src.
     *
     * @param src float16/32/64 values, e.g. [N, F]
     * @param index int32/int64 group ids in {@code [0, dimSize)}, broadcasting to src
     * @param axis the axis of src the index runs along, may be negative
     * @param dimSize the number of groups; negative: {@code max(index) + 1}
     * @return the log-sum-exps, src.shape with dimSize at axis, src's dtype and device
     * @throws IllegalArgumentException as {@link #scatterSoftmax}
     * @see <a href="https://pytorch-scatter.readthedocs.io/en/latest/functions/scatter.html">torch_scatter.scatter_logsumexp</a>
     */
    public static NDArray scatterLogSumExp(NDArray src, NDArray index, int axis, long dimSize) {
        return Groups.logSumExp(src, index, axis, dimSize);
    }

    // ---------------------------------------------------------------------------------------
    // Operations: contiguous segments

    /**
     * Reduces contiguous segments given by CSR offsets, along {@code axis = indptr.dim() - 1}.
     * For a 2-D indptr (axis 1) and 3-D src:
     *
     * <pre>
     * out[i][s][k] = reduce(src[i][indptr[i][s] : indptr[i][s+1]][k])
     * </pre>
     *
     * <p>Shapes: indptr {@code [S + 1]} (axis 0) or {@code src.shape[:axis] + [S + 1]} (leading
     * sizes may be 1), offsets non-decreasing in {@code [0, src.size(axis)]}; elements outside
     * {@code [indptr[0], indptr[S])} are not reduced. out: src.shape with S at axis. An empty
     * segment holds 0 (PROD: 1). Deterministic on every device: floating-point inputs run
     * {@code torch.segment_reduce}, which reduces each segment in one serial loop; equal to
     * {@link #scatter} with the segments' ids. Gradient: {@code torch.segment_reduce}'s (tied
     * extremes share evenly). One host sync checks indptr.
     *
     * @param src the values, e.g. [N, F]
     * @param indptr int32/int64 offsets, e.g. [S + 1]
     * @param reduce the reduction
     * @return the reductions, src's dtype and device, e.g. [S, F]
     * @throws IllegalArgumentException on a null argument, a dtype src or indptr may not have,
     *     an indptr of the wrong shape, decreasing or outside {@code [0, src.size(axis)]}
     * @see <a href="https://pytorch-scatter.readthedocs.io/en/latest/functions/segment_csr.html">torch_scatter.segment_csr</a>
     */
    public static NDArray segmentCsr(NDArray src, NDArray indptr, Reduction reduce) {
        return Groups.segmentCsr(src, indptr, reduce);
    }

    /**
     * Reduces the runs of equal values of a sorted index along {@code axis =
     * sortedIndex.dim() - 1}: the same result as {@link #scatter} with that index, computed as
     * {@link #segmentCsr} is (deterministic on every device).
     *
     * <pre>
     * out[i][g][k] = reduce({src[i][j][k] : sortedIndex[i][j] == g})
     * </pre>
     *
     * <p>Shapes: sortedIndex {@code src.shape[:axis + 1]} (leading sizes may be 1), values
     * non-decreasing along its last axis in {@code [0, dimSize)}; out: src.shape with dimSize at
     * axis. One host sync checks the index.
     *
     * @param src the values, e.g. [N, F]
     * @param sortedIndex int32/int64 group ids, sorted, e.g. [N]
     * @param dimSize the number of groups; negative: {@code max(sortedIndex) + 1}
     * @param reduce the reduction
     * @return the reductions, src's dtype and device, e.g. [dimSize, F]
     * @throws IllegalArgumentException as {@link #scatter}, or if sortedIndex is not sorted
     * @see <a href="https://pytorch-scatter.readthedocs.io/en/latest/functions/segment_coo.html">torch_scatter.segment_coo</a>
     */
    public static NDArray segmentCoo(
            NDArray src, NDArray sortedIndex, long dimSize, Reduction reduce) {
        return Groups.segmentCoo(src, sortedIndex, dimSize, reduce);
    }

    /**
     * The inverse of {@link #segmentCsr}: every position of a segment receives the segment's
     * value, along {@code axis = indptr.dim() - 1}:
     *
     * <pre>
     * out[i][p][k] = src[i][s][k]   for indptr[i][s] &lt;= p &lt; indptr[i][s+1]
     * </pre>
     *
     * <p>Shapes: src {@code [..., S, ...]}, indptr {@code [S + 1]} or {@code src.shape[:axis] +
     * [S + 1]}, non-decreasing offsets from 0 up; L, the largest offset (indptr[S] for a 1-D
     * indptr), sizes the output: src.shape with L at axis; positions in no segment (before a
     * row's first offset or from its last on) hold 0. Gradient: a sum over each segment (gather's).
     *
     * @param src one value per segment, e.g. [S, F]
     * @param indptr int32/int64 offsets, e.g. [S + 1]
     * @return the expanded values, src's dtype and device, e.g. [L, F]
     * @throws IllegalArgumentException as {@link #segmentCsr}, or if indptr does not hold
     *     src.size(axis) + 1 offsets
     * @see <a href="https://pytorch-scatter.readthedocs.io/en/latest/functions/segment_csr.html">torch_scatter.gather_csr</a>
     */
    public static NDArray gatherCsr(NDArray src, NDArray indptr) {
        return Groups.gatherCsr(src, indptr);
    }

    /**
     * The inverse of {@link #segmentCoo}: {@code out[i][j][k] = src[i][sortedIndex[i][j]][k]}
     * along {@code axis = sortedIndex.dim() - 1} (any order of the index gives the same result).
     *
     * @param src one value per group, e.g. [G, F]
     * @param sortedIndex int32/int64 group ids in {@code [0, src.size(axis))}, leading sizes as
     *     src's (or 1), e.g. [N]
     * @return the expanded values, src.shape with sortedIndex.size(-1) at axis, e.g. [N, F]
     * @throws IllegalArgumentException on a null argument, a bad dtype or shape, or an index
     *     value out of range
     * @see <a href="https://pytorch-scatter.readthedocs.io/en/latest/functions/segment_coo.html">torch_scatter.gather_coo</a>
     */
    public static NDArray gatherCoo(NDArray src, NDArray sortedIndex) {
        return Groups.gatherCoo(src, sortedIndex);
    }
}
