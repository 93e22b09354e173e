package io.djlgather.ext;

/**
 * How {@link GatherOps#scatterReduce} and {@link GatherOps#indexReduce} combine the values that
 * land on one position, and how the grouped reductions of {@link GroupOps} ({@code scatter},
 * {@code segmentCsr}, {@code segmentCoo}) reduce a group.
 *
 * <p>{@link #SUM} is taken by scatterReduce only, as in PyTorch's {@code index_reduce}.
 */
public enum Reduction {
    /** The sum. */
    SUM("sum"),
    /** The product. */
    PROD("prod"),
    /**
     * The mean; with {@code includeSelf} the input's value counts as one element. Integer dtypes
     * round down (floor division), as PyTorch does.
     */
    MEAN("mean"),
    /** The maximum. */
    AMAX("amax"),
    /** The minimum. */
    AMIN("amin");

    private final String torchName;

    Reduction(String torchName) {
        this.torchName = torchName;
    }

    /**
     * Returns the name PyTorch gives this reduction.
     *
     * @return {@code "sum"}, {@code "prod"}, ...
     */
    public String torchName() {
        return torchName;
    }
}
